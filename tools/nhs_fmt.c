// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: the NHSs of a device as the verbs see them.  Decoding of an NHS
 * message (a dump record or an nhs-up/nhs-down event), its state names and
 * JSON form, the dump that nhs and show dmvpn print, and the hh:mm:ss of
 * their times.  Below the verbs: it calls only nl.c, json.c and args.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/mgre.h>

#include "util.h"
#include "fmt.h"

static const char * const nhs_state_names[] = {
	[MGRE_NHS_DOWN]		= "down",
	[MGRE_NHS_REGISTERING]	= "registering",
	[MGRE_NHS_UP]		= "up",
	[MGRE_NHS_STANDBY]	= "standby",
};

const char *mgre_nhs_state_name(unsigned int state)
{
	static char buf[16];

	if (state < __MGRE_NHS_STATE_MAX)
		return nhs_state_names[state];
	snprintf(buf, sizeof(buf), "state%u", state);
	return buf;
}

static int nhs_attr_cb(const struct nlattr *a, void *data)
{
	static const enum mnl_attr_data_type types[] = {
		[MGRE_NHS_A_PROTO4]		= MNL_TYPE_U32,
		[MGRE_NHS_A_NBMA4]		= MNL_TYPE_U32,
		[MGRE_NHS_A_DYNAMIC]		= MNL_TYPE_FLAG,
		[MGRE_NHS_A_STATE]		= MNL_TYPE_U8,
		[MGRE_NHS_A_RTT]		= MNL_TYPE_U32,
		[MGRE_NHS_A_LAST_REPLY]		= MNL_TYPE_U64,
		[MGRE_NHS_A_NEXT]		= MNL_TYPE_U32,
		[MGRE_NHS_A_REGISTRATIONS]	= MNL_TYPE_U32,
		[MGRE_NHS_A_FAILURES]		= MNL_TYPE_U32,
		[MGRE_NHS_A_LAST_CODE]		= MNL_TYPE_U8,
		[MGRE_NHS_A_PRIORITY]		= MNL_TYPE_U8,
	};

	return mgre_attr_store(a, data, MGRE_NHS_A_MAX, MGRE_ATTR_TYPES(types));
}

/* Decode a MGRE_CMD_NHS_GET answer or a MGRE_CMD_EVT_NHS_* message. */
int mgre_nhs_parse(const struct nlmsghdr *nlh, struct mgre_nhs *n)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	const struct nlattr *nb[MGRE_NHS_A_MAX + 1] = { NULL };

	memset(n, 0, sizeof(*n));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) < 0 ||
	    !tb[MGRE_A_NHS] ||
	    mnl_attr_parse_nested(tb[MGRE_A_NHS], nhs_attr_cb, nb) < 0 ||
	    !nb[MGRE_NHS_A_NBMA4])
		return -EBADMSG;
	mgre_top_dev(tb, &n->ifindex, n->ifname);

	if (nb[MGRE_NHS_A_PROTO4])
		n->proto.s_addr = mnl_attr_get_u32(nb[MGRE_NHS_A_PROTO4]);
	n->nbma.s_addr = mnl_attr_get_u32(nb[MGRE_NHS_A_NBMA4]);
	n->dynamic = nb[MGRE_NHS_A_DYNAMIC];
	if (nb[MGRE_NHS_A_STATE])
		n->state = mnl_attr_get_u8(nb[MGRE_NHS_A_STATE]);
	if (nb[MGRE_NHS_A_RTT]) {
		n->has_rtt = true;
		n->rtt = mnl_attr_get_u32(nb[MGRE_NHS_A_RTT]);
	}
	if (nb[MGRE_NHS_A_LAST_REPLY]) {
		n->has_last_reply = true;
		n->last_reply = mnl_attr_get_u64(nb[MGRE_NHS_A_LAST_REPLY]);
	}
	if (nb[MGRE_NHS_A_NEXT]) {
		n->has_next = true;
		n->next = mnl_attr_get_u32(nb[MGRE_NHS_A_NEXT]);
	}
	if (nb[MGRE_NHS_A_REGISTRATIONS])
		n->registrations =
			mnl_attr_get_u32(nb[MGRE_NHS_A_REGISTRATIONS]);
	if (nb[MGRE_NHS_A_FAILURES])
		n->failures = mnl_attr_get_u32(nb[MGRE_NHS_A_FAILURES]);
	if (nb[MGRE_NHS_A_LAST_CODE]) {
		n->has_last_code = true;
		n->last_code = mnl_attr_get_u8(nb[MGRE_NHS_A_LAST_CODE]);
	}
	if (nb[MGRE_NHS_A_PRIORITY])
		n->priority = mnl_attr_get_u8(nb[MGRE_NHS_A_PRIORITY]);
	return 0;
}

/* The NHS's tunnel address, or "dynamic" while a dynamic one is unknown. */
const char *mgre_nhs_proto_str(const struct mgre_nhs *n, char *buf,
			       size_t len)
{
	if (!n->proto.s_addr)
		snprintf(buf, len, "dynamic");
	else
		inet_ntop(AF_INET, &n->proto, buf, len);
	return buf;
}

void mgre_nhs_json(const struct mgre_nhs *n)
{
	char buf[INET_ADDRSTRLEN];

	json_string("ifname", n->ifname);
	json_u64("ifindex", n->ifindex);
	if (n->proto.s_addr)
		json_string("protocol", inet_ntop(AF_INET, &n->proto, buf,
						  sizeof(buf)));
	else
		json_null("protocol");
	json_string("nbma", inet_ntop(AF_INET, &n->nbma, buf, sizeof(buf)));
	json_bool("dynamic", n->dynamic);
	json_string("state", mgre_nhs_state_name(n->state));
	json_u64("priority", n->priority);
	if (n->has_rtt && n->has_last_reply)
		json_u64("rtt_ms", n->rtt);
	else
		json_null("rtt_ms");
	if (n->has_last_reply)
		json_u64("last_reply_ms", n->last_reply);
	else
		json_null("last_reply_ms");
	if (n->has_next)
		json_u64("next_ms", n->next);
	else
		json_null("next_ms");
	json_u64("registrations", n->registrations);
	json_u64("failures", n->failures);
	if (n->has_last_code)
		json_u64("last_code", n->last_code);
	else
		json_null("last_code");
}

void mgre_hms(uint64_t s, char *buf, size_t len)
{
	snprintf(buf, len, "%02llu:%02llu:%02llu",
		 (unsigned long long)(s / 3600),
		 (unsigned long long)(s / 60 % 60),
		 (unsigned long long)(s % 60));
}

static int nhs_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nhs_list *l = data;
	struct mgre_nhs *n;

	n = realloc(l->nhs, (l->n + 1) * sizeof(*n));
	if (!n)
		mgre_die("out of memory");
	l->nhs = n;
	if (mgre_nhs_parse(nlh, &l->nhs[l->n])) {
		mgre_warn("skipping a malformed NHS record");
		return 0;
	}
	l->n++;
	return 0;
}

void mgre_dump_nhs(struct mgre_nl *nl, unsigned int ifindex,
		   struct nhs_list *l)
{
	struct nlmsghdr *nlh;

	nlh = mgre_genl_msg(nl, MGRE_CMD_NHS_GET, NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	if (mgre_nl_talk(nl, nlh, nhs_cb, l))
		mgre_nl_die(nl);
}
