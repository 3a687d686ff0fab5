// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: mgre devices over rtnetlink (link add, set, del, show).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/mgre.h>

#include "linkparam.h"
#include "util.h"
#include "verbs.h"

#ifndef MGRE_KIND
#define MGRE_KIND	"mgre"
#endif

void usage_link(FILE *f)
{
	fprintf(f,
		"mgrectl link add NAME [ PARAMS ]\n"
		"mgrectl link set NAME [ PARAMS ] [ nokey ]\n"
		"mgrectl link del NAME\n"
		"mgrectl link show [ NAME ]\n");
	mgre_link_params_usage(f);
}

struct link_info {
	unsigned int	ifindex;
	char		ifname[IF_NAMESIZE];
	bool		is_mgre;
	bool		has[IFLA_MGRE_MAX + 1];
	uint32_t	local;
	uint32_t	key;
	uint8_t		ttl;
	uint8_t		tos;
	uint16_t	holdtime;
	uint32_t	link;
	uint32_t	max_entries;
	uint32_t	network_id;
	uint8_t		mcast_dynamic;
	uint8_t		mcast_nhs;
	uint32_t	mcast_limit;
	uint8_t		redirect;
	uint8_t		shortcut;
	uint32_t	max_per_nbma;
	uint16_t	max_holdtime;
	uint16_t	reg_timeout;
	uint8_t		nhs_max_conn;
	uint16_t	nhs_fallback;
	unsigned int	n_nhs;
	struct mgre_nhs_param nhs[MGRE_MAX_NHS];
};

struct link_list {
	struct link_info	*links;
	unsigned int		nlinks;
};

static int link_attr_cb(const struct nlattr *a, void *data)
{
	static const enum mnl_attr_data_type types[] = {
		[IFLA_MGRE_LOCAL]	= MNL_TYPE_U32,
		[IFLA_MGRE_KEY]		= MNL_TYPE_U32,
		[IFLA_MGRE_TTL]		= MNL_TYPE_U8,
		[IFLA_MGRE_TOS]		= MNL_TYPE_U8,
		[IFLA_MGRE_HOLDTIME]	= MNL_TYPE_U16,
		[IFLA_MGRE_LINK]	= MNL_TYPE_U32,
		[IFLA_MGRE_MAX_ENTRIES]	= MNL_TYPE_U32,
		[IFLA_MGRE_NETWORK_ID]	= MNL_TYPE_U32,
		[IFLA_MGRE_NHS_LIST]	= MNL_TYPE_NESTED,
		[IFLA_MGRE_MCAST_DYNAMIC] = MNL_TYPE_U8,
		[IFLA_MGRE_MCAST_NHS]	= MNL_TYPE_U8,
		[IFLA_MGRE_MCAST_LIMIT]	= MNL_TYPE_U32,
		[IFLA_MGRE_REDIRECT]	= MNL_TYPE_U8,
		[IFLA_MGRE_SHORTCUT]	= MNL_TYPE_U8,
		[IFLA_MGRE_MAX_PER_NBMA] = MNL_TYPE_U32,
		[IFLA_MGRE_MAX_HOLDTIME] = MNL_TYPE_U16,
		[IFLA_MGRE_REG_TIMEOUT] = MNL_TYPE_U16,
		[IFLA_MGRE_NHS_MAX_CONN] = MNL_TYPE_U8,
		[IFLA_MGRE_NHS_FALLBACK] = MNL_TYPE_U16,
	};

	return mgre_attr_store(a, data, IFLA_MGRE_MAX, MGRE_ATTR_TYPES(types));
}

static void parse_nhs_list(const struct nlattr *list, struct link_info *li)
{
	const struct nlattr *nhs, *a;

	mnl_attr_for_each_nested(nhs, list) {
		struct mgre_nhs_param n = { 0 };

		if (mnl_attr_get_type(nhs) != IFLA_MGRE_NHS ||
		    li->n_nhs == MGRE_MAX_NHS)
			continue;
		mnl_attr_for_each_nested(a, nhs) {
			if (mnl_attr_get_type(a) == IFLA_MGRE_NHS_PRIORITY &&
			    mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				n.priority = mnl_attr_get_u8(a);
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				continue;
			if (mnl_attr_get_type(a) == IFLA_MGRE_NHS_PROTO4)
				n.proto = mnl_attr_get_u32(a);
			else if (mnl_attr_get_type(a) == IFLA_MGRE_NHS_NBMA4)
				n.nbma = mnl_attr_get_u32(a);
		}
		li->nhs[li->n_nhs++] = n;
	}
}

static void parse_info_data(const struct nlattr *data, struct link_info *li)
{
	const struct nlattr *tb[IFLA_MGRE_MAX + 1] = { NULL };
	int i;

	if (mnl_attr_parse_nested(data, link_attr_cb, tb) < 0)
		return;
	for (i = 1; i <= IFLA_MGRE_MAX; i++)
		li->has[i] = tb[i];
	if (tb[IFLA_MGRE_LOCAL])
		li->local = mnl_attr_get_u32(tb[IFLA_MGRE_LOCAL]);
	if (tb[IFLA_MGRE_KEY])
		li->key = mnl_attr_get_u32(tb[IFLA_MGRE_KEY]);
	if (tb[IFLA_MGRE_TTL])
		li->ttl = mnl_attr_get_u8(tb[IFLA_MGRE_TTL]);
	if (tb[IFLA_MGRE_TOS])
		li->tos = mnl_attr_get_u8(tb[IFLA_MGRE_TOS]);
	if (tb[IFLA_MGRE_HOLDTIME])
		li->holdtime = mnl_attr_get_u16(tb[IFLA_MGRE_HOLDTIME]);
	if (tb[IFLA_MGRE_LINK])
		li->link = mnl_attr_get_u32(tb[IFLA_MGRE_LINK]);
	if (tb[IFLA_MGRE_MAX_ENTRIES])
		li->max_entries = mnl_attr_get_u32(tb[IFLA_MGRE_MAX_ENTRIES]);
	if (tb[IFLA_MGRE_NETWORK_ID])
		li->network_id = mnl_attr_get_u32(tb[IFLA_MGRE_NETWORK_ID]);
	if (tb[IFLA_MGRE_MCAST_DYNAMIC])
		li->mcast_dynamic = mnl_attr_get_u8(tb[IFLA_MGRE_MCAST_DYNAMIC]);
	if (tb[IFLA_MGRE_MCAST_NHS])
		li->mcast_nhs = mnl_attr_get_u8(tb[IFLA_MGRE_MCAST_NHS]);
	if (tb[IFLA_MGRE_MCAST_LIMIT])
		li->mcast_limit = mnl_attr_get_u32(tb[IFLA_MGRE_MCAST_LIMIT]);
	if (tb[IFLA_MGRE_REDIRECT])
		li->redirect = mnl_attr_get_u8(tb[IFLA_MGRE_REDIRECT]);
	if (tb[IFLA_MGRE_SHORTCUT])
		li->shortcut = mnl_attr_get_u8(tb[IFLA_MGRE_SHORTCUT]);
	if (tb[IFLA_MGRE_MAX_PER_NBMA])
		li->max_per_nbma = mnl_attr_get_u32(tb[IFLA_MGRE_MAX_PER_NBMA]);
	if (tb[IFLA_MGRE_MAX_HOLDTIME])
		li->max_holdtime = mnl_attr_get_u16(tb[IFLA_MGRE_MAX_HOLDTIME]);
	if (tb[IFLA_MGRE_REG_TIMEOUT])
		li->reg_timeout = mnl_attr_get_u16(tb[IFLA_MGRE_REG_TIMEOUT]);
	if (tb[IFLA_MGRE_NHS_MAX_CONN])
		li->nhs_max_conn = mnl_attr_get_u8(tb[IFLA_MGRE_NHS_MAX_CONN]);
	if (tb[IFLA_MGRE_NHS_FALLBACK])
		li->nhs_fallback = mnl_attr_get_u16(tb[IFLA_MGRE_NHS_FALLBACK]);
	if (tb[IFLA_MGRE_NHS_LIST])
		parse_nhs_list(tb[IFLA_MGRE_NHS_LIST], li);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *kind = NULL, *info = NULL;
	struct link_list *ll = data;
	struct link_info li = { 0 };
	const struct nlattr *a, *b;
	struct link_info *links;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return 0;
	li.ifindex = ifi->ifi_index;

	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(li.ifname, sizeof(li.ifname), "%s",
					 mnl_attr_get_str(a));
			break;
		case IFLA_LINKINFO:
			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) == IFLA_INFO_KIND)
					kind = b;
				else if (mnl_attr_get_type(b) == IFLA_INFO_DATA)
					info = b;
			}
			break;
		}
	}
	if (kind && mnl_attr_validate(kind, MNL_TYPE_NUL_STRING) >= 0 &&
	    !strcmp(mnl_attr_get_str(kind), MGRE_KIND))
		li.is_mgre = true;
	if (li.is_mgre && info)
		parse_info_data(info, &li);

	links = realloc(ll->links, (ll->nlinks + 1) * sizeof(li));
	if (!links)
		mgre_die("out of memory");
	ll->links = links;
	ll->links[ll->nlinks++] = li;
	return 0;
}

/* RTM_GETLINK one device (@ifindex) or all of them. */
static void get_links(struct mgre_nl *nl, unsigned int ifindex,
		      struct link_list *ll)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = mgre_rtnl_msg(nl, RTM_GETLINK, ifindex ? 0 : NLM_F_DUMP);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (mgre_nl_talk(nl, nlh, link_cb, ll))
		mgre_nl_die(nl);
}

/* Resolve NAME and make sure it is an mgre device before touching it. */
static unsigned int mgre_dev(struct mgre_nl *nl, const char *name)
{
	unsigned int ifindex = mgre_ifindex(name);
	struct link_list ll = { 0 };
	bool ok;

	get_links(nl, ifindex, &ll);
	ok = ll.nlinks == 1 && ll.links[0].is_mgre;
	free(ll.links);
	if (!ok)
		mgre_die("device \"%s\" is not an mgre device", name);
	return ifindex;
}

static const char *addr_str(uint32_t addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

static void print_link(const struct link_info *li)
{
	char local[INET_ADDRSTRLEN] = "any";
	char buf[INET_ADDRSTRLEN];
	unsigned int i;
	char dev[IF_NAMESIZE] = "";

	if (li->local)
		inet_ntop(AF_INET, &li->local, local, sizeof(local));
	if (li->link && !if_indextoname(li->link, dev))
		snprintf(dev, sizeof(dev), "if%u", li->link);

	if (json_output) {
		json_begin_object(NULL);
		json_string("ifname", li->ifname);
		json_u64("ifindex", li->ifindex);
		json_string("local", local);
		if (li->has[IFLA_MGRE_KEY])
			json_u64("key", li->key);
		if (li->has[IFLA_MGRE_TTL])
			json_u64("ttl", li->ttl);
		if (li->has[IFLA_MGRE_TOS])
			json_u64("tos", li->tos);
		if (li->has[IFLA_MGRE_HOLDTIME])
			json_u64("holdtime", li->holdtime);
		if (li->link)
			json_string("link", dev);
		else
			json_null("link");
		if (li->has[IFLA_MGRE_MAX_ENTRIES])
			json_u64("max_entries", li->max_entries);
		if (li->has[IFLA_MGRE_NETWORK_ID])
			json_u64("network_id", li->network_id);
		if (li->has[IFLA_MGRE_MCAST_DYNAMIC])
			json_bool("mcast_dynamic", li->mcast_dynamic);
		if (li->has[IFLA_MGRE_MCAST_NHS])
			json_bool("mcast_nhs", li->mcast_nhs);
		if (li->has[IFLA_MGRE_MCAST_LIMIT])
			json_u64("mcast_limit", li->mcast_limit);
		if (li->has[IFLA_MGRE_REDIRECT])
			json_bool("redirect", li->redirect);
		if (li->has[IFLA_MGRE_SHORTCUT])
			json_bool("shortcut", li->shortcut);
		if (li->has[IFLA_MGRE_MAX_PER_NBMA])
			json_u64("max_per_nbma", li->max_per_nbma);
		if (li->has[IFLA_MGRE_MAX_HOLDTIME])
			json_u64("max_holdtime", li->max_holdtime);
		if (li->has[IFLA_MGRE_REG_TIMEOUT])
			json_u64("registration_timeout", li->reg_timeout);
		if (li->has[IFLA_MGRE_NHS_MAX_CONN])
			json_u64("nhs_max_connections", li->nhs_max_conn);
		if (li->has[IFLA_MGRE_NHS_FALLBACK])
			json_u64("nhs_fallback", li->nhs_fallback);
		if (li->n_nhs) {
			json_begin_array("nhs");
			for (i = 0; i < li->n_nhs; i++) {
				json_begin_object(NULL);
				if (li->nhs[i].proto)
					json_string("protocol",
						    addr_str(li->nhs[i].proto,
							     buf));
				else
					json_bool("dynamic", true);
				json_string("nbma",
					    addr_str(li->nhs[i].nbma, buf));
				json_u64("priority", li->nhs[i].priority);
				json_end_object();
			}
			json_end_array();
		}
		json_end_object();
		return;
	}

	printf("%s: local %s", li->ifname, local);
	if (li->has[IFLA_MGRE_KEY])
		printf(" key %u", li->key);
	if (li->has[IFLA_MGRE_TTL]) {
		if (li->ttl)
			printf(" ttl %u", li->ttl);
		else
			printf(" ttl inherit");
	}
	if (li->has[IFLA_MGRE_TOS]) {
		if (li->tos == MGRE_TOS_INHERIT)
			printf(" tos inherit");
		else
			printf(" tos %u", li->tos);
	}
	if (li->has[IFLA_MGRE_HOLDTIME])
		printf(" holdtime %u", li->holdtime);
	if (li->link)
		printf(" dev %s", dev);
	if (li->has[IFLA_MGRE_MAX_ENTRIES])
		printf(" max-entries %u", li->max_entries);
	if (li->has[IFLA_MGRE_NETWORK_ID])
		printf(" network-id %u", li->network_id);
	if (li->has[IFLA_MGRE_MCAST_DYNAMIC])
		printf(" mcast-dynamic %s", li->mcast_dynamic ? "on" : "off");
	if (li->has[IFLA_MGRE_MCAST_NHS])
		printf(" mcast-nhs %s", li->mcast_nhs ? "on" : "off");
	if (li->has[IFLA_MGRE_MCAST_LIMIT])
		printf(" mcast-limit %u", li->mcast_limit);
	if (li->has[IFLA_MGRE_REDIRECT])
		printf(" redirect %s", li->redirect ? "on" : "off");
	if (li->has[IFLA_MGRE_SHORTCUT])
		printf(" shortcut %s", li->shortcut ? "on" : "off");
	if (li->has[IFLA_MGRE_MAX_PER_NBMA])
		printf(" max-per-nbma %u", li->max_per_nbma);
	if (li->has[IFLA_MGRE_MAX_HOLDTIME])
		printf(" max-holdtime %u", li->max_holdtime);
	if (li->has[IFLA_MGRE_REG_TIMEOUT])
		printf(" registration-timeout %u", li->reg_timeout);
	if (li->has[IFLA_MGRE_NHS_MAX_CONN] && li->nhs_max_conn)
		printf(" nhs-max-connections %u", li->nhs_max_conn);
	if (li->has[IFLA_MGRE_NHS_FALLBACK] && li->nhs_fallback)
		printf(" nhs-fallback %u", li->nhs_fallback);
	for (i = 0; i < li->n_nhs; i++) {
		printf(" nhs %s", li->nhs[i].proto ?
		       addr_str(li->nhs[i].proto, buf) : "dynamic");
		printf(" nbma %s", addr_str(li->nhs[i].nbma, buf));
		if (li->nhs[i].priority)
			printf(" priority %u", li->nhs[i].priority);
	}
	printf("\n");
}

static int link_show(int argc, char **argv)
{
	struct link_list ll = { 0 };
	unsigned int ifindex = 0;
	struct mgre_nl nl;
	unsigned int i;

	if (argc > 1)
		mgre_die("unknown keyword \"%s\"", argv[1]);
	if (argc > 0)
		ifindex = mgre_ifindex(argv[0]);

	if (mgre_nl_open(&nl, NETLINK_ROUTE))
		return 1;
	get_links(&nl, ifindex, &ll);
	if (ifindex && (ll.nlinks != 1 || !ll.links[0].is_mgre))
		mgre_die("device \"%s\" is not an mgre device", argv[0]);

	if (json_output)
		json_begin_array(NULL);
	for (i = 0; i < ll.nlinks; i++)
		if (ll.links[i].is_mgre)
			print_link(&ll.links[i]);
	if (json_output)
		json_end_array();
	fflush(stdout);
	mgre_nl_dump_warn(&nl);
	mgre_nl_close(&nl);
	free(ll.links);
	return 0;
}

static void put_params(struct nlmsghdr *nlh, const struct mgre_link_params *p)
{
	struct nlattr *linkinfo, *data;

	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, MGRE_KIND);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (p->has_local)
		mnl_attr_put_u32(nlh, IFLA_MGRE_LOCAL, p->local);
	if (p->has_key)
		mnl_attr_put_u32(nlh, IFLA_MGRE_KEY, p->key);
	if (p->nokey)
		mnl_attr_put(nlh, IFLA_MGRE_NOKEY, 0, NULL);
	if (p->has_ttl)
		mnl_attr_put_u8(nlh, IFLA_MGRE_TTL, p->ttl);
	if (p->has_tos)
		mnl_attr_put_u8(nlh, IFLA_MGRE_TOS, p->tos);
	if (p->has_holdtime)
		mnl_attr_put_u16(nlh, IFLA_MGRE_HOLDTIME, p->holdtime);
	if (p->has_link)
		mnl_attr_put_u32(nlh, IFLA_MGRE_LINK, p->link);
	if (p->has_max_entries)
		mnl_attr_put_u32(nlh, IFLA_MGRE_MAX_ENTRIES, p->max_entries);
	if (p->has_network_id)
		mnl_attr_put_u32(nlh, IFLA_MGRE_NETWORK_ID, p->network_id);
	if (p->has_mcast_dynamic)
		mnl_attr_put_u8(nlh, IFLA_MGRE_MCAST_DYNAMIC, p->mcast_dynamic);
	if (p->has_mcast_nhs)
		mnl_attr_put_u8(nlh, IFLA_MGRE_MCAST_NHS, p->mcast_nhs);
	if (p->has_mcast_limit)
		mnl_attr_put_u32(nlh, IFLA_MGRE_MCAST_LIMIT, p->mcast_limit);
	if (p->has_redirect)
		mnl_attr_put_u8(nlh, IFLA_MGRE_REDIRECT, p->redirect);
	if (p->has_shortcut)
		mnl_attr_put_u8(nlh, IFLA_MGRE_SHORTCUT, p->shortcut);
	if (p->has_max_per_nbma)
		mnl_attr_put_u32(nlh, IFLA_MGRE_MAX_PER_NBMA, p->max_per_nbma);
	if (p->has_max_holdtime)
		mnl_attr_put_u16(nlh, IFLA_MGRE_MAX_HOLDTIME, p->max_holdtime);
	if (p->has_reg_timeout)
		mnl_attr_put_u16(nlh, IFLA_MGRE_REG_TIMEOUT, p->reg_timeout);
	if (p->has_nhs_max_conn)
		mnl_attr_put_u8(nlh, IFLA_MGRE_NHS_MAX_CONN, p->nhs_max_conn);
	if (p->has_nhs_fallback)
		mnl_attr_put_u16(nlh, IFLA_MGRE_NHS_FALLBACK, p->nhs_fallback);
	if (p->has_nhs) {
		struct nlattr *list;
		unsigned int i;

		list = mnl_attr_nest_start(nlh, IFLA_MGRE_NHS_LIST);
		for (i = 0; i < p->n_nhs; i++) {
			struct nlattr *nhs = mnl_attr_nest_start(nlh, IFLA_MGRE_NHS);
			if (p->nhs[i].proto)
				mnl_attr_put_u32(nlh, IFLA_MGRE_NHS_PROTO4,
						 p->nhs[i].proto);
			mnl_attr_put_u32(nlh, IFLA_MGRE_NHS_NBMA4,
					 p->nhs[i].nbma);
			if (p->nhs[i].priority)
				mnl_attr_put_u8(nlh, IFLA_MGRE_NHS_PRIORITY,
						p->nhs[i].priority);
			mnl_attr_nest_end(nlh, nhs);
		}
		mnl_attr_nest_end(nlh, list);
	}
	if (p->has_auth)
		mnl_attr_put(nlh, IFLA_MGRE_AUTH, p->auth_len, p->auth);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
}

static int link_modify(int argc, char **argv, bool change)
{
	struct mgre_link_params p;
	unsigned int ifindex = 0;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	const char *name;
	struct mgre_nl nl;
	int ret;

	if (argc < 1)
		mgre_die("device name (NAME) is required");
	name = argv[0];
	if (!*name || strlen(name) >= IF_NAMESIZE || strchr(name, '/') ||
	    strchr(name, ' '))
		mgre_die("\"%s\" is not a valid device name", name);

	ret = mgre_link_parse(argc - 1, argv + 1, &p, change);
	if (ret == MGRE_LINK_PARSE_HELP) {
		usage_link(stdout);
		return 0;
	}
	if (ret)
		exit(1);

	if (!change && if_nametoindex(name))
		mgre_die("device \"%s\" already exists", name);
	if (change && argc < 2)
		mgre_die("nothing to change; give at least one parameter");

	if (mgre_nl_open(&nl, NETLINK_ROUTE))
		return 1;
	if (change)
		ifindex = mgre_dev(&nl, name);

	nlh = mgre_rtnl_msg(&nl, RTM_NEWLINK,
			    change ? 0 : NLM_F_CREATE | NLM_F_EXCL);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (!change)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	put_params(nlh, &p);

	if (mgre_nl_talk(&nl, nlh, NULL, NULL))
		mgre_nl_die(&nl);
	mgre_nl_close(&nl);
	return 0;
}

static int link_del(int argc, char **argv)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct mgre_nl nl;
	unsigned int ifindex;

	if (argc < 1)
		mgre_die("device name (NAME) is required");
	if (argc > 1)
		mgre_die("unknown keyword \"%s\"", argv[1]);
	mgre_ifindex(argv[0]);

	if (mgre_nl_open(&nl, NETLINK_ROUTE))
		return 1;
	ifindex = mgre_dev(&nl, argv[0]);

	nlh = mgre_rtnl_msg(&nl, RTM_DELLINK, 0);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (mgre_nl_talk(&nl, nlh, NULL, NULL))
		mgre_nl_die(&nl);
	mgre_nl_close(&nl);
	return 0;
}

int do_link(int argc, char **argv)
{
	const char *verb = argc > 0 ? argv[0] : "show";

	if (argc > 0) {
		argc--;
		argv++;
	}
	if (mgre_is_help(argc, argv)) {
		usage_link(stdout);
		return 0;
	}

	if (!strcmp(verb, "add"))
		return link_modify(argc, argv, false);
	if (!strcmp(verb, "set") || !strcmp(verb, "change"))
		return link_modify(argc, argv, true);
	if (!strcmp(verb, "del") || !strcmp(verb, "delete"))
		return link_del(argc, argv);
	if (!strcmp(verb, "show") || !strcmp(verb, "list") ||
	    !strcmp(verb, "ls"))
		return link_show(argc, argv);
	mgre_die("unknown link command \"%s\"; try \"mgrectl link help\"",
		 verb);
}
