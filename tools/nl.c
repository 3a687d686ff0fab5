// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: netlink plumbing.  One request at a time: send it with NLM_F_ACK,
 * read replies until the ack (or NLMSG_DONE for a dump), decode extended
 * acks so the kernel's explanation reaches the user.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/mgre.h>

#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * -n NETNS: work in the named network namespace (as "ip -n": the name
 * "ip netns add" gave it, under /run/netns), before any socket is opened.
 * Unlike "ip netns exec" no mount namespace is made: mgrectl reads
 * nothing of /sys.
 */
void mgre_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		mgre_die("\"%s\" is not a network namespace name", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		mgre_die("cannot open network namespace \"%s\": %s", name,
			 strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		mgre_die("cannot enter network namespace \"%s\": %s", name,
			 strerror(errno));
	close(fd);
}

int mgre_nl_open(struct mgre_nl *nl, int bus)
{
	int one = 1;
	int rcvbuf = 4 << 20;

	memset(nl, 0, sizeof(*nl));
	nl->bus = bus;
	nl->txbuf = calloc(1, MGRE_NL_TXBUF);
	nl->rxbuf = malloc(MGRE_NL_RXBUF);
	if (!nl->txbuf || !nl->rxbuf) {
		mgre_err("out of memory");
		return -1;
	}

	nl->sock = mnl_socket_open(bus);
	if (!nl->sock) {
		mgre_err("cannot open netlink socket: %s", strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		mgre_err("cannot bind netlink socket: %s", strerror(errno));
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);

	/* Best effort: old kernels lack these, the tool still works. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
		   &rcvbuf, sizeof(rcvbuf));
	return 0;
}

void mgre_nl_close(struct mgre_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->txbuf);
	free(nl->rxbuf);
	nl->sock = NULL;
	nl->txbuf = NULL;
	nl->rxbuf = NULL;
}

struct nlmsghdr *mgre_genl_msg(struct mgre_nl *nl, uint8_t cmd,
			       uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(nl->txbuf, 0, MGRE_NL_TXBUF);
	nlh = mnl_nlmsg_put_header(nl->txbuf);
	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = MGRE_GENL_VERSION;
	return nlh;
}

struct nlmsghdr *mgre_rtnl_msg(struct mgre_nl *nl, uint16_t type,
			       uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(nl->txbuf, 0, MGRE_NL_TXBUF);
	nlh = mnl_nlmsg_put_header(nl->txbuf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	return nlh;
}

/* Attribute names for pointing at the attribute the kernel rejected. */
static const char * const genl_attr_names[] = {
	[MGRE_A_IFINDEX]	= "MGRE_A_IFINDEX",
	[MGRE_A_IFNAME]		= "MGRE_A_IFNAME",
	[MGRE_A_ENTRY]		= "MGRE_A_ENTRY",
	[MGRE_A_TYPE]		= "MGRE_A_TYPE",
	[MGRE_A_ENTRY_COUNT]	= "MGRE_A_ENTRY_COUNT",
	[MGRE_A_MAX_ENTRIES]	= "MGRE_A_MAX_ENTRIES",
	[MGRE_A_STATS]		= "MGRE_A_STATS",
	[MGRE_A_NHRP_STATS]	= "MGRE_A_NHRP_STATS",
	[MGRE_A_NHS]		= "MGRE_A_NHS",
};

static const char * const entry_attr_names[] = {
	[MGRE_ENTRY_A_PROTO_ADDR4]	= "MGRE_ENTRY_A_PROTO_ADDR4",
	[MGRE_ENTRY_A_PROTO_ADDR6]	= "MGRE_ENTRY_A_PROTO_ADDR6",
	[MGRE_ENTRY_A_NBMA_ADDR4]	= "MGRE_ENTRY_A_NBMA_ADDR4",
	[MGRE_ENTRY_A_TYPE]		= "MGRE_ENTRY_A_TYPE",
	[MGRE_ENTRY_A_FLAGS]		= "MGRE_ENTRY_A_FLAGS",
	[MGRE_ENTRY_A_HOLDTIME]		= "MGRE_ENTRY_A_HOLDTIME",
};

static const char * const link_attr_names[] = {
	[IFLA_MGRE_LOCAL]	= "IFLA_MGRE_LOCAL",
	[IFLA_MGRE_KEY]		= "IFLA_MGRE_KEY",
	[IFLA_MGRE_NOKEY]	= "IFLA_MGRE_NOKEY",
	[IFLA_MGRE_TTL]		= "IFLA_MGRE_TTL",
	[IFLA_MGRE_TOS]		= "IFLA_MGRE_TOS",
	[IFLA_MGRE_HOLDTIME]	= "IFLA_MGRE_HOLDTIME",
	[IFLA_MGRE_LINK]	= "IFLA_MGRE_LINK",
	[IFLA_MGRE_MAX_ENTRIES]	= "IFLA_MGRE_MAX_ENTRIES",
	[IFLA_MGRE_NETWORK_ID]	= "IFLA_MGRE_NETWORK_ID",
	[IFLA_MGRE_NHS_LIST]	= "IFLA_MGRE_NHS_LIST",
	[IFLA_MGRE_AUTH]	= "IFLA_MGRE_AUTH",
	[IFLA_MGRE_MCAST_DYNAMIC] = "IFLA_MGRE_MCAST_DYNAMIC",
	[IFLA_MGRE_MCAST_NHS]	= "IFLA_MGRE_MCAST_NHS",
	[IFLA_MGRE_MCAST_LIMIT]	= "IFLA_MGRE_MCAST_LIMIT",
	[IFLA_MGRE_REDIRECT]	= "IFLA_MGRE_REDIRECT",
	[IFLA_MGRE_SHORTCUT]	= "IFLA_MGRE_SHORTCUT",
	[IFLA_MGRE_MAX_PER_NBMA] = "IFLA_MGRE_MAX_PER_NBMA",
	[IFLA_MGRE_MAX_HOLDTIME] = "IFLA_MGRE_MAX_HOLDTIME",
	[IFLA_MGRE_REG_TIMEOUT] = "IFLA_MGRE_REG_TIMEOUT",
	[IFLA_MGRE_NHS_MAX_CONN] = "IFLA_MGRE_NHS_MAX_CONN",
	[IFLA_MGRE_NHS_FALLBACK] = "IFLA_MGRE_NHS_FALLBACK",
};

static const char * const nhs_attr_names[] = {
	[IFLA_MGRE_NHS_PROTO4]	= "IFLA_MGRE_NHS_PROTO4",
	[IFLA_MGRE_NHS_NBMA4]	= "IFLA_MGRE_NHS_NBMA4",
};

#define NAME_OF(tbl, t) \
	((t) < sizeof(tbl) / sizeof(tbl[0]) && tbl[t] ? tbl[t] : NULL)

static void attr_path_name(struct mgre_nl *nl, const uint16_t *path,
			   int depth, char *buf, size_t len)
{
	const char *name = NULL;
	uint16_t t = path[depth - 1];

	if (nl->bus == NETLINK_GENERIC) {
		if (depth == 1)
			name = NAME_OF(genl_attr_names, t);
		else if (depth == 2 && path[0] == MGRE_A_ENTRY)
			name = NAME_OF(entry_attr_names, t);
	} else {
		if (depth == 1 && t == IFLA_IFNAME)
			name = "IFLA_IFNAME";
		else if (depth == 1 && t == IFLA_LINKINFO)
			name = "IFLA_LINKINFO";
		else if (depth == 2 && t == IFLA_INFO_KIND)
			name = "IFLA_INFO_KIND";
		else if (depth == 2 && t == IFLA_INFO_DATA)
			name = "IFLA_INFO_DATA";
		else if (depth == 3 && path[1] == IFLA_INFO_DATA)
			name = NAME_OF(link_attr_names, t);
		else if (depth == 4 && path[2] == IFLA_MGRE_NHS_LIST &&
			 t == IFLA_MGRE_NHS)
			name = "IFLA_MGRE_NHS";
		else if (depth == 5 && path[2] == IFLA_MGRE_NHS_LIST)
			name = NAME_OF(nhs_attr_names, t);
	}
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "type %u at depth %d", t, depth);
}

/* Find the attribute starting at (or containing) message offset @off. */
static int attr_find(const char *msg, size_t start, size_t end, size_t off,
		     uint16_t *path, int depth)
{
	size_t pos = start;

	while (pos + sizeof(struct nlattr) <= end && depth < 5) {
		const struct nlattr *a = (const void *)(msg + pos);
		size_t alen = a->nla_len;

		if (alen < sizeof(*a) || pos + alen > end)
			break;
		if (off == pos) {
			path[depth] = a->nla_type & NLA_TYPE_MASK;
			return depth + 1;
		}
		if (off > pos && off < pos + alen) {
			path[depth] = a->nla_type & NLA_TYPE_MASK;
			return attr_find(msg, pos + MNL_ATTR_HDRLEN, pos + alen,
					 off, path, depth + 1);
		}
		pos += MNL_ALIGN(alen);
	}
	return depth;
}

static size_t req_hdrlen(struct mgre_nl *nl)
{
	if (nl->bus == NETLINK_GENERIC)
		return MNL_ALIGN(sizeof(struct nlmsghdr)) + GENL_HDRLEN;
	return MNL_ALIGN(sizeof(struct nlmsghdr)) +
	       MNL_ALIGN(sizeof(struct ifinfomsg));
}

static void describe_attr(struct mgre_nl *nl, const struct nlmsghdr *req,
			  uint32_t off, int miss_type, const char *what)
{
	uint16_t path[6];
	char name[64];
	int depth = 0;

	if (off)
		depth = attr_find((const char *)req, req_hdrlen(nl),
				  req->nlmsg_len, off, path, 0);
	if (miss_type >= 0)
		path[depth++] = miss_type;
	if (!depth)
		return;
	attr_path_name(nl, path, depth, name, sizeof(name));
	snprintf(nl->badattr, sizeof(nl->badattr), "%s %s", what, name);
}

struct extack {
	const char	*msg;
	bool		has_offs;
	uint32_t	offs;
	int		miss_type;
	uint32_t	miss_nest;
};

/*
 * The core of every attribute callback: keep @a in @tb[type] unless its type
 * is above @max or it fails the data type @types gives it (@types may say
 * nothing of a type: then any payload is kept).  Unknown and malformed
 * attributes are left out, never fatal: a newer module may send more.
 */
int mgre_attr_store(const struct nlattr *a, const struct nlattr **tb, int max,
		    const enum mnl_attr_data_type *types, int ntypes)
{
	int type = mnl_attr_get_type(a);

	if (type > max)
		return MNL_CB_OK;
	if (type < ntypes && types[type] &&
	    mnl_attr_validate(a, types[type]) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

/* The top level of a generic-netlink answer of the mgre family. */
int mgre_top_attr_cb(const struct nlattr *a, void *data)
{
	return mgre_attr_store(a, data, MGRE_A_MAX, NULL, 0);
}

/*
 * The device of a top-level table (mgre_top_attr_cb): its ifindex and name,
 * else the kernel's name for the ifindex, else "if<ifindex>".
 */
void mgre_top_dev(const struct nlattr *tb[], unsigned int *ifindex,
		  char *ifname)
{
	if (tb[MGRE_A_IFINDEX] &&
	    mnl_attr_validate(tb[MGRE_A_IFINDEX], MNL_TYPE_U32) >= 0)
		*ifindex = mnl_attr_get_u32(tb[MGRE_A_IFINDEX]);
	if (tb[MGRE_A_IFNAME] &&
	    mnl_attr_validate(tb[MGRE_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		snprintf(ifname, IF_NAMESIZE, "%s",
			 mnl_attr_get_str(tb[MGRE_A_IFNAME]));
	if (!ifname[0] && !if_indextoname(*ifindex, ifname))
		snprintf(ifname, IF_NAMESIZE, "if%u", *ifindex);
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct extack *ea = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			ea->msg = mnl_attr_get_str(attr);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ea->has_offs = true;
			ea->offs = mnl_attr_get_u32(attr);
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			ea->miss_type = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_NEST:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			ea->miss_nest = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/*
 * Handle NLMSG_ERROR (@err_off = 0) or NLMSG_DONE of a dump.  Returns 0 on
 * success, a negative errno after recording the kernel's explanation.
 */
static int handle_status(struct mgre_nl *nl, const struct nlmsghdr *req,
			 const struct nlmsghdr *nlh)
{
	struct extack ea = { .miss_type = -1 };
	unsigned int tlv_off;
	int error;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		error = e->error;
		tlv_off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			tlv_off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	} else {
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
			return 0;
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
		tlv_off = sizeof(int);
	}

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_size(tlv_off) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, tlv_off, extack_cb, &ea);

	if (!error) {
		if (ea.msg && *ea.msg)
			mgre_warn("%s", ea.msg);
		return 0;
	}
	if (error > 0)
		error = -error;

	nl->err = -error;
	if (ea.msg)
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", ea.msg);
	if (ea.miss_type >= 0)
		describe_attr(nl, req, ea.miss_nest, ea.miss_type,
			      "missing attribute");
	else if (ea.has_offs)
		describe_attr(nl, req, ea.offs, -1, "attribute");
	return error;
}

/*
 * Send @nlh and read until its ack (or the end of the dump), feeding every
 * other reply to @cb.  Returns 0 or a negative errno; on failure the reason
 * is kept in @nl for mgre_nl_die().
 */
int mgre_nl_talk(struct mgre_nl *nl, struct nlmsghdr *nlh, mgre_msg_cb cb,
		 void *data)
{
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	unsigned int seq = nlh->nlmsg_seq;

	nl->err = 0;
	nl->errmsg[0] = '\0';
	nl->badattr[0] = '\0';

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		nl->err = errno;
		return -nl->err;
	}

	for (;;) {
		const struct nlmsghdr *msg;
		ssize_t len;
		int rest;
		int ret;

		len = mnl_socket_recvfrom(nl->sock, nl->rxbuf, MGRE_NL_RXBUF);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			nl->err = errno;
			return -nl->err;
		}

		rest = len;
		for (msg = (const void *)nl->rxbuf; mnl_nlmsg_ok(msg, rest);
		     msg = mnl_nlmsg_next(msg, &rest)) {
			if (msg->nlmsg_seq != seq ||
			    msg->nlmsg_pid != nl->portid)
				continue;
			if (msg->nlmsg_flags & NLM_F_DUMP_INTR)
				nl->dump_intr = true;

			switch (msg->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				nl->err = ENOBUFS;
				return -ENOBUFS;
			case NLMSG_ERROR:
				return handle_status(nl, nlh, msg);
			case NLMSG_DONE:
				if (dump)
					return handle_status(nl, nlh, msg);
				continue;
			}
			if (!cb)
				continue;
			ret = cb(msg, data);
			if (ret < 0) {
				nl->err = -ret;
				return ret;
			}
		}
	}
}

void mgre_nl_die(struct mgre_nl *nl)
{
	const char *msg = nl->errmsg[0] ? nl->errmsg : strerror(nl->err);

	fflush(stdout);
	if (nl->badattr[0])
		fprintf(stderr, "Error: %s (%s)\n", msg, nl->badattr);
	else
		fprintf(stderr, "Error: %s\n", msg);
	exit(1);
}

void mgre_nl_dump_warn(struct mgre_nl *nl)
{
	if (nl->dump_intr) {
		fflush(stdout);
		mgre_warn("dump was interrupted; output may be inconsistent");
		nl->dump_intr = false;
	}
}

struct family_info {
	uint16_t	id;
	uint32_t	events_grp;
	uint32_t	version;
};

static int mcgrp_cb(struct nlattr *grp, struct family_info *fi)
{
	struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				name = mnl_attr_get_str(a);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				id = mnl_attr_get_u32(a);
			break;
		}
	}
	if (name && !strcmp(name, MGRE_MCGRP_EVENTS))
		fi->events_grp = id;
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_info *fi = data;
	struct nlattr *a, *grp;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				fi->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				fi->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, a)
				mcgrp_cb(grp, fi);
			break;
		}
	}
	return 0;
}

/*
 * Open a generic netlink socket and resolve the "mgre" family.  Exits
 * with a clear message if the module is not loaded.
 */
int mgre_genl_open(struct mgre_nl *nl)
{
	struct family_info fi = { 0 };
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	int err;

	if (mgre_nl_open(nl, NETLINK_GENERIC))
		exit(1);

	memset(nl->txbuf, 0, MGRE_NL_TXBUF);
	nlh = mnl_nlmsg_put_header(nl->txbuf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MGRE_GENL_NAME);

	err = mgre_nl_talk(nl, nlh, family_cb, &fi);
	if (err == -ENOENT || (!err && !fi.id)) {
		mgre_err("mgre generic netlink family not found (is the mgre module loaded?)");
		exit(1);
	}
	if (err)
		mgre_nl_die(nl);
	if (fi.version && fi.version < MGRE_GENL_VERSION)
		mgre_warn("kernel mgre family version %u is older than %u",
			  fi.version, MGRE_GENL_VERSION);
	nl->family = fi.id;
	nl->events_grp = fi.events_grp;
	return 0;
}

int mgre_nl_join_events(struct mgre_nl *nl)
{
	int grp = nl->events_grp;

	if (!grp) {
		mgre_err("mgre family has no \"%s\" multicast group",
			 MGRE_MCGRP_EVENTS);
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		mgre_err("cannot join the \"%s\" group: %s", MGRE_MCGRP_EVENTS,
			 strerror(errno));
		return -1;
	}
	return 0;
}
