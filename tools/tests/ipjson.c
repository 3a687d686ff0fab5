// SPDX-License-Identifier: GPL-2.0
/*
 * ipjson.so: LD_PRELOAD into ip(8) to turn on its JSON writer for
 * "ip -d monitor file", which (iproute2 6.1) prints plain text only.  The
 * link is printed without its enclosing object: run.sh adds the braces.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>

__attribute__((constructor)) static void ipjson_init(void)
{
	void (*new_json_obj)(int) =
		(void (*)(int))dlsym(RTLD_DEFAULT, "new_json_obj");

	if (new_json_obj)
		new_json_obj(1);
}

__attribute__((destructor)) static void ipjson_fini(void)
{
	void (*delete_json_obj)(void) =
		(void (*)(void))dlsym(RTLD_DEFAULT, "delete_json_obj");

	if (delete_json_obj)
		delete_json_obj();
}
