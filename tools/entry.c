// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: NHRP cache entries (show, get, add, del, flush).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/mgre.h>

#include "linkparam.h"
#include "mgrectl.h"

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

static const struct {
	uint32_t	flag;
	char		letter;
	const char	*name;
} entry_flags[] = {
	{ MGRE_ENTRY_F_UNIQUE,		'u',	"unique" },
	{ MGRE_ENTRY_F_MULTICAST,	'm',	"multicast" },
	{ MGRE_ENTRY_F_ROUTER,		'r',	"router" },
};

#define NR_FLAGS (sizeof(entry_flags) / sizeof(entry_flags[0]))

/* "um" (letters) or "unique,multicast" (names); "-" if none. */
void mgre_flags_str(uint32_t flags, char *buf, size_t len, bool names)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < NR_FLAGS && n < len; i++) {
		if (!(flags & entry_flags[i].flag))
			continue;
		if (names)
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      entry_flags[i].name);
		else
			n += snprintf(buf + n, len - n, "%c",
				      entry_flags[i].letter);
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

const char *mgre_proto_str(const struct mgre_entry *e, char *buf, size_t len)
{
	if (!inet_ntop(e->family, &e->proto, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

/* "10.0.0.12" for a mapping, "198.51.100.128/25" for a shortcut. */
const char *mgre_entry_name(const struct mgre_entry *e, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	mgre_proto_str(e, addr, sizeof(addr));
	if (e->plen)
		snprintf(buf, len, "%s/%u", addr, e->plen);
	else
		snprintf(buf, len, "%s", addr);
	return buf;
}

static int entry_attr_cb(const struct nlattr *a, void *data)
{
	static const enum mnl_attr_data_type types[] = {
		[MGRE_ENTRY_A_PROTO_ADDR4]	= MNL_TYPE_U32,
		[MGRE_ENTRY_A_NBMA_ADDR4]	= MNL_TYPE_U32,
		[MGRE_ENTRY_A_TYPE]		= MNL_TYPE_U8,
		[MGRE_ENTRY_A_FLAGS]		= MNL_TYPE_U32,
		[MGRE_ENTRY_A_HOLDTIME]		= MNL_TYPE_U16,
		[MGRE_ENTRY_A_EXPIRES]		= MNL_TYPE_U32,
		[MGRE_ENTRY_A_AGE]		= MNL_TYPE_U64,
		[MGRE_ENTRY_A_UPDATED]		= MNL_TYPE_U64,
		[MGRE_ENTRY_A_USED]		= MNL_TYPE_U64,
		[MGRE_ENTRY_A_PREFIXLEN]	= MNL_TYPE_U8,
	};

	/* An IPv6 address is no mnl data type: its length is checked here. */
	if (mnl_attr_get_type(a) == MGRE_ENTRY_A_PROTO_ADDR6 &&
	    mnl_attr_get_payload_len(a) != 16)
		return MNL_CB_OK;
	return mgre_attr_store(a, data, MGRE_ENTRY_A_MAX,
			       MGRE_ATTR_TYPES(types));
}

/* Decode a MGRE_CMD_ENTRY_GET answer or a MGRE_CMD_EVT_* message. */
int mgre_entry_parse(const struct nlmsghdr *nlh, struct mgre_entry *e)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	const struct nlattr *eb[MGRE_ENTRY_A_MAX + 1] = { NULL };
	const struct nlattr *a;

	memset(e, 0, sizeof(*e));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) < 0)
		return -EBADMSG;
	if (!tb[MGRE_A_ENTRY] ||
	    mnl_attr_parse_nested(tb[MGRE_A_ENTRY], entry_attr_cb, eb) < 0)
		return -EBADMSG;

	if (tb[MGRE_A_IFINDEX] &&
	    mnl_attr_validate(tb[MGRE_A_IFINDEX], MNL_TYPE_U32) >= 0)
		e->ifindex = mnl_attr_get_u32(tb[MGRE_A_IFINDEX]);
	if (tb[MGRE_A_IFNAME] &&
	    mnl_attr_validate(tb[MGRE_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		snprintf(e->ifname, sizeof(e->ifname), "%s",
			 mnl_attr_get_str(tb[MGRE_A_IFNAME]));
	if (!e->ifname[0] && !if_indextoname(e->ifindex, e->ifname))
		snprintf(e->ifname, sizeof(e->ifname), "if%u", e->ifindex);

	if (eb[MGRE_ENTRY_A_PROTO_ADDR4]) {
		a = eb[MGRE_ENTRY_A_PROTO_ADDR4];
		e->family = AF_INET;
	} else if (eb[MGRE_ENTRY_A_PROTO_ADDR6]) {
		a = eb[MGRE_ENTRY_A_PROTO_ADDR6];
		e->family = AF_INET6;
	} else {
		return -EBADMSG;
	}
	memcpy(&e->proto, mnl_attr_get_payload(a),
	       mnl_attr_get_payload_len(a));
	if (eb[MGRE_ENTRY_A_PREFIXLEN])
		e->plen = mnl_attr_get_u8(eb[MGRE_ENTRY_A_PREFIXLEN]);
	if (eb[MGRE_ENTRY_A_NBMA_ADDR4]) {
		e->has_nbma = true;
		e->nbma.s_addr = mnl_attr_get_u32(eb[MGRE_ENTRY_A_NBMA_ADDR4]);
	}
	if (eb[MGRE_ENTRY_A_TYPE])
		e->type = mnl_attr_get_u8(eb[MGRE_ENTRY_A_TYPE]);
	if (eb[MGRE_ENTRY_A_FLAGS])
		e->flags = mnl_attr_get_u32(eb[MGRE_ENTRY_A_FLAGS]);
	if (eb[MGRE_ENTRY_A_HOLDTIME]) {
		e->has_holdtime = true;
		e->holdtime = mnl_attr_get_u16(eb[MGRE_ENTRY_A_HOLDTIME]);
	}
	if (eb[MGRE_ENTRY_A_EXPIRES]) {
		e->has_expires = true;
		e->expires = mnl_attr_get_u32(eb[MGRE_ENTRY_A_EXPIRES]);
	}
	if (eb[MGRE_ENTRY_A_AGE])
		e->age = mnl_attr_get_u64(eb[MGRE_ENTRY_A_AGE]);
	if (eb[MGRE_ENTRY_A_UPDATED])
		e->updated = mnl_attr_get_u64(eb[MGRE_ENTRY_A_UPDATED]);
	if (eb[MGRE_ENTRY_A_USED]) {
		e->has_used = true;
		e->used = mnl_attr_get_u64(eb[MGRE_ENTRY_A_USED]);
	}
	return 0;
}

static uint32_t ms_to_sec_up(uint32_t ms)
{
	return ms / 1000 + (ms % 1000 ? 1 : 0);
}

void mgre_entry_json(const struct mgre_entry *e)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	json_string("ifname", e->ifname);
	json_u64("ifindex", e->ifindex);
	json_string("protocol", mgre_proto_str(e, buf, sizeof(buf)));
	json_u64("prefix_len", e->plen ? e->plen :
			       e->family == AF_INET ? 32 : 128);
	json_bool("shortcut", e->plen != 0);
	if (e->has_nbma)
		json_string("nbma", inet_ntoa(e->nbma));
	else
		json_null("nbma");
	json_string("type", mgre_type_name(e->type));
	json_begin_array("flags");
	for (i = 0; i < NR_FLAGS; i++)
		if (e->flags & entry_flags[i].flag)
			json_string(NULL, entry_flags[i].name);
	json_end_array();
	if (e->has_holdtime)
		json_u64("holdtime", e->holdtime);
	if (e->has_expires) {
		json_u64("expires", ms_to_sec_up(e->expires));
		json_u64("expires_ms", e->expires);
	} else {
		json_null("expires");
		json_null("expires_ms");
	}
	json_u64("age", e->age / 1000);
	json_u64("updated", e->updated / 1000);
	if (e->has_used)
		json_u64("used", e->used / 1000);
	else
		json_null("used");
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
		uint32_t s = ms_to_sec_up(e->expires);

		snprintf(expires, sizeof(expires), "%02u:%02u:%02u",
			 s / 3600, s / 60 % 60, s % 60);
	} else {
		snprintf(expires, sizeof(expires), "never");
	}
	printf("%-19s %-16s %-11s %-6s %s\n", proto,
	       e->has_nbma ? inet_ntoa(e->nbma) : "-",
	       mgre_type_name(e->type), flags, expires);
}

static struct dev *dev_find(struct dev_list *dl, unsigned int ifindex,
			    const char *ifname)
{
	struct dev *d;
	unsigned int i;

	for (i = 0; i < dl->ndevs; i++)
		if (dl->devs[i].ifindex == ifindex)
			return &dl->devs[i];

	d = realloc(dl->devs, (dl->ndevs + 1) * sizeof(*d));
	if (!d)
		mgre_die("out of memory");
	dl->devs = d;
	d = &dl->devs[dl->ndevs++];
	memset(d, 0, sizeof(*d));
	d->ifindex = ifindex;
	if (ifname)
		snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
	else if (!if_indextoname(ifindex, d->ifname))
		snprintf(d->ifname, sizeof(d->ifname), "if%u", ifindex);
	return d;
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	const char *ifname = NULL;

	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) < 0 ||
	    !tb[MGRE_A_IFINDEX] ||
	    mnl_attr_validate(tb[MGRE_A_IFINDEX], MNL_TYPE_U32) < 0)
		return 0;
	if (tb[MGRE_A_IFNAME] &&
	    mnl_attr_validate(tb[MGRE_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		ifname = mnl_attr_get_str(tb[MGRE_A_IFNAME]);
	dev_find(data, mnl_attr_get_u32(tb[MGRE_A_IFINDEX]), ifname);
	return 0;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_list *dl = data;
	struct mgre_entry e;

	if (mgre_entry_parse(nlh, &e)) {
		mgre_warn("skipping a malformed entry");
		return 0;
	}
	if (dl->only_shortcuts && !e.plen) {
		dev_find(dl, e.ifindex, e.ifname);
		return 0;
	}
	if (dl->nentries == dl->alloc) {
		struct mgre_entry *n;

		dl->alloc = dl->alloc ? dl->alloc * 2 : 256;
		n = realloc(dl->entries, dl->alloc * sizeof(*n));
		if (!n)
			mgre_die("out of memory");
		dl->entries = n;
	}
	dl->entries[dl->nentries++] = e;
	dev_find(dl, e.ifindex, e.ifname)->count++;
	return 0;
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

/*
 * Every mgre device of ifindex (0: all) and its entries (of type, -1: all),
 * devices first so that empty ones are listed too.
 */
void mgre_dump_entries(struct mgre_nl *nl, unsigned int ifindex, int type,
		       struct dev_list *dl)
{
	struct nlmsghdr *nlh;

	nlh = mgre_genl_msg(nl, MGRE_CMD_DEV_GET, ifindex ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	if (mgre_nl_talk(nl, nlh, dev_cb, dl))
		mgre_nl_die(nl);

	nlh = mgre_genl_msg(nl, MGRE_CMD_ENTRY_GET, NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	if (type >= 0)
		mnl_attr_put_u8(nlh, MGRE_A_TYPE, type);
	if (mgre_nl_talk(nl, nlh, entry_cb, dl))
		mgre_nl_die(nl);
}

void mgre_dev_list_free(struct dev_list *dl)
{
	free(dl->devs);
	free(dl->entries);
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
	unsigned int i;

	memset(a, 0, sizeof(*a));
	a->type = -1;

	for (; argc > 0; argc--, argv++) {
		const char *word = argv[0];
		const char *val;

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
		for (i = 0; add && i < NR_FLAGS; i++)
			if (!strcmp(word, entry_flags[i].name))
				break;
		if (add && i < NR_FLAGS) {
			a->flags |= entry_flags[i].flag;
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
