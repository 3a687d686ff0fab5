// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: NHRP cache entries (show, get, add, del, flush).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/mgre.h>

#include "linkparam.h"
#include "util.h"
#include "fmt.h"
#include "verbs.h"

void usage_show(FILE *f)
{
	fprintf(f,
		"mgrectl show [ dev IFNAME ] [ type TYPE ] [ shortcut ]   (aliases: list, ls)\n"
		"TYPE := { static | registered | resolved | incomplete | negative | local }\n"
		"mgrectl show dmvpn [ dev IFNAME ]   (peers by NBMA address, as Cisco's show dmvpn)\n");
}

void usage_get(FILE *f)
{
	fprintf(f, "mgrectl get PROTO [ shortcut ] dev IFNAME\n");
}

void usage_add(FILE *f)
{
	fprintf(f,
		"mgrectl add PROTO nbma NBMA dev IFNAME [ shortcut ]\n"
		"            [ type { static | registered | resolved | negative } ]\n"
		"            [ holdtime SECONDS ] [ unique ] [ multicast ] [ router ]\n"
		"            [ replace ]\n"
		"PROTO := { ADDRESS | PREFIX/LEN }   (IPv4 or IPv6)\n"
		"NBMA := IPv4 address\n"
		"A prefix shorter than a host, or \"shortcut\", makes a shortcut:\n"
		"transmit sends packets to destinations in it straight to NBMA.\n");
}

void usage_del(FILE *f)
{
	fprintf(f, "mgrectl del PROTO [ shortcut ] dev IFNAME\n");
}

void usage_flush(FILE *f)
{
	fprintf(f, "mgrectl flush [ dev IFNAME ] [ type TYPE ]\n");
}

static void print_entry_header(void)
{
	printf("%-19s %-16s %-11s %-6s %s\n",
	       "Protocol", "NBMA", "Type", "Flags", "Expires");
}

static void print_entry_line(const struct mgre_entry *e)
{
	char proto[INET6_ADDRSTRLEN + 16];
	char addr[INET6_ADDRSTRLEN];
	char expires[32];
	char flags[8];

	snprintf(proto, sizeof(proto), "%s/%u",
		 mgre_proto_str(e, addr, sizeof(addr)),
		 e->plen ? e->plen : e->family == AF_INET ? 32 : 128);
	mgre_flags_str(e->flags, flags, sizeof(flags) - 1, false);
	if (e->plen) {		/* "s": a shortcut, not a mapping */
		if (!strcmp(flags, "-"))
			flags[0] = '\0';
		strcat(flags, "s");
	}
	if (e->has_expires) {
		uint32_t s = mgre_sec_up(e->expires);

		snprintf(expires, sizeof(expires), "%02u:%02u:%02u",
			 s / 3600, s / 60 % 60, s % 60);
	} else {
		snprintf(expires, sizeof(expires), "never");
	}
	printf("%-19s %-16s %-11s %-6s %s\n", proto,
	       e->has_nbma ? inet_ntoa(e->nbma) : "-",
	       mgre_type_name(e->type), flags, expires);
}

static void print_devs(const struct dev_list *dl)
{
	unsigned int i, j;

	if (json_output)
		json_begin_array(NULL);
	for (i = 0; i < dl->ndevs; i++) {
		const struct dev *d = &dl->devs[i];

		if (!json_output) {
			printf("%s%s: %u entries\n", i ? "\n" : "", d->ifname,
			       d->count);
			if (d->count)
				print_entry_header();
		}
		for (j = 0; j < dl->nentries; j++) {
			if (dl->entries[j].ifindex != d->ifindex)
				continue;
			if (json_output) {
				json_begin_object(NULL);
				mgre_entry_json(&dl->entries[j]);
				json_end_object();
			} else {
				print_entry_line(&dl->entries[j]);
			}
		}
	}
	if (json_output)
		json_end_array();
}

/*
 * "[ dev IFNAME ] [ type TYPE ]", shared by show and flush; show also
 * takes "shortcut" (shortcutp non-NULL).
 */
static void parse_dev_type(int argc, char **argv, unsigned int *ifindexp,
			   int *typep, bool *shortcutp)
{
	unsigned int ifindex = 0;
	int type = -1;

	for (; argc > 0; argc--, argv++) {
		const char *val;

		if (!strcmp(argv[0], "dev")) {
			val = mgre_next_arg(&argc, &argv);
			if (ifindex)
				mgre_die("duplicate \"dev\"");
			ifindex = mgre_ifindex(val);
		} else if (!strcmp(argv[0], "type")) {
			val = mgre_next_arg(&argc, &argv);
			if (type >= 0)
				mgre_die("duplicate \"type\"");
			type = mgre_parse_type(val);
			if (type < 0)
				mgre_die("\"%s\" is not a valid type (static, registered, resolved, incomplete, negative, local)",
					 val);
		} else if (shortcutp && !strcmp(argv[0], "shortcut")) {
			*shortcutp = true;
		} else {
			mgre_die("unknown keyword \"%s\"", argv[0]);
		}
	}
	*ifindexp = ifindex;
	*typep = type;
}

int do_show(int argc, char **argv)
{
	struct dev_list dl = { 0 };
	unsigned int ifindex = 0;
	struct mgre_nl nl;
	int type = -1;

	parse_dev_type(argc, argv, &ifindex, &type, &dl.only_shortcuts);

	mgre_genl_open(&nl);
	mgre_dump_entries(&nl, ifindex, type, &dl);
	print_devs(&dl);
	fflush(stdout);
	mgre_nl_dump_warn(&nl);
	mgre_nl_close(&nl);
	mgre_dev_list_free(&dl);
	return 0;
}

struct entry_args {
	int		family;
	struct in6_addr	proto;
	unsigned int	ifindex;
	bool		has_nbma;
	struct in_addr	nbma;
	int		type;
	uint32_t	flags;
	uint32_t	holdtime;
	bool		replace;
	unsigned int	plen;		/* 0: a mapping */
	bool		shortcut;
};

static void parse_proto(const char *word, struct entry_args *a)
{
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned int hostlen, i;
	uint8_t *addr = (uint8_t *)&a->proto;
	char *slash;
	uint32_t plen;

	snprintf(buf, sizeof(buf), "%s", word);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &a->proto) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &a->proto) == 1)
		a->family = AF_INET6;
	else
		mgre_die("\"%s\" is not a valid protocol address (IPv4 or IPv6)",
			 word);
	hostlen = a->family == AF_INET ? 32 : 128;
	if (!slash)
		return;
	if (mgre_parse_u32(slash, 10, hostlen, &plen) || !plen)
		mgre_die("\"%s\": prefix length must be 1-%u", word, hostlen);
	/* As ip route: the host part of a prefix must be zero. */
	for (i = plen; i < hostlen; i++)
		if (addr[i / 8] & (0x80 >> (i % 8)))
			mgre_die("\"%s\": address has bits set beyond the prefix length",
				 word);
	if (plen < hostlen)
		a->plen = plen;
}

/*
 * Parse "PROTO dev IFNAME" and, with @add, the rest of the add syntax.
 * Everything is checked here so bad input never reaches the kernel.
 */
static void parse_entry_args(int argc, char **argv, struct entry_args *a,
			     bool add)
{
	bool has_holdtime = false;

	memset(a, 0, sizeof(*a));
	a->type = -1;

	for (; argc > 0; argc--, argv++) {
		const char *word = argv[0];
		const char *val;
		uint32_t flag;

		if (!strcmp(word, "dev")) {
			val = mgre_next_arg(&argc, &argv);
			if (a->ifindex)
				mgre_die("duplicate \"dev\"");
			a->ifindex = mgre_ifindex(val);
			continue;
		}
		if (add && !strcmp(word, "nbma")) {
			val = mgre_next_arg(&argc, &argv);
			if (a->has_nbma)
				mgre_die("duplicate \"nbma\"");
			if (inet_pton(AF_INET, val, &a->nbma) != 1)
				mgre_die("\"%s\" is not a valid NBMA address (IPv4)",
					 val);
			a->has_nbma = true;
			continue;
		}
		if (add && !strcmp(word, "type")) {
			val = mgre_next_arg(&argc, &argv);
			if (a->type >= 0)
				mgre_die("duplicate \"type\"");
			a->type = mgre_parse_type(val);
			if (a->type == MGRE_ENTRY_INCOMPLETE ||
			    a->type == MGRE_ENTRY_LOCAL)
				mgre_die("type \"%s\" is managed by the kernel and cannot be added",
					 val);
			if (a->type < 0)
				mgre_die("\"%s\" is not a valid type (static, registered, resolved, negative)",
					 val);
			continue;
		}
		if (add && !strcmp(word, "holdtime")) {
			val = mgre_next_arg(&argc, &argv);
			if (has_holdtime)
				mgre_die("duplicate \"holdtime\"");
			if (mgre_parse_u32(val, 10, 65535, &a->holdtime) ||
			    !a->holdtime)
				mgre_die("\"%s\" is not a valid holdtime (1-65535 seconds)",
					 val);
			has_holdtime = true;
			continue;
		}
		if (add && !strcmp(word, "replace")) {
			a->replace = true;
			continue;
		}
		if (!strcmp(word, "shortcut")) {
			a->shortcut = true;
			continue;
		}
		flag = add ? mgre_flag_parse(word) : 0;
		if (flag) {
			a->flags |= flag;
			continue;
		}
		if (a->family)
			mgre_die("unknown keyword \"%s\"", word);
		parse_proto(word, a);
	}

	if (!a->family)
		mgre_die("protocol address (PROTO) is required");
	if (a->shortcut && !a->plen)	/* a host-length shortcut */
		a->plen = a->family == AF_INET ? 32 : 128;
	if (add && !a->has_nbma)
		mgre_die("\"nbma\" is required");
	if (!a->ifindex)
		mgre_die("\"dev\" is required");
	if (has_holdtime && (a->type < 0 || a->type == MGRE_ENTRY_STATIC))
		mgre_die("\"holdtime\" is only valid for dynamic entries (registered, resolved, negative)");
}

static void put_entry(struct nlmsghdr *nlh, const struct entry_args *a,
		      bool add)
{
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, a->ifindex);
	nest = mnl_attr_nest_start(nlh, MGRE_A_ENTRY);
	if (a->family == AF_INET)
		mnl_attr_put(nlh, MGRE_ENTRY_A_PROTO_ADDR4, 4, &a->proto);
	else
		mnl_attr_put(nlh, MGRE_ENTRY_A_PROTO_ADDR6, 16, &a->proto);
	if (a->plen)
		mnl_attr_put_u8(nlh, MGRE_ENTRY_A_PREFIXLEN, a->plen);
	if (add) {
		mnl_attr_put(nlh, MGRE_ENTRY_A_NBMA_ADDR4, 4, &a->nbma);
		if (a->type >= 0)
			mnl_attr_put_u8(nlh, MGRE_ENTRY_A_TYPE, a->type);
		if (a->flags)
			mnl_attr_put_u32(nlh, MGRE_ENTRY_A_FLAGS, a->flags);
		if (a->holdtime)
			mnl_attr_put_u16(nlh, MGRE_ENTRY_A_HOLDTIME,
					 a->holdtime);
	}
	mnl_attr_nest_end(nlh, nest);
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mgre_entry *e = data;

	if (mgre_entry_parse(nlh, e))
		return -EBADMSG;
	return 0;
}

int do_get(int argc, char **argv)
{
	struct entry_args a;
	struct mgre_entry e;
	struct nlmsghdr *nlh;
	struct mgre_nl nl;

	parse_entry_args(argc, argv, &a, false);
	mgre_genl_open(&nl);

	memset(&e, 0, sizeof(e));
	nlh = mgre_genl_msg(&nl, MGRE_CMD_ENTRY_GET, 0);
	put_entry(nlh, &a, false);
	if (mgre_nl_talk(&nl, nlh, get_cb, &e))
		mgre_nl_die(&nl);
	if (!e.family)
		mgre_die("the kernel sent no entry");

	if (json_output) {
		json_begin_object(NULL);
		mgre_entry_json(&e);
		json_end_object();
	} else {
		printf("%s: 1 entries\n", e.ifname);
		print_entry_header();
		print_entry_line(&e);
	}
	mgre_nl_close(&nl);
	return 0;
}

int do_add(int argc, char **argv)
{
	struct entry_args a;
	struct nlmsghdr *nlh;
	struct mgre_nl nl;

	parse_entry_args(argc, argv, &a, true);
	mgre_genl_open(&nl);

	nlh = mgre_genl_msg(&nl, MGRE_CMD_ENTRY_ADD, 0);
	put_entry(nlh, &a, true);
	if (a.replace)
		mnl_attr_put(nlh, MGRE_A_REPLACE, 0, NULL);
	if (mgre_nl_talk(&nl, nlh, NULL, NULL))
		mgre_nl_die(&nl);
	mgre_nl_close(&nl);
	return 0;
}

int do_del(int argc, char **argv)
{
	struct entry_args a;
	struct nlmsghdr *nlh;
	struct mgre_nl nl;

	parse_entry_args(argc, argv, &a, false);
	mgre_genl_open(&nl);

	nlh = mgre_genl_msg(&nl, MGRE_CMD_ENTRY_DEL, 0);
	put_entry(nlh, &a, false);
	if (mgre_nl_talk(&nl, nlh, NULL, NULL))
		mgre_nl_die(&nl);
	mgre_nl_close(&nl);
	return 0;
}

int do_flush(int argc, char **argv)
{
	unsigned int ifindex = 0;
	struct nlmsghdr *nlh;
	struct mgre_nl nl;
	int type = -1;

	parse_dev_type(argc, argv, &ifindex, &type, NULL);

	mgre_genl_open(&nl);
	nlh = mgre_genl_msg(&nl, MGRE_CMD_ENTRY_FLUSH, 0);
	if (ifindex)
		mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	if (type >= 0)
		mnl_attr_put_u8(nlh, MGRE_A_TYPE, type);
	if (mgre_nl_talk(&nl, nlh, NULL, NULL))
		mgre_nl_die(&nl);
	mgre_nl_close(&nl);
	return 0;
}
