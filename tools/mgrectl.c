// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: configure mgre devices and their NHRP cache.
 *
 * The cache is reached through the "mgre" generic netlink family, devices
 * through rtnetlink; see include/uapi/linux/mgre.h for both.
 */
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mgre.h>

#include "mgrectl.h"

bool json_output;
bool pretty_output;

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

struct cmd {
	const char	*name;
	int		(*func)(int argc, char **argv);
	void		(*usage)(FILE *f);
};

static void usage_all(FILE *f);

static int do_help(int __maybe_unused argc, char __maybe_unused **argv)
{
	usage_all(stdout);
	return 0;
}

static void usage_help(FILE *f)
{
	usage_all(f);
}

static const struct cmd cmds[] = {
	{ "show",	do_show,	usage_show },
	{ "list",	do_show,	usage_show },
	{ "ls",		do_show,	usage_show },
	{ "get",	do_get,		usage_get },
	{ "add",	do_add,		usage_add },
	{ "del",	do_del,		usage_del },
	{ "flush",	do_flush,	usage_flush },
	{ "stats",	do_stats,	usage_stats },
	{ "nhs",	do_nhs,		usage_nhs },
	{ "traffic",	do_traffic,	usage_traffic },
	{ "resolve",	do_resolve,	usage_resolve },
	{ "monitor",	do_monitor,	usage_monitor },
	{ "link",	do_link,	usage_link },
	{ "help",	do_help,	usage_help },
};

static void usage_all(FILE *f)
{
	fprintf(f,
		"Usage: mgrectl [ OPTIONS ] COMMAND [ ARGUMENTS ]\n"
		"       mgrectl help\n"
		"       mgrectl COMMAND help\n"
		"OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n"
		"COMMAND := { show | get | add | del | flush | stats | nhs | traffic |\n"
		"             resolve | monitor | link }\n"
		"\n");
	usage_show(f);
	usage_get(f);
	usage_add(f);
	usage_del(f);
	usage_flush(f);
	usage_stats(f);
	usage_nhs(f);
	usage_traffic(f);
	usage_resolve(f);
	usage_monitor(f);
	usage_link(f);
}

int main(int argc, char **argv)
{
	unsigned int i;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		const char *opt = argv[0];

		if (opt[1] == '-')
			opt++;
		if (!strcmp(opt, "-j") || !strcmp(opt, "-json")) {
			json_output = true;
		} else if (!strcmp(opt, "-p") || !strcmp(opt, "-pretty")) {
			pretty_output = true;
		} else if (!strcmp(opt, "-V") || !strcmp(opt, "-Version")) {
			printf("mgrectl %s\n", MGRE_VERSION);
			return 0;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "-help")) {
			usage_all(stdout);
			return 0;
		} else {
			mgre_die("unknown option \"%s\"; try \"mgrectl help\"",
				 argv[0]);
		}
		argc--;
		argv++;
	}

	if (argc < 1) {
		usage_all(stderr);
		return 1;
	}

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name))
			continue;
		if (mgre_is_help(argc - 1, argv + 1)) {
			cmds[i].usage(stdout);
			return 0;
		}
		return cmds[i].func(argc - 1, argv + 1) ? 1 : 0;
	}

	mgre_die("unknown command \"%s\"; try \"mgrectl help\"", argv[0]);
}
