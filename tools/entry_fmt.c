// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: NHRP cache entries as the verbs see them.  Decoding of an entry
 * message (a get answer, a dump record or an event), the entry's names,
 * flags and JSON form, and the dump of the devices and their entries that
 * show and show dmvpn print.  Below the verbs: it calls only nl.c, json.c
 * and args.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/mgre.h>

#include "util.h"
#include "fmt.h"

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

/* The flag named @word ("unique", "multicast", "router"), 0 if none. */
uint32_t mgre_flag_parse(const char *word)
{
	unsigned int i;

	for (i = 0; i < NR_FLAGS; i++)
		if (!strcmp(word, entry_flags[i].name))
			return entry_flags[i].flag;
	return 0;
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

	mgre_top_dev(tb, &e->ifindex, e->ifname);

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

/* Milliseconds as whole seconds, rounded up: due in 300 ms shows 1, not 0. */
uint32_t mgre_sec_up(uint32_t ms)
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
		json_u64("expires", mgre_sec_up(e->expires));
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
