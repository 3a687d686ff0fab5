// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: the messages every file prints ("Error: ...", "Warning: ...")
 * and the argument words every verb parses (dev, help, entry types).
 * The bottom of the tool: it calls no other file.
 */
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mgre.h>

#include "util.h"

static void verr(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void mgre_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr("Error", fmt, ap);
	va_end(ap);
}

void mgre_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr("Warning", fmt, ap);
	va_end(ap);
}

void mgre_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr("Error", fmt, ap);
	va_end(ap);
	exit(1);
}

/* Consume the keyword at argv[0] and return its value. */
const char *mgre_next_arg(int *argc, char ***argv)
{
	const char *word = (*argv)[0];

	if (*argc < 2)
		mgre_die("\"%s\" needs a value", word);
	(*argc)--;
	(*argv)++;
	return (*argv)[0];
}

unsigned int mgre_ifindex(const char *name)
{
	unsigned int ifindex;

	if (strlen(name) >= IF_NAMESIZE)
		mgre_die("device name \"%s\" is too long", name);
	ifindex = if_nametoindex(name);
	if (!ifindex)
		mgre_die("device \"%s\" does not exist", name);
	return ifindex;
}

/* "[ dev IFNAME ]": its ifindex (0 if absent) and, if name, its name. */
unsigned int mgre_parse_dev(int argc, char **argv, const char **name)
{
	unsigned int ifindex = 0;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev")) {
			const char *val = mgre_next_arg(&argc, &argv);

			if (ifindex)
				mgre_die("duplicate \"dev\"");
			ifindex = mgre_ifindex(val);
			if (name)
				*name = val;
		} else {
			mgre_die("unknown keyword \"%s\"", argv[0]);
		}
	}
	return ifindex;
}

static const char * const type_names[] = {
	[MGRE_ENTRY_STATIC]	= "static",
	[MGRE_ENTRY_REGISTERED]	= "registered",
	[MGRE_ENTRY_RESOLVED]	= "resolved",
	[MGRE_ENTRY_INCOMPLETE]	= "incomplete",
	[MGRE_ENTRY_NEGATIVE]	= "negative",
	[MGRE_ENTRY_LOCAL]	= "local",
};

int mgre_parse_type(const char *word)
{
	unsigned int i;

	for (i = 0; i <= MGRE_ENTRY_TYPE_MAX; i++)
		if (!strcmp(word, type_names[i]))
			return i;
	return -1;
}

const char *mgre_type_name(unsigned int type)
{
	static char buf[16];

	if (type <= MGRE_ENTRY_TYPE_MAX)
		return type_names[type];
	snprintf(buf, sizeof(buf), "type%u", type);
	return buf;
}

bool mgre_is_help(int argc, char **argv)
{
	return argc > 0 && !strcmp(argv[0], "help");
}
