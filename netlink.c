// SPDX-License-Identifier: GPL-2.0
/*
 * The "mgre" generic netlink family: the family and its hooks, device
 * and namespace counters, NHS state and resolution, and the events group;
 * the cache entry operations are netlink_entry.c's.
 * include/uapi/linux/mgre.h documents every command and attribute.
 *
 * Generated from Documentation/netlink/specs/mgre.yaml by the kernel's
 * ynl-gen-c.py (make netlink-gen; make check fails when they differ):
 * netlink-gen.c and include/netlink-gen.h, with the policy of every
 * request, that of the entry nest, the ops table (handlers, pre_doit and
 * post_doit, admin flags) and the handlers' prototypes.
 *
 * Written here, because 6.12's generator cannot serve them:
 *  - the family struct: it generates one for "genetlink" specs only, and
 *    ours is "genetlink-legacy" (family maxattr, version, resv_start_op);
 *  - the multicast group table, which needs GENL_MCAST_CAP_NET_ADMIN
 *    where the kernel has it (6.7+), a flag the 6.12 schema cannot say;
 *  - the per-request policies of the entry nest (netlink_entry.c);
 *  - for 6.1, which has no split ops (6.2+): struct genl_split_ops is
 *    declared in mgre_compat.h and the generated table folded into one
 *    genl_ops per command at init (tools/netlink-gen.sh checks that the
 *    do and the dump of a command share a policy, as genl_ops must), with
 *    family-wide pre_doit/post_doit calling the hooks of the command's do.
 */

#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "mgre.h"
#include "device.h"
#include "netlink.h"
#include "nhc.h"
#include "nhrp.h"
#include "nhrp_res.h"
#include "rcv.h"
#include "netlink-gen.h"
#include "netlink_entry.h"

static struct genl_family mgre_genl_family;

/* The group's index, as the generated header numbers the spec's groups. */
enum mgre_mcgrp {
	MGRE_MCGRP_ID_EVENTS = MGRE_NLGRP_EVENTS,
};

static const struct genl_multicast_group mgre_mcgrps[] = {
	[MGRE_MCGRP_ID_EVENTS] = { .name = MGRE_MCGRP_EVENTS,
				   .flags = MGRE_MCGRP_FLAGS },
};

/* ---- helpers ----------------------------------------------------------- */

/* The mgre device named by MGRE_A_IFINDEX, with a reference held. */
static struct mgre_dev *mgre_nl_dev(struct net *net, struct nlattr **attrs,
				    struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!attrs[MGRE_A_IFINDEX]) {
		NL_SET_ERR_MSG_MOD(extack, "missing device (MGRE_A_IFINDEX)");
		NL_SET_ERR_ATTR_MISS(extack, NULL, MGRE_A_IFINDEX);
		return ERR_PTR(-EINVAL);
	}
	dev = dev_get_by_index(net, nla_get_u32(attrs[MGRE_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[MGRE_A_IFINDEX],
				    "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!netif_is_mgre(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG_ATTR(extack, attrs[MGRE_A_IFINDEX],
				    "device is not an mgre device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/**
 * mgre_nl_pre_doit() - hold the mgre device a request names
 * @ops: the operation
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] gets the device
 *
 * The device named by MGRE_A_IFINDEX, for the operations that need one,
 * resolved once before the handler runs; mgre_nl_post_doit() drops it.
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		     struct genl_info *info)
{
	struct mgre_dev *m;

	m = mgre_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(m))
		return PTR_ERR(m);
	info->user_ptr[0] = m;
	return 0;
}

/**
 * mgre_nl_pre_doit_opt() - hold the mgre device a request may name
 * @ops: the operation
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] gets the device or NULL
 *
 * As mgre_nl_pre_doit(), for operations where MGRE_A_IFINDEX is a filter.
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_nl_pre_doit_opt(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	info->user_ptr[0] = NULL;
	if (!info->attrs[MGRE_A_IFINDEX])
		return 0;
	return mgre_nl_pre_doit(ops, skb, info);
}

/**
 * mgre_nl_post_doit() - drop the device mgre_nl_pre_doit() held
 * @ops: the operation
 * @skb: the request
 * @info: info->user_ptr[0] is the device or NULL
 */
void mgre_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		       struct genl_info *info)
{
	struct mgre_dev *m = info->user_ptr[0];

	if (m)
		dev_put(m->dev);
}

/* ---- devices and namespace --------------------------------------------- */

/* One nest of counters, attribute type = index, zeros left out. */
static int mgre_nl_put_counters(struct sk_buff *skb, int attr, const u64 *v,
				unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < n; i++)
		if (v[i] && nla_put_u64_64bit(skb, i, v[i], 0))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgre_nl_fill_nhrp_stats(struct sk_buff *skb,
				   const struct mgre_dev *m)
{
	struct mgre_nhrp_stats st;
	struct nlattr *nest;

	mgre_nhrp_stats_read(m, &st);
	nest = nla_nest_start(skb, MGRE_A_NHRP_STATS);
	if (!nest ||
	    mgre_nl_put_counters(skb, MGRE_NHRP_A_TX, st.tx,
				 ARRAY_SIZE(st.tx)) ||
	    mgre_nl_put_counters(skb, MGRE_NHRP_A_RX, st.rx,
				 ARRAY_SIZE(st.rx)) ||
	    mgre_nl_put_counters(skb, MGRE_NHRP_A_DROP, st.drop,
				 ARRAY_SIZE(st.drop)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgre_nl_fill_dev(struct sk_buff *skb, const struct mgre_dev *m,
			    u32 portid, u32 seq, int flags)
{
	struct nlattr *nest;
	void *hdr;
	int i;

	hdr = genlmsg_put(skb, portid, seq, &mgre_genl_family, flags,
			  MGRE_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MGRE_A_IFINDEX, m->dev->ifindex) ||
	    nla_put_string(skb, MGRE_A_IFNAME, m->dev->name) ||
	    nla_put_u32(skb, MGRE_A_ENTRY_COUNT, nhrp_cache_count(&m->cache)) ||
	    nla_put_u32(skb, MGRE_A_MAX_ENTRIES, READ_ONCE(m->parms.max_entries)))
		goto nla_put_failure;
	nest = nla_nest_start(skb, MGRE_A_STATS);
	if (!nest)
		goto nla_put_failure;
	for (i = MGRE_STATS_A_TX_NO_ENTRY; i <= MGRE_STATS_A_MAX; i++) {
		/* The per-netns counters live in MGRE_CMD_NETNS_GET. */
		if (i == MGRE_STATS_A_RX_NO_TUNNEL ||
		    i == MGRE_STATS_A_RX_MALFORMED || i == MGRE_STATS_A_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, mgre_dev_counter_sum(m, i),
				      MGRE_STATS_A_PAD))
			goto nla_put_failure;
	}
	nla_nest_end(skb, nest);
	if (mgre_nl_fill_nhrp_stats(skb, m))
		goto nla_put_failure;
	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * mgre_nl_dev_get_doit() - MGRE_CMD_DEV_GET: counters of one device
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] is the device
 *
 * Return: 0 or a negative errno.
 */
int mgre_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_dev *m = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = mgre_nl_fill_dev(msg, m, info->snd_portid, info->snd_seq, 0);
	if (WARN_ON(err)) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * mgre_nl_dev_get_dumpit() - MGRE_CMD_DEV_GET dump: counters of every
 *	device of the namespace
 * @skb: the answer to fill
 * @cb: the dump, its cursor in cb->args[0]
 *
 * Return: the answer's length.
 */
int mgre_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int idx = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_mgre(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		if (mgre_nl_fill_dev(skb, netdev_priv(dev),
				     NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		cb->args[0] = idx;
	}
	rcu_read_unlock();
	return skb->len;
}

/**
 * mgre_nl_netns_get_doit() - MGRE_CMD_NETNS_GET: the namespace's counters
 * @skb: the request
 * @info: the request's header
 *
 * Return: 0 or a negative errno.
 */
int mgre_nl_netns_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_net *mn = mgre_net(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mgre_genl_family, 0,
				MGRE_CMD_NETNS_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, MGRE_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(msg, MGRE_STATS_A_RX_NO_TUNNEL,
			      atomic_long_read(&mn->rx_no_tunnel),
			      MGRE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, MGRE_STATS_A_RX_MALFORMED,
			      atomic_long_read(&mn->rx_malformed),
			      MGRE_STATS_A_PAD))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- NHS state and resolution ------------------------------------------ */

static u64 ms_since(unsigned long then)
{
	return jiffies_to_msecs(jiffies - then);
}

static int mgre_nl_fill_nhs(struct sk_buff *skb, const struct mgre_dev *m,
			    const struct nhrp_nhs_info *nhs, u32 portid,
			    u32 seq, int flags, u8 cmd)
{
	__be32 proto = nhs->proto ?: nhs->learnt;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MGRE_A_IFINDEX, m->dev->ifindex) ||
	    nla_put_string(skb, MGRE_A_IFNAME, m->dev->name))
		goto nla_put_failure;
	nest = nla_nest_start(skb, MGRE_A_NHS);
	if (!nest ||
	    nla_put_in_addr(skb, MGRE_NHS_A_PROTO4, proto) ||
	    nla_put_in_addr(skb, MGRE_NHS_A_NBMA4, nhs->nbma) ||
	    (!nhs->proto && nla_put_flag(skb, MGRE_NHS_A_DYNAMIC)) ||
	    nla_put_u8(skb, MGRE_NHS_A_STATE, nhs->state) ||
	    nla_put_u32(skb, MGRE_NHS_A_RTT, nhs->rtt_ms) ||
	    nla_put_u32(skb, MGRE_NHS_A_NEXT,
			time_after(nhs->next, jiffies) ?
			jiffies_to_msecs(nhs->next - jiffies) : 0) ||
	    nla_put_u32(skb, MGRE_NHS_A_REGISTRATIONS, nhs->registrations) ||
	    nla_put_u32(skb, MGRE_NHS_A_FAILURES, nhs->failures) ||
	    nla_put_u8(skb, MGRE_NHS_A_LAST_CODE, nhs->last_code) ||
	    nla_put_u8(skb, MGRE_NHS_A_PRIORITY, nhs->priority) ||
	    (nhs->last_reply &&
	     nla_put_u64_64bit(skb, MGRE_NHS_A_LAST_REPLY,
			       ms_since(nhs->last_reply), MGRE_NHS_A_PAD)))
		goto nla_put_failure;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Every active NHS of one device from index *pos; -EMSGSIZE when full. */
static int mgre_nl_put_nhs_list(struct sk_buff *skb, struct mgre_dev *m,
				u32 portid, u32 seq, int flags, long *pos)
{
	struct nhrp_nhs_info nhs;
	int err = 0;

	for (; *pos < MGRE_MAX_NHS; (*pos)++) {
		if (!nhrp_nhc_nhs_info(m, *pos, &nhs))
			continue;
		err = mgre_nl_fill_nhs(skb, m, &nhs, portid, seq, flags,
				       MGRE_CMD_NHS_GET);
		if (err)
			break;
	}
	return err;
}

/**
 * mgre_nl_nhs_get_dumpit() - MGRE_CMD_NHS_GET dump: one message per NHS
 * @skb: the answer to fill
 * @cb: the dump, its cursor in cb->args[0] (device) and [1] (NHS)
 *
 * Return: the answer's length.
 */
int mgre_nl_nhs_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = mgre_dumpit_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int idx = 0, err = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_mgre(dev))
			continue;
		if (attrs[MGRE_A_IFINDEX] &&
		    dev->ifindex != nla_get_u32(attrs[MGRE_A_IFINDEX]))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = mgre_nl_put_nhs_list(skb, netdev_priv(dev),
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI,
					   &cb->args[1]);
		if (err)
			break;
		cb->args[0] = idx;
		cb->args[1] = 0;
	}
	rcu_read_unlock();
	return skb->len;
}

/**
 * mgre_nl_resolve_doit() - MGRE_CMD_RESOLVE: send a Resolution Request now
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] is the device
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_nl_resolve_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct mgre_dev *m = info->user_ptr[0];
	struct nhrp_key key;
	int err;

	err = mgre_genl_entry_key(info, &key);
	if (err)
		return err;
	if (key.plen) {
		NL_SET_ERR_MSG_MOD(extack,
				   "resolve an address, not a prefix: a shortcut follows from the answer");
		return -EINVAL;
	}
	err = nhrp_res_resolve(m, &key);
	switch (err) {
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG_MOD(extack,
				   "NHRP is off on this device (set a network-id)");
		break;
	case -ENOTCONN:
		NL_SET_ERR_MSG_MOD(extack, "device has no NHS to ask");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_MOD(extack,
				   "a static or registered entry exists for this address");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_MOD(extack,
				   "resolution requests are rate-limited; try again");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG_MOD(extack, "NHRP cache is full");
		break;
	}
	return err;
}

/* ---- events ------------------------------------------------------------ */

/*
 * An event that could not be allocated: the listeners' sockets get
 * ENOBUFS, as for an overrun, and know to dump again (a flush's summary is
 * the only sign of the flush).  Any context.
 */
static void mgre_nl_event_lost(struct net *net)
{
	genl_set_err(&mgre_genl_family, net, 0, MGRE_MCGRP_ID_EVENTS, -ENOBUFS);
}

/* No lock held: softirq (a reply came) or process context (a timeout). */
static void mgre_nl_notify_nhs(struct mgre_dev *m,
			       const struct nhrp_nhs_info *nhs, u8 cmd)
{
	struct net *net = dev_net(m->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&mgre_genl_family, net, MGRE_MCGRP_ID_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg) {
		mgre_nl_event_lost(net);
		return;
	}
	if (WARN_ON(mgre_nl_fill_nhs(msg, m, nhs, 0, 0, 0, cmd))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&mgre_genl_family, net, msg, 0,
				MGRE_MCGRP_ID_EVENTS, GFP_ATOMIC);
}

static const u8 mgre_event_cmd[] = {
	[NHRP_EVT_ADD]		= MGRE_CMD_EVT_ADD,
	[NHRP_EVT_CHANGE]	= MGRE_CMD_EVT_CHANGE,
	[NHRP_EVT_DEL]		= MGRE_CMD_EVT_DEL,
	[NHRP_EVT_EXPIRE]	= MGRE_CMD_EVT_EXPIRE,
};

/* Called with the cache lock held, bottom halves off. */
static void mgre_nl_notify(struct mgre_dev *m, const struct nhrp_entry *e,
			   enum nhrp_event event)
{
	struct net *net = dev_net(m->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&mgre_genl_family, net, MGRE_MCGRP_ID_EVENTS))
		return;
	msg = genlmsg_new(mgre_genl_entry_size(), GFP_ATOMIC);
	if (!msg) {
		mgre_nl_event_lost(net);
		return;
	}
	if (WARN_ON(mgre_genl_fill_entry(msg, m, e, 0, 0, 0,
					 mgre_event_cmd[event], NULL))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&mgre_genl_family, net, msg, 0,
				MGRE_MCGRP_ID_EVENTS, GFP_ATOMIC);
}

/*
 * Process context, may sleep, no cache lock held (RTNL may be: a flush of
 * every device): after a flush, a bulk flag change or a mass expiry, one
 * event for the entries not reported one by one.
 */
static void mgre_nl_notify_summary(struct mgre_dev *m, enum nhrp_event event,
				   int type, unsigned int count)
{
	struct net *net = dev_net(m->dev);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&mgre_genl_family, net, MGRE_MCGRP_ID_EVENTS))
		return;
	msg = genlmsg_new(nla_total_size(sizeof(u32)) +	/* IFINDEX */
			  nla_total_size(IFNAMSIZ) +		/* IFNAME */
			  nla_total_size(sizeof(u8)) +		/* EVENT */
			  nla_total_size(sizeof(u32)) +		/* EVENT_COUNT */
			  nla_total_size(sizeof(u8)),		/* TYPE */
			  GFP_KERNEL);
	if (!msg) {
		mgre_nl_event_lost(net);
		return;
	}
	hdr = genlmsg_put(msg, 0, 0, &mgre_genl_family, 0,
			  MGRE_CMD_EVT_SUMMARY);
	if (WARN_ON(!hdr ||
		    nla_put_u32(msg, MGRE_A_IFINDEX, m->dev->ifindex) ||
		    nla_put_string(msg, MGRE_A_IFNAME, m->dev->name) ||
		    nla_put_u8(msg, MGRE_A_EVENT, mgre_event_cmd[event]) ||
		    nla_put_u32(msg, MGRE_A_EVENT_COUNT, count) ||
		    (type >= 0 && nla_put_u8(msg, MGRE_A_TYPE, type)))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mgre_genl_family, net, msg, 0,
				MGRE_MCGRP_ID_EVENTS, GFP_KERNEL);
}

/* ---- family ------------------------------------------------------------ */

#ifndef MGRE_HAVE_GENL_SPLIT_OPS
/*
 * 6.1: one genl_ops per command, folded from the generated split ops at
 * init; the family's hooks call those of the command's do.
 */
static struct genl_ops mgre_nl_legacy_ops[ARRAY_SIZE(mgre_nl_ops)]
	__ro_after_init;

static const struct genl_split_ops *mgre_nl_split_do(u8 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mgre_nl_ops); i++)
		if (mgre_nl_ops[i].cmd == cmd &&
		    mgre_nl_ops[i].flags & GENL_CMD_CAP_DO)
			return &mgre_nl_ops[i];
	return NULL;
}

static int mgre_nl_legacy_pre_doit(const struct genl_ops *ops,
				   struct sk_buff *skb, struct genl_info *info)
{
	const struct genl_split_ops *op = mgre_nl_split_do(ops->cmd);

	return op && op->pre_doit ? op->pre_doit(op, skb, info) : 0;
}

static void mgre_nl_legacy_post_doit(const struct genl_ops *ops,
				     struct sk_buff *skb,
				     struct genl_info *info)
{
	const struct genl_split_ops *op = mgre_nl_split_do(ops->cmd);

	if (op && op->post_doit)
		op->post_doit(op, skb, info);
}
#endif

static struct genl_family mgre_genl_family __ro_after_init = {
	.name		= MGRE_GENL_NAME,
	.version	= MGRE_GENL_VERSION,
	.maxattr	= MGRE_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
#ifdef MGRE_HAVE_GENL_SPLIT_OPS
	.split_ops	= mgre_nl_ops,
	.n_split_ops	= ARRAY_SIZE(mgre_nl_ops),
#else
	.ops		= mgre_nl_legacy_ops,	/* .n_ops: mgre_nl_legacy_fold() */
	.pre_doit	= mgre_nl_legacy_pre_doit,
	.post_doit	= mgre_nl_legacy_post_doit,
#endif
	.resv_start_op	= MGRE_CMD_ENTRY_ADD,
	.mcgrps		= mgre_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(mgre_mcgrps),
};

#ifndef MGRE_HAVE_GENL_SPLIT_OPS
/* A command's do and dump (adjacent in the table) become one genl_ops. */
static int __init mgre_nl_legacy_fold(void)
{
	const u8 cap = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP;
	struct genl_ops *o = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(mgre_nl_ops); i++) {
		const struct genl_split_ops *s = &mgre_nl_ops[i];

		if (!o || o->cmd != s->cmd) {
			o = &mgre_nl_legacy_ops[n++];
			o->cmd = s->cmd;
			o->policy = s->policy;
			o->maxattr = s->maxattr;
			o->flags = s->flags & ~cap;
			o->validate = s->validate;
		} else if (o->maxattr != s->maxattr ||
			   o->flags != (s->flags & ~cap) ||
			   (o->policy != s->policy &&
			    (!o->policy || !s->policy ||
			     memcmp(o->policy, s->policy,
				    (s->maxattr + 1) * sizeof(*s->policy))))) {
			pr_err("command %u: do and dump differ; 6.1 holds one policy per command\n",
			       s->cmd);
			return -EINVAL;
		}
		if (s->flags & GENL_CMD_CAP_DO)
			o->doit = s->doit;
		if (s->flags & GENL_CMD_CAP_DUMP) {
			o->start = s->start;
			o->dumpit = s->dumpit;
			o->done = s->done;
		}
	}
	mgre_genl_family.n_ops = n;
	return 0;
}
#endif

static const struct mgre_event_ops mgre_nl_events = {
	.entry		= mgre_nl_notify,
	.summary	= mgre_nl_notify_summary,
	.nhs		= mgre_nl_notify_nhs,
};

/**
 * mgre_genl_init() - register the family and its event listener
 *
 * Return: 0 or a negative errno.
 */
int __init mgre_genl_init(void)
{
	int err;

	mgre_genl_entry_init(&mgre_genl_family);
#ifndef MGRE_HAVE_GENL_SPLIT_OPS
	err = mgre_nl_legacy_fold();
	if (err)
		return err;
#endif
	err = genl_register_family(&mgre_genl_family);
	if (!err)
		mgre_dev_set_events(&mgre_nl_events);
	return err;
}

/**
 * mgre_genl_uninit() - unregister the family and its event listener
 */
void mgre_genl_uninit(void)
{
	mgre_dev_set_events(NULL);
	genl_unregister_family(&mgre_genl_family);
}
