// SPDX-License-Identifier: GPL-2.0
/*
 * link_mgre.so: iproute2 plugin for "ip link ... type mgre".
 *
 * ip(8) dlopen()s $IP_LIB_DIR/link_<kind>.so and looks up
 * "<kind>_link_util".  The plugin calls back into the ip binary, which
 * exports its symbols; since iproute2 installs no headers, the structure and
 * the few prototypes used are declared here, matching iproute2 6.1
 * (ip/ip_common.h, include/libnetlink.h, include/json_print.h,
 * include/color.h, include/ll_map.h).  struct link_util has kept this layout
 * from v5.10 through v6.19.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/mgre.h>

#include "linkparam.h"

#define MGRE_EXPORT __attribute__((visibility("default")))

/* ip/ip_common.h */
struct link_util {
	struct link_util *next;
	const char	*id;
	int		maxattr;
	int		(*parse_opt)(struct link_util *lu, int argc,
				     char **argv,
				     struct nlmsghdr *n);
	void		(*print_opt)(struct link_util *lu, FILE *f,
				     struct rtattr *tb[]);
	void		(*print_xstats)(struct link_util *lu, FILE *f,
					struct rtattr *xstats);
	void		(*print_help)(struct link_util *lu, int argc,
				      char **argv, FILE *f);
	int		(*parse_ifla_xstats)(struct link_util *lu, int argc,
					     char **argv);
	int		(*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* include/json_print.h: enum output_type; include/color.h: COLOR_NONE */
#define IP_PRINT_FP	1
#define IP_PRINT_JSON	2
#define IP_PRINT_ANY	4
#define IP_COLOR_NONE	6

/* Exported by the ip binary. */
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr16(struct nlmsghdr *n, int maxlen, int type, __u16 data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);
bool is_json_context(void);
void open_json_object(const char *str);
void close_json_object(void);
void open_json_array(int type, const char *str);
void close_json_array(int type, const char *delim);
int print_color_bool(int type, int color, const char *key, const char *fmt,
		     bool value);
int print_color_string(int type, int color, const char *key,
		       const char *fmt, const char *value);
int print_color_uint(int type, int color, const char *key, const char *fmt,
		     unsigned int value);
const char *ll_index_to_name(unsigned int idx);

/* Room left in ip's struct iplink_req, as every in-tree link type uses. */
#define IPLINK_REQ_MAX	1024

static void mgre_print_help(struct link_util __maybe_unused *lu,
			    int __maybe_unused argc,
			    char __maybe_unused **argv, FILE *f)
{
	fprintf(f,
		"Usage: ip link { add | set | change | replace } NAME type mgre [ PARAMS ]\n"
		"       (nokey removes the key of an existing device)\n");
	mgre_link_params_usage(f);
}

static int mgre_parse_opt(struct link_util *lu, int argc, char **argv,
			  struct nlmsghdr *n)
{
	bool change = !(n->nlmsg_flags & NLM_F_CREATE) ||
		      (n->nlmsg_flags & NLM_F_REPLACE);
	struct mgre_link_params p;
	int ret;

	ret = mgre_link_parse(argc, argv, &p, change);
	if (ret == MGRE_LINK_PARSE_HELP) {
		mgre_print_help(lu, argc, argv, stderr);
		return -1;
	}
	if (ret)
		return -1;

	if (p.has_local)
		addattr_l(n, IPLINK_REQ_MAX, IFLA_MGRE_LOCAL, &p.local, 4);
	if (p.has_key)
		addattr32(n, IPLINK_REQ_MAX, IFLA_MGRE_KEY, p.key);
	if (p.nokey)
		addattr_l(n, IPLINK_REQ_MAX, IFLA_MGRE_NOKEY, NULL, 0);
	if (p.has_ttl)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_TTL, p.ttl);
	if (p.has_tos)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_TOS, p.tos);
	if (p.has_holdtime)
		addattr16(n, IPLINK_REQ_MAX, IFLA_MGRE_HOLDTIME, p.holdtime);
	if (p.has_link)
		addattr32(n, IPLINK_REQ_MAX, IFLA_MGRE_LINK, p.link);
	if (p.has_max_entries)
		addattr32(n, IPLINK_REQ_MAX, IFLA_MGRE_MAX_ENTRIES,
			  p.max_entries);
	if (p.has_network_id)
		addattr32(n, IPLINK_REQ_MAX, IFLA_MGRE_NETWORK_ID,
			  p.network_id);
	if (p.has_mcast_dynamic)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_MCAST_DYNAMIC,
			 p.mcast_dynamic);
	if (p.has_mcast_nhs)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_MCAST_NHS, p.mcast_nhs);
	if (p.has_mcast_limit)
		addattr32(n, IPLINK_REQ_MAX, IFLA_MGRE_MCAST_LIMIT,
			  p.mcast_limit);
	if (p.has_redirect)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_REDIRECT, p.redirect);
	if (p.has_shortcut)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_SHORTCUT, p.shortcut);
	if (p.has_max_per_nbma)
		addattr32(n, IPLINK_REQ_MAX, IFLA_MGRE_MAX_PER_NBMA,
			  p.max_per_nbma);
	if (p.has_max_holdtime)
		addattr16(n, IPLINK_REQ_MAX, IFLA_MGRE_MAX_HOLDTIME,
			  p.max_holdtime);
	if (p.has_reg_timeout)
		addattr16(n, IPLINK_REQ_MAX, IFLA_MGRE_REG_TIMEOUT,
			  p.reg_timeout);
	if (p.has_nhs_max_conn)
		addattr8(n, IPLINK_REQ_MAX, IFLA_MGRE_NHS_MAX_CONN,
			 p.nhs_max_conn);
	if (p.has_nhs_fallback)
		addattr16(n, IPLINK_REQ_MAX, IFLA_MGRE_NHS_FALLBACK,
			  p.nhs_fallback);
	if (p.has_nhs) {
		struct rtattr *list;
		unsigned int i;

		list = addattr_nest(n, IPLINK_REQ_MAX,
				    IFLA_MGRE_NHS_LIST | NLA_F_NESTED);
		for (i = 0; i < p.n_nhs; i++) {
			struct rtattr *nhs = addattr_nest(n, IPLINK_REQ_MAX,
						IFLA_MGRE_NHS | NLA_F_NESTED);

			if (p.nhs[i].proto)
				addattr_l(n, IPLINK_REQ_MAX,
					  IFLA_MGRE_NHS_PROTO4,
					  &p.nhs[i].proto, 4);
			addattr_l(n, IPLINK_REQ_MAX, IFLA_MGRE_NHS_NBMA4,
				  &p.nhs[i].nbma, 4);
			if (p.nhs[i].priority)
				addattr8(n, IPLINK_REQ_MAX,
					 IFLA_MGRE_NHS_PRIORITY,
					 p.nhs[i].priority);
			addattr_nest_end(n, nhs);
		}
		addattr_nest_end(n, list);
	}
	if (p.has_auth)
		addattr_l(n, IPLINK_REQ_MAX, IFLA_MGRE_AUTH, p.auth,
			  p.auth_len);
	return 0;
}

static bool attr_ok(const struct rtattr *rta, unsigned int len)
{
	return rta && RTA_PAYLOAD(rta) >= len;
}

static __u32 attr_u32(const struct rtattr *rta)
{
	return *(const __u32 *)RTA_DATA(rta);
}

static void out_uint(const char *key, const char *fmt, unsigned int val)
{
	print_color_uint(IP_PRINT_ANY, IP_COLOR_NONE, key, fmt, val);
}

static void out_str(int type, const char *key, const char *fmt,
		      const char *val)
{
	print_color_string(type, IP_COLOR_NONE, key, fmt, val);
}

/* A boolean: "NAME on|off" on screen, true/false in JSON. */
static void out_on_off(const char *key, const char *name, __u8 val)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s %%s ", name);
	if (is_json_context())
		print_color_bool(IP_PRINT_JSON, IP_COLOR_NONE, key, NULL, val);
	else
		out_str(IP_PRINT_FP, NULL, fmt, val ? "on" : "off");
}

/* IFLA_MGRE_NHS_LIST: "nhs { PROTO | dynamic } nbma NBMA " per entry. */
static void print_nhs_list(const struct rtattr *list)
{
	const struct rtattr *nhs, *a;
	int rem = RTA_PAYLOAD(list), rem2;
	bool opened = false;

	for (nhs = RTA_DATA(list); RTA_OK(nhs, rem);
	     nhs = RTA_NEXT(nhs, rem)) {
		char buf[INET_ADDRSTRLEN];
		__u32 proto = 0, nbma = 0;
		__u8 prio = 0;

		if ((nhs->rta_type & NLA_TYPE_MASK) != IFLA_MGRE_NHS)
			continue;
		rem2 = RTA_PAYLOAD(nhs);
		for (a = RTA_DATA(nhs); RTA_OK(a, rem2);
		     a = RTA_NEXT(a, rem2)) {
			if ((a->rta_type & NLA_TYPE_MASK) ==
			    IFLA_MGRE_NHS_PRIORITY && attr_ok(a, 1))
				prio = *(__u8 *)RTA_DATA(a);
			if (!attr_ok(a, 4))
				continue;
			if ((a->rta_type & NLA_TYPE_MASK) ==
			    IFLA_MGRE_NHS_PROTO4)
				proto = attr_u32(a);
			else if ((a->rta_type & NLA_TYPE_MASK) ==
				 IFLA_MGRE_NHS_NBMA4)
				nbma = attr_u32(a);
		}
		if (!opened) {
			open_json_array(IP_PRINT_JSON, "nhs");
			opened = true;
		}
		open_json_object(NULL);
		if (proto) {
			inet_ntop(AF_INET, &proto, buf, sizeof(buf));
			out_str(IP_PRINT_ANY, "protocol", "nhs %s ", buf);
		} else {
			print_color_bool(IP_PRINT_JSON, IP_COLOR_NONE,
					 "dynamic", NULL, true);
			out_str(IP_PRINT_FP, NULL, "nhs %s ", "dynamic");
		}
		inet_ntop(AF_INET, &nbma, buf, sizeof(buf));
		out_str(IP_PRINT_ANY, "nbma", "nbma %s ", buf);
		if (prio)
			out_uint("priority", "priority %u ", prio);
		close_json_object();
	}
	if (opened)
		close_json_array(IP_PRINT_JSON, NULL);
}

static void mgre_print_opt(struct link_util __maybe_unused *lu,
			   FILE __maybe_unused *f, struct rtattr *tb[])
{
	char local[INET_ADDRSTRLEN] = "any";
	__u32 addr;

	if (!tb)
		return;

	if (attr_ok(tb[IFLA_MGRE_LOCAL], 4)) {
		addr = attr_u32(tb[IFLA_MGRE_LOCAL]);
		if (addr)
			inet_ntop(AF_INET, &addr, local, sizeof(local));
	}
	out_str(IP_PRINT_ANY, "local", "local %s ", local);

	if (attr_ok(tb[IFLA_MGRE_KEY], 4))
		out_uint("key", "key %u ", attr_u32(tb[IFLA_MGRE_KEY]));

	if (attr_ok(tb[IFLA_MGRE_TTL], 1)) {
		__u8 ttl = *(__u8 *)RTA_DATA(tb[IFLA_MGRE_TTL]);

		if (ttl || is_json_context())
			out_uint("ttl", "ttl %u ", ttl);
		else
			out_str(IP_PRINT_FP, NULL, "ttl %s ", "inherit");
	}

	if (attr_ok(tb[IFLA_MGRE_TOS], 1)) {
		__u8 tos = *(__u8 *)RTA_DATA(tb[IFLA_MGRE_TOS]);

		if (tos != MGRE_TOS_INHERIT || is_json_context())
			out_uint("tos", "tos %u ", tos);
		else
			out_str(IP_PRINT_FP, NULL, "tos %s ", "inherit");
	}

	if (attr_ok(tb[IFLA_MGRE_HOLDTIME], 2))
		out_uint("holdtime", "holdtime %u ",
			   *(__u16 *)RTA_DATA(tb[IFLA_MGRE_HOLDTIME]));

	if (attr_ok(tb[IFLA_MGRE_LINK], 4)) {
		__u32 link = attr_u32(tb[IFLA_MGRE_LINK]);

		if (link)
			out_str(IP_PRINT_ANY, "link", "dev %s ",
				  ll_index_to_name(link));
	}

	if (attr_ok(tb[IFLA_MGRE_MAX_ENTRIES], 4))
		out_uint("max_entries", "max-entries %u ",
			   attr_u32(tb[IFLA_MGRE_MAX_ENTRIES]));

	if (attr_ok(tb[IFLA_MGRE_NETWORK_ID], 4))
		out_uint("network_id", "network-id %u ",
			 attr_u32(tb[IFLA_MGRE_NETWORK_ID]));

	if (attr_ok(tb[IFLA_MGRE_MCAST_DYNAMIC], 1))
		out_on_off("mcast_dynamic", "mcast-dynamic",
			   *(__u8 *)RTA_DATA(tb[IFLA_MGRE_MCAST_DYNAMIC]));
	if (attr_ok(tb[IFLA_MGRE_MCAST_NHS], 1))
		out_on_off("mcast_nhs", "mcast-nhs",
			   *(__u8 *)RTA_DATA(tb[IFLA_MGRE_MCAST_NHS]));
	if (attr_ok(tb[IFLA_MGRE_MCAST_LIMIT], 4))
		out_uint("mcast_limit", "mcast-limit %u ",
			 attr_u32(tb[IFLA_MGRE_MCAST_LIMIT]));
	if (attr_ok(tb[IFLA_MGRE_REDIRECT], 1))
		out_on_off("redirect", "redirect",
			   *(__u8 *)RTA_DATA(tb[IFLA_MGRE_REDIRECT]));
	if (attr_ok(tb[IFLA_MGRE_SHORTCUT], 1))
		out_on_off("shortcut", "shortcut",
			   *(__u8 *)RTA_DATA(tb[IFLA_MGRE_SHORTCUT]));
	if (attr_ok(tb[IFLA_MGRE_MAX_PER_NBMA], 4))
		out_uint("max_per_nbma", "max-per-nbma %u ",
			 attr_u32(tb[IFLA_MGRE_MAX_PER_NBMA]));
	if (attr_ok(tb[IFLA_MGRE_MAX_HOLDTIME], 2))
		out_uint("max_holdtime", "max-holdtime %u ",
			 *(__u16 *)RTA_DATA(tb[IFLA_MGRE_MAX_HOLDTIME]));
	if (attr_ok(tb[IFLA_MGRE_REG_TIMEOUT], 2))
		out_uint("registration_timeout", "registration-timeout %u ",
			 *(__u16 *)RTA_DATA(tb[IFLA_MGRE_REG_TIMEOUT]));
	if (attr_ok(tb[IFLA_MGRE_NHS_MAX_CONN], 1) &&
	    *(__u8 *)RTA_DATA(tb[IFLA_MGRE_NHS_MAX_CONN]))
		out_uint("nhs_max_connections", "nhs-max-connections %u ",
			 *(__u8 *)RTA_DATA(tb[IFLA_MGRE_NHS_MAX_CONN]));
	if (attr_ok(tb[IFLA_MGRE_NHS_FALLBACK], 2) &&
	    *(__u16 *)RTA_DATA(tb[IFLA_MGRE_NHS_FALLBACK]))
		out_uint("nhs_fallback", "nhs-fallback %u ",
			 *(__u16 *)RTA_DATA(tb[IFLA_MGRE_NHS_FALLBACK]));

	if (tb[IFLA_MGRE_NHS_LIST])
		print_nhs_list(tb[IFLA_MGRE_NHS_LIST]);
}

MGRE_EXPORT struct link_util mgre_link_util = {
	.id		= "mgre",
	.maxattr	= IFLA_MGRE_MAX,
	.parse_opt	= mgre_parse_opt,
	.print_opt	= mgre_print_opt,
	.print_help	= mgre_print_help,
};
