// SPDX-License-Identifier: GPL-2.0
/*
 * fake_mgre.so: an LD_PRELOAD stand-in for the mgre generic netlink family,
 * so that mgrectl's netlink code (dumps, acks, extack, events) can be tested
 * on a host without the module.  Only NETLINK_GENERIC sockets are faked;
 * rtnetlink goes to the real kernel.
 *
 * Environment:
 *   FAKE_MGRE_NOFAMILY=1   CTRL_CMD_GETFAMILY answers -ENOENT
 *   FAKE_MGRE_ENTRIES=N    entries in a dump (default 3), split over
 *                          two devices
 *   FAKE_MGRE_INTR=1       flag the dump NLM_F_DUMP_INTR
 *   FAKE_MGRE_ERR=1        ENTRY_ADD/DEL/GET fail: -EINVAL with an extack
 *                          message pointing at the last nested attribute
 *   FAKE_MGRE_LOG=FILE     log every request's attributes to FILE
 *   FAKE_MGRE_RTNL=1       fake NETLINK_ROUTE too: RTM_GETLINK answers one
 *                          mgre device with an NHRP configuration,
 *                          RTM_NEWLINK/DELLINK are logged and acked (with
 *                          FAKE_MGRE_ERR: -EINVAL pointing at the innermost
 *                          last attribute)
 *
 * Besides entries, the fake answers MGRE_CMD_NHS_GET (three NHSs over two
 * devices, filtered by MGRE_A_IFINDEX), MGRE_CMD_RESOLVE (ack) and sends
 * NHS up/down events after the entry events.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/mgre.h>

#define FAMILY_ID	0x42
#define EVENTS_GRP	7
#define DGRAM_MAX	32768

struct dgram {
	struct dgram	*next;
	size_t		len;
	char		buf[];
};

static int fake_fd = -1;
static int fake_proto;
static struct dgram *head, **tail = &head;
static char *cur;		/* datagram under construction */
static size_t cur_len;

static int getenv_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v ? atoi(v) : def;
}

static void flush_dgram(void)
{
	struct dgram *d;

	if (!cur_len)
		return;
	d = malloc(sizeof(*d) + cur_len);
	d->next = NULL;
	d->len = cur_len;
	memcpy(d->buf, cur, cur_len);
	*tail = d;
	tail = &d->next;
	cur_len = 0;
}

/* Append a finished message to the current datagram (new one if full). */
static void queue_msg(const struct nlmsghdr *nlh)
{
	if (!cur)
		cur = malloc(DGRAM_MAX);
	if (cur_len + nlh->nlmsg_len > DGRAM_MAX)
		flush_dgram();
	memcpy(cur + cur_len, nlh, nlh->nlmsg_len);
	cur_len += MNL_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *new_msg(char *buf, const struct nlmsghdr *req,
				uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = req ? req->nlmsg_seq : 0;
	nlh->nlmsg_pid = req ? 4242 : 0;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void queue_ack(const struct nlmsghdr *req, int error, const char *msg,
		      uint32_t offs)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = 4242;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg = *req;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		if (offs)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	}
	queue_msg(nlh);
	flush_dgram();
}

static void queue_done(const struct nlmsghdr *req, bool intr)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int zero = 0;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | (intr ? NLM_F_DUMP_INTR : 0);
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = 4242;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &zero,
	       sizeof(int));
	queue_msg(nlh);
	flush_dgram();
}

static void put_entry(struct nlmsghdr *nlh, int i)
{
	struct nlattr *nest;
	uint32_t a;

	mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, 100 + (i & 1));
	mnl_attr_put_strz(nlh, MGRE_A_IFNAME, i & 1 ? "mgre1" : "mgre0");
	nest = mnl_attr_nest_start(nlh, MGRE_A_ENTRY);
	if (i % 5 == 4) {
		unsigned char a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

		a6[14] = i >> 8;
		a6[15] = i;
		mnl_attr_put(nlh, MGRE_ENTRY_A_PROTO_ADDR6, 16, a6);
	} else {
		a = htonl(0x0a000000 | i);
		mnl_attr_put_u32(nlh, MGRE_ENTRY_A_PROTO_ADDR4, a);
	}
	a = htonl(0xc0000200 | (i & 0xff));
	mnl_attr_put_u32(nlh, MGRE_ENTRY_A_NBMA_ADDR4, a);
	mnl_attr_put_u8(nlh, MGRE_ENTRY_A_TYPE, i % 3);
	mnl_attr_put_u32(nlh, MGRE_ENTRY_A_FLAGS, i % 8);
	if (i % 3) {
		mnl_attr_put_u16(nlh, MGRE_ENTRY_A_HOLDTIME, 60);
		mnl_attr_put_u32(nlh, MGRE_ENTRY_A_EXPIRES, 56001 + i);
	}
	mnl_attr_put_u64(nlh, MGRE_ENTRY_A_AGE, 3000 + i);
	mnl_attr_put_u64(nlh, MGRE_ENTRY_A_UPDATED, 2500);
	if (i % 2)
		mnl_attr_put_u64(nlh, MGRE_ENTRY_A_USED, 1999);
	mnl_attr_nest_end(nlh, nest);
}

static void put_stats(struct nlmsghdr *nlh, int first, int last, int base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MGRE_A_STATS);
	int i;

	for (i = first; i <= last; i++)
		mnl_attr_put_u64(nlh, i, base + i);
	mnl_attr_nest_end(nlh, nest);
}

static void put_nhrp_stats(struct nlmsghdr *nlh)
{
	struct nlattr *nest, *n;

	nest = mnl_attr_nest_start(nlh, MGRE_A_NHRP_STATS);
	n = mnl_attr_nest_start(nlh, MGRE_NHRP_A_TX);
	mnl_attr_put(nlh, 0, 0, NULL);		/* alignment padding */
	mnl_attr_put_u64(nlh, 1, 2);		/* resolution-request */
	mnl_attr_put_u64(nlh, 3, 4);		/* registration-request */
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, MGRE_NHRP_A_RX);
	mnl_attr_put_u64(nlh, 2, 1);		/* resolution-reply */
	mnl_attr_put_u64(nlh, 4, 3);		/* registration-reply */
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, MGRE_NHRP_A_DROP);
	mnl_attr_put_u64(nlh, MGRE_NHRP_DROP_BAD_CHECKSUM, 5);
	mnl_attr_put_u64(nlh, MGRE_NHRP_DROP_AUTH, 6);
	mnl_attr_put_u64(nlh, 40, 7);		/* unknown to mgrectl */
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, nest);
}

/* NHS i: 0 static up, 1 dynamic learnt registering, 2 dynamic down. */
static void put_nhs(struct nlmsghdr *nlh, int i)
{
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, i == 2 ? 101 : 100);
	mnl_attr_put_strz(nlh, MGRE_A_IFNAME, i == 2 ? "mgre1" : "mgre0");
	nest = mnl_attr_nest_start(nlh, MGRE_A_NHS);
	mnl_attr_put_u32(nlh, MGRE_NHS_A_PROTO4,
			 i == 2 ? 0 : htonl(0x0a000001 + i));
	mnl_attr_put_u32(nlh, MGRE_NHS_A_NBMA4, htonl(0xc0000201 + i));
	if (i)
		mnl_attr_put(nlh, MGRE_NHS_A_DYNAMIC, 0, NULL);
	mnl_attr_put_u8(nlh, MGRE_NHS_A_STATE,
			i == 0 ? MGRE_NHS_UP :
			i == 1 ? MGRE_NHS_REGISTERING : MGRE_NHS_DOWN);
	mnl_attr_put_u32(nlh, MGRE_NHS_A_RTT, i ? 0 : 3);
	mnl_attr_put_u32(nlh, MGRE_NHS_A_NEXT, i == 2 ? 64001 : 15000);
	mnl_attr_put_u32(nlh, MGRE_NHS_A_REGISTRATIONS, i ? 0 : 4);
	mnl_attr_put_u32(nlh, MGRE_NHS_A_FAILURES, i == 2 ? 3 : 0);
	mnl_attr_put_u8(nlh, MGRE_NHS_A_LAST_CODE, i == 2 ? 14 :
						    i == 1 ? 255 : 0);
	mnl_attr_put_u8(nlh, MGRE_NHS_A_PRIORITY, i == 2 ? 1 : 0);
	if (!i)
		mnl_attr_put_u64(nlh, MGRE_NHS_A_LAST_REPLY, 5999);
	mnl_attr_nest_end(nlh, nest);
}

static void log_attrs(FILE *f, const struct nlattr *start, int len, int depth)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(start, len) {
		const unsigned char *p = mnl_attr_get_payload(attr);
		int i, plen = mnl_attr_get_payload_len(attr);

		fprintf(f, "%*sattr %u len %d:", depth * 2, "",
			mnl_attr_get_type(attr), plen);
		for (i = 0; i < plen; i++)
			fprintf(f, " %02x", p[i]);
		fprintf(f, "\n");
		if ((attr->nla_type & NLA_F_NESTED) && depth < 6)
			log_attrs(f, mnl_attr_get_payload(attr), plen,
				  depth + 1);
	}
}

/* The innermost last attribute after @hdrlen, for fake extack offsets. */
static uint32_t last_attr_off(const struct nlmsghdr *req, size_t hdrlen)
{
	const char *p = (const char *)req + MNL_NLMSG_HDRLEN + hdrlen;
	const char *end = (const char *)req + req->nlmsg_len;
	const struct nlattr *a, *last = NULL;

	while (p + sizeof(*a) <= end) {
		a = (const void *)p;
		if (a->nla_len < sizeof(*a) || p + a->nla_len > end)
			break;
		last = a;
		p += MNL_ALIGN(a->nla_len);
		if (p >= end && (a->nla_type & NLA_F_NESTED) &&
		    a->nla_len > sizeof(*a)) {
			/* descend into the last nest */
			end = (const char *)a + a->nla_len;
			p = (const char *)a + MNL_ATTR_HDRLEN;
		}
	}
	return last ? (const char *)last - (const char *)req : 0;
}

static void handle_rtnl(const struct nlmsghdr *req, const char *log)
{
	char buf[4096];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *li, *data, *list, *nhs;

	if (log) {
		FILE *f = fopen(log, "a");

		fprintf(f, "rtnl %u flags 0x%x\n", req->nlmsg_type,
			req->nlmsg_flags);
		log_attrs(f, mnl_nlmsg_get_payload_offset(req,
							sizeof(*ifi)),
			  req->nlmsg_len - MNL_NLMSG_HDRLEN - sizeof(*ifi), 0);
		fclose(f);
	}
	if (req->nlmsg_type != RTM_GETLINK) {
		if (getenv_int("FAKE_MGRE_ERR", 0))
			queue_ack(req, -EINVAL, "fake: attribute out of range",
				  last_attr_off(req, sizeof(*ifi)));
		else
			queue_ack(req, 0, NULL, 0);
		return;
	}

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = (req->nlmsg_flags & NLM_F_DUMP) ? NLM_F_MULTI : 0;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = 4242;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ((const struct ifinfomsg *)
			  mnl_nlmsg_get_payload(req))->ifi_index ?: 100;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "mgre0");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "mgre");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MGRE_LOCAL, htonl(0xc0000201));
	mnl_attr_put_u8(nlh, IFLA_MGRE_TTL, 64);
	mnl_attr_put_u8(nlh, IFLA_MGRE_TOS, 0);
	mnl_attr_put_u16(nlh, IFLA_MGRE_HOLDTIME, 7200);
	mnl_attr_put_u32(nlh, IFLA_MGRE_LINK, 0);
	mnl_attr_put_u32(nlh, IFLA_MGRE_MAX_ENTRIES, 262144);
	mnl_attr_put_u32(nlh, IFLA_MGRE_NETWORK_ID, 1);
	mnl_attr_put_u32(nlh, IFLA_MGRE_MAX_PER_NBMA,
			 MGRE_DEFAULT_MAX_PER_NBMA);
	mnl_attr_put_u16(nlh, IFLA_MGRE_MAX_HOLDTIME,
			 MGRE_DEFAULT_MAX_HOLDTIME);
	mnl_attr_put_u16(nlh, IFLA_MGRE_REG_TIMEOUT, 0);
	list = mnl_attr_nest_start(nlh, IFLA_MGRE_NHS_LIST);
	nhs = mnl_attr_nest_start(nlh, IFLA_MGRE_NHS);
	mnl_attr_put_u32(nlh, IFLA_MGRE_NHS_PROTO4, htonl(0x0a000001));
	mnl_attr_put_u32(nlh, IFLA_MGRE_NHS_NBMA4, htonl(0xc0000201));
	mnl_attr_nest_end(nlh, nhs);
	nhs = mnl_attr_nest_start(nlh, IFLA_MGRE_NHS);
	mnl_attr_put_u32(nlh, IFLA_MGRE_NHS_NBMA4, htonl(0xc0000202));
	mnl_attr_put_u8(nlh, IFLA_MGRE_NHS_PRIORITY, 2);
	mnl_attr_nest_end(nlh, nhs);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	queue_msg(nlh);
	if (req->nlmsg_flags & NLM_F_DUMP)
		queue_done(req, false);
	else
		queue_ack(req, 0, NULL, 0);
}

static void handle(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	bool dump = req->nlmsg_flags & NLM_F_DUMP;
	const char *log = getenv("FAKE_MGRE_LOG");
	char *buf = malloc(DGRAM_MAX);
	struct nlmsghdr *nlh;
	int i, n;

	if (fake_proto == NETLINK_ROUTE) {
		handle_rtnl(req, log);
		goto out;
	}

	if (log && req->nlmsg_type == FAMILY_ID) {
		FILE *f = fopen(log, "a");

		fprintf(f, "cmd %u flags 0x%x\n", g->cmd, req->nlmsg_flags);
		log_attrs(f, mnl_nlmsg_get_payload_offset(req, GENL_HDRLEN),
			  req->nlmsg_len - MNL_NLMSG_HDRLEN - GENL_HDRLEN, 0);
		fclose(f);
	}

	if (req->nlmsg_type == GENL_ID_CTRL) {
		struct nlattr *grps, *grp;

		if (getenv_int("FAKE_MGRE_NOFAMILY", 0)) {
			queue_ack(req, -ENOENT, NULL, 0);
			goto out;
		}
		nlh = new_msg(buf, req, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY);
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "mgre");
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
		mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
		grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
		grp = mnl_attr_nest_start(nlh, 1);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "events");
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, EVENTS_GRP);
		mnl_attr_nest_end(nlh, grp);
		mnl_attr_nest_end(nlh, grps);
		queue_msg(nlh);
		queue_ack(req, 0, NULL, 0);
		goto out;
	}

	if (getenv_int("FAKE_MGRE_ERR", 0) && !dump) {
		const struct nlattr *a, *nest = NULL, *last = NULL;

		mnl_attr_for_each(a, req, GENL_HDRLEN)
			last = a;
		if (last && mnl_attr_get_type(last) == MGRE_A_ENTRY) {
			nest = last;
			mnl_attr_for_each_nested(a, nest)
				last = a;
		}
		queue_ack(req, -EINVAL, "fake: attribute out of range",
			  last ? (const char *)last - (const char *)req : 0);
		goto out;
	}

	switch (g->cmd) {
	case MGRE_CMD_ENTRY_GET:
		n = dump ? getenv_int("FAKE_MGRE_ENTRIES", 3) : 1;
		for (i = 0; i < n; i++) {
			nlh = new_msg(buf, req, FAMILY_ID,
				      dump ? NLM_F_MULTI : 0,
				      MGRE_CMD_ENTRY_GET);
			if (dump && i == n / 2 &&
			    getenv_int("FAKE_MGRE_INTR", 0))
				nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
			put_entry(nlh, dump ? i + 1 : 2);
			queue_msg(nlh);
		}
		break;
	case MGRE_CMD_DEV_GET:
		for (i = 0; i < (dump ? 3 : 1); i++) {
			nlh = new_msg(buf, req, FAMILY_ID,
				      dump ? NLM_F_MULTI : 0, MGRE_CMD_DEV_GET);
			mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, 100 + i);
			mnl_attr_put_strz(nlh, MGRE_A_IFNAME,
					  i == 2 ? "mgre2" : i ? "mgre1" : "mgre0");
			mnl_attr_put_u32(nlh, MGRE_A_ENTRY_COUNT,
					 i == 2 ? 0 : 2);
			mnl_attr_put_u32(nlh, MGRE_A_MAX_ENTRIES, 262144);
			put_stats(nlh, MGRE_STATS_A_TX_NO_ENTRY,
				  MGRE_STATS_A_RX_NHRP, i * 100);
			if (!i)
				put_nhrp_stats(nlh);
			queue_msg(nlh);
		}
		break;
	case MGRE_CMD_NHS_GET: {
		const struct nlattr *a;
		uint32_t filter = 0;

		mnl_attr_for_each(a, req, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == MGRE_A_IFINDEX)
				filter = mnl_attr_get_u32(a);
		for (i = 0; dump && i < 3; i++) {
			if (filter && filter != (i == 2 ? 101u : 100u))
				continue;
			nlh = new_msg(buf, req, FAMILY_ID, NLM_F_MULTI,
				      MGRE_CMD_NHS_GET);
			put_nhs(nlh, i);
			queue_msg(nlh);
		}
		break;
	}
	case MGRE_CMD_NETNS_GET:
		nlh = new_msg(buf, req, FAMILY_ID, 0, MGRE_CMD_NETNS_GET);
		put_stats(nlh, MGRE_STATS_A_RX_NO_TUNNEL,
			  MGRE_STATS_A_RX_NO_TUNNEL, 0);
		queue_msg(nlh);
		break;
	}
	if (dump)
		queue_done(req, false);
	else
		queue_ack(req, 0, NULL, 0);
out:
	free(buf);
}

static void queue_events(void)
{
	char *buf = malloc(DGRAM_MAX);
	struct nlmsghdr *nlh;
	int cmd;

	for (cmd = MGRE_CMD_EVT_ADD; cmd <= MGRE_CMD_EVT_EXPIRE; cmd++) {
		nlh = new_msg(buf, NULL, FAMILY_ID, 0, cmd);
		put_entry(nlh, cmd);
		queue_msg(nlh);
		flush_dgram();
	}
	nlh = new_msg(buf, NULL, FAMILY_ID, 0, MGRE_CMD_EVT_SUMMARY);
	mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, 100);
	mnl_attr_put_strz(nlh, MGRE_A_IFNAME, "mgre0");
	mnl_attr_put_u8(nlh, MGRE_A_EVENT, MGRE_CMD_EVT_DEL);
	mnl_attr_put_u32(nlh, MGRE_A_EVENT_COUNT, 1000000);
	mnl_attr_put_u8(nlh, MGRE_A_TYPE, MGRE_ENTRY_REGISTERED);
	queue_msg(nlh);
	nlh = new_msg(buf, NULL, FAMILY_ID, 0, MGRE_CMD_EVT_SUMMARY);
	mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, 101);
	mnl_attr_put_strz(nlh, MGRE_A_IFNAME, "mgre1");
	mnl_attr_put_u8(nlh, MGRE_A_EVENT, MGRE_CMD_EVT_EXPIRE);
	mnl_attr_put_u32(nlh, MGRE_A_EVENT_COUNT, 744);
	queue_msg(nlh);
	/* No count: malformed, skipped with a warning. */
	nlh = new_msg(buf, NULL, FAMILY_ID, 0, MGRE_CMD_EVT_SUMMARY);
	mnl_attr_put_u8(nlh, MGRE_A_EVENT, MGRE_CMD_EVT_EXPIRE);
	queue_msg(nlh);
	nlh = new_msg(buf, NULL, FAMILY_ID, 0, MGRE_CMD_EVT_NHS_UP);
	put_nhs(nlh, 0);
	queue_msg(nlh);
	nlh = new_msg(buf, NULL, FAMILY_ID, 0, MGRE_CMD_EVT_NHS_DOWN);
	put_nhs(nlh, 2);
	queue_msg(nlh);
	flush_dgram();
	free(buf);
}

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);

	if (!real)
		real = dlsym(RTLD_NEXT, "socket");
	if (domain == AF_NETLINK && (protocol == NETLINK_GENERIC ||
				     (protocol == NETLINK_ROUTE &&
				      getenv_int("FAKE_MGRE_RTNL", 0)))) {
		fake_fd = real(AF_UNIX, SOCK_DGRAM, 0);
		fake_proto = protocol;
		return fake_fd;
	}
	return real(domain, type, protocol);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);

	if (fd == fake_fd)
		return 0;
	if (!real)
		real = dlsym(RTLD_NEXT, "bind");
	return real(fd, addr, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	struct sockaddr_nl *nl = (void *)addr;

	if (fd == fake_fd) {
		memset(nl, 0, sizeof(*nl));
		nl->nl_family = AF_NETLINK;
		nl->nl_pid = 4242;
		*len = sizeof(*nl);
		return 0;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "getsockname");
	return real(fd, addr, len);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	static int (*real)(int, int, int, const void *, socklen_t);

	if (fd == fake_fd) {
		if (level == SOL_NETLINK && name == NETLINK_ADD_MEMBERSHIP &&
		    *(const int *)val == EVENTS_GRP)
			queue_events();
		return 0;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "setsockopt");
	return real(fd, level, name, val, len);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t alen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
			       const struct sockaddr *, socklen_t);

	if (fd == fake_fd) {
		handle(buf);
		return len;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	return real(fd, buf, len, flags, addr, alen);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl *nl = msg->msg_name;
	struct dgram *d;
	bool trunc;
	size_t n;

	if (fd != fake_fd) {
		static ssize_t (*real)(int, struct msghdr *, int);

		if (!real)
			real = dlsym(RTLD_NEXT, "recvmsg");
		return real(fd, msg, flags);
	}
	flush_dgram();
	d = head;
	if (!d) {
		pause();	/* monitor: no more events */
		errno = EINTR;
		return -1;
	}
	head = d->next;
	if (!head)
		tail = &head;
	trunc = d->len > msg->msg_iov[0].iov_len;
	n = trunc ? msg->msg_iov[0].iov_len : d->len;
	memcpy(msg->msg_iov[0].iov_base, d->buf, n);
	msg->msg_flags = trunc ? MSG_TRUNC : 0;
	memset(nl, 0, sizeof(*nl));
	nl->nl_family = AF_NETLINK;
	msg->msg_namelen = sizeof(*nl);
	free(d);
	return n;
}
