// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: configure mgre devices and their NHRP cache.
 *
 * The cache is reached through the "mgre" generic netlink family, devices
 * through rtnetlink; see include/uapi/linux/mgre.h for both.
 *
 * This file only dispatches: the command table, the global options and
 * main().  Nothing calls into it; the verbs live in their own files.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "verbs.h"

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

/* "show dmvpn" is dmvpn.c's summary; any other "show" lists entries. */
static int do_show_or_dmvpn(int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], "dmvpn"))
		return do_dmvpn(argc - 1, argv + 1);
	return do_show(argc, argv);
}

static const struct cmd cmds[] = {
	{ "show",	do_show_or_dmvpn, usage_show },
	{ "list",	do_show_or_dmvpn, usage_show },
	{ "ls",		do_show_or_dmvpn, usage_show },
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
		"OPTIONS := { -j[son] | -p[retty] | -n[etns] NAME | -V[ersion] |\n"
		"             -h[elp] }\n"
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
		} else if (!strcmp(opt, "-n") || !strcmp(opt, "-netns")) {
			if (argc < 2)
				mgre_die("option \"%s\" needs a namespace name",
					 argv[0]);
			mgre_netns_enter(argv[1]);
			argc--;
			argv++;
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
