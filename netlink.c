// SPDX-License-Identifier: GPL-2.0
/*
 * The "mgre" generic netlink family: cache entries (add, del, get, dump,
 * flush), device and namespace counters, and the events group.
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
 *  - the per-request policies of the entry nest: the generator gives a
 *    nest one policy, every attribute of its set, answer-only ones too;
 *    entry-add and the requests that name an entry (del, get, resolve)
 *    take fewer.  Which attributes each takes is listed below, their
 *    checks are copied from the generated policy at init;
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

static struct genl_family mgre_genl_family;

enum mgre_mcgrp {
	MGRE_MCGRP_ID_EVENTS,
};

static const struct genl_multicast_group mgre_mcgrps[] = {
	[MGRE_MCGRP_ID_EVENTS] = { .name = MGRE_MCGRP_EVENTS,
				   .flags = MGRE_MCGRP_FLAGS },
};

/*
 * The entry nest of entry-add and of the requests that name an entry:
 * the attributes each takes, their checks those of the generated
 * mgre_entry_nl_policy (mgre_nl_entry_policy_init()).
 */
static const u8 mgre_entry_key_attrs[] = {
	MGRE_ENTRY_A_PROTO_ADDR4, MGRE_ENTRY_A_PROTO_ADDR6,
	MGRE_ENTRY_A_PREFIXLEN,
};

static const u8 mgre_entry_add_attrs[] = {
	MGRE_ENTRY_A_PROTO_ADDR4, MGRE_ENTRY_A_PROTO_ADDR6,
	MGRE_ENTRY_A_PREFIXLEN, MGRE_ENTRY_A_NBMA_ADDR4, MGRE_ENTRY_A_TYPE,
	MGRE_ENTRY_A_FLAGS, MGRE_ENTRY_A_HOLDTIME,
};

static struct nla_policy mgre_entry_key_policy[MGRE_ENTRY_A_MAX + 1]
	__ro_after_init;
static struct nla_policy mgre_entry_add_policy[MGRE_ENTRY_A_MAX + 1]
	__ro_after_init;

/* struct nla_policy has const members: copied, not assigned. */
static void __init mgre_nl_entry_policy_pick(struct nla_policy *policy,
					     const u8 *attrs, unsigned int n)
{
	while (n--)
		memcpy(&policy[attrs[n]], &mgre_entry_nl_policy[attrs[n]],
		       sizeof(*policy));
}

static void __init mgre_nl_entry_policy_init(void)
{
	BUILD_BUG_ON(ARRAY_SIZE(mgre_entry_nl_policy) !=
		     ARRAY_SIZE(mgre_entry_key_policy));
	mgre_nl_entry_policy_pick(mgre_entry_key_policy, mgre_entry_key_attrs,
				  ARRAY_SIZE(mgre_entry_key_attrs));
	mgre_nl_entry_policy_pick(mgre_entry_add_policy, mgre_entry_add_attrs,
				  ARRAY_SIZE(mgre_entry_add_attrs));
}

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

static int mgre_nl_entry_attrs(struct nlattr **attrs, struct nlattr **ea,
			       const struct nla_policy *policy,
			       struct netlink_ext_ack *extack)
{
	if (!attrs[MGRE_A_ENTRY]) {
		NL_SET_ERR_MSG_MOD(extack, "missing entry (MGRE_A_ENTRY)");
		NL_SET_ERR_ATTR_MISS(extack, NULL, MGRE_A_ENTRY);
		return -EINVAL;
	}
	return nla_parse_nested(ea, MGRE_ENTRY_A_MAX, attrs[MGRE_A_ENTRY],
				policy, extack);
}

static int mgre_nl_addr(struct nlattr **ea, struct nlattr *nest,
			struct nhrp_key *key, struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = ea[MGRE_ENTRY_A_PROTO_ADDR4];
	struct nlattr *a6 = ea[MGRE_ENTRY_A_PROTO_ADDR6];

	if (a4 && a6) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "give one protocol address, IPv4 or IPv6, not both");
		return -EINVAL;
	}
	if (a4) {
		__be32 addr = nla_get_in_addr(a4);

		if (ipv4_is_zeronet(addr) || ipv4_is_multicast(addr) ||
		    ipv4_is_lbcast(addr)) {
			NL_SET_ERR_MSG_ATTR(extack, a4,
					    "protocol address must be a unicast address");
			return -EINVAL;
		}
		nhrp_key_init4(key, addr);
		return 0;
	}
	if (a6) {
		struct in6_addr addr = nla_get_in6_addr(a6);

		if (ipv6_addr_any(&addr) || ipv6_addr_is_multicast(&addr)) {
			NL_SET_ERR_MSG_ATTR(extack, a6,
					    "protocol address must be a unicast address");
			return -EINVAL;
		}
		nhrp_key_init6(key, &addr);
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, nest,
			    "missing protocol address (MGRE_ENTRY_A_PROTO_ADDR4 or _ADDR6)");
	return -EINVAL;
}

/* A protocol address, or with PREFIXLEN a shortcut's prefix. */
static int mgre_nl_key(struct nlattr **ea, struct nlattr *nest,
		       struct nhrp_key *key, struct netlink_ext_ack *extack)
{
	struct nlattr *pl = ea[MGRE_ENTRY_A_PREFIXLEN];
	struct nhrp_key prefix;
	unsigned int plen;
	int err;

	err = mgre_nl_addr(ea, nest, key, extack);
	if (err || !pl)
		return err;
	plen = nla_get_u8(pl);
	if (plen > nhrp_key_hostlen(key)) {
		NL_SET_ERR_MSG_ATTR(extack, pl,
				    "prefix length is longer than the address");
		return -EINVAL;
	}
	nhrp_key_prefix(&prefix, key, plen);
	if (memcmp(&prefix.addr, &key->addr, sizeof(key->addr))) {
		NL_SET_ERR_MSG_ATTR(extack, pl,
				    "address has bits set beyond the prefix length");
		return -EINVAL;
	}
	*key = prefix;
	return 0;
}

/* Del, get and resolve name one entry: its key, or an error in extack. */
static int mgre_nl_entry_key(struct genl_info *info, struct nhrp_key *key)
{
	struct nlattr *ea[MGRE_ENTRY_A_MAX + 1];
	int err;

	err = mgre_nl_entry_attrs(info->attrs, ea, mgre_entry_key_policy,
				  info->extack);
	if (err)
		return err;
	return mgre_nl_key(ea, info->attrs[MGRE_A_ENTRY], key, info->extack);
}

static size_t mgre_nl_entry_size(void)
{
	return NLMSG_ALIGN(GENL_HDRLEN) +
	       nla_total_size(4) +			/* IFINDEX */
	       nla_total_size(IFNAMSIZ) +		/* IFNAME */
	       nla_total_size(0) +			/* ENTRY nest */
	       nla_total_size(sizeof(struct in6_addr)) + /* PROTO_ADDR */
	       nla_total_size(1) +			/* PREFIXLEN */
	       nla_total_size(4) +			/* NBMA_ADDR4 */
	       nla_total_size(1) +			/* TYPE */
	       nla_total_size(4) +			/* FLAGS */
	       nla_total_size(2) +			/* HOLDTIME */
	       nla_total_size(4) +			/* EXPIRES */
	       3 * nla_total_size_64bit(8);		/* AGE, UPDATED, USED */
}

static u64 ms_since(unsigned long then)
{
	return jiffies_to_msecs(jiffies - then);
}

/* One fill function for get, dump and events. */
static int mgre_nl_fill_entry(struct sk_buff *skb, const struct mgre_dev *m,
			      const struct nhrp_entry *e, u32 portid, u32 seq,
			      int flags, u8 cmd, struct netlink_callback *cb)
{
	unsigned long expires = READ_ONCE(e->expires);
	unsigned long used = READ_ONCE(e->used);
	u16 holdtime = READ_ONCE(e->holdtime);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, MGRE_A_IFINDEX, m->dev->ifindex) ||
	    nla_put_string(skb, MGRE_A_IFNAME, m->dev->name))
		goto nla_put_failure;
	nest = nla_nest_start(skb, MGRE_A_ENTRY);
	if (!nest)
		goto nla_put_failure;
	if (e->key.family == AF_INET) {
		if (nla_put_in_addr(skb, MGRE_ENTRY_A_PROTO_ADDR4,
				    e->key.addr.v4))
			goto nla_put_failure;
	} else if (nla_put_in6_addr(skb, MGRE_ENTRY_A_PROTO_ADDR6,
				    &e->key.addr.v6)) {
		goto nla_put_failure;
	}
	if (e->key.plen &&
	    nla_put_u8(skb, MGRE_ENTRY_A_PREFIXLEN, e->key.plen))
		goto nla_put_failure;
	if (nla_put_in_addr(skb, MGRE_ENTRY_A_NBMA_ADDR4, READ_ONCE(e->nbma)) ||
	    nla_put_u8(skb, MGRE_ENTRY_A_TYPE, READ_ONCE(e->type)) ||
	    nla_put_u32(skb, MGRE_ENTRY_A_FLAGS,
			READ_ONCE(e->flags) & MGRE_ENTRY_F_ALL) ||
	    nla_put_u64_64bit(skb, MGRE_ENTRY_A_AGE, ms_since(e->created),
			      MGRE_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(skb, MGRE_ENTRY_A_UPDATED,
			      ms_since(READ_ONCE(e->updated)),
			      MGRE_ENTRY_A_PAD))
		goto nla_put_failure;
	if (holdtime &&
	    (nla_put_u16(skb, MGRE_ENTRY_A_HOLDTIME, holdtime) ||
	     nla_put_u32(skb, MGRE_ENTRY_A_EXPIRES,
			 time_after(expires, jiffies) ?
			 jiffies_to_msecs(expires - jiffies) : 0)))
		goto nla_put_failure;
	if (used && nla_put_u64_64bit(skb, MGRE_ENTRY_A_USED, ms_since(used),
				      MGRE_ENTRY_A_PAD))
		goto nla_put_failure;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* ---- entry operations -------------------------------------------------- */

/**
 * mgre_nl_entry_add_doit() - MGRE_CMD_ENTRY_ADD: add or replace one entry
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] is the device
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_nl_entry_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ea[MGRE_ENTRY_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct mgre_dev *m = info->user_ptr[0];
	struct nhrp_entry_cfg cfg = {};
	int err;

	err = mgre_nl_entry_attrs(info->attrs, ea, mgre_entry_add_policy,
				  extack);
	if (err)
		return err;
	err = mgre_nl_key(ea, info->attrs[MGRE_A_ENTRY], &cfg.key, extack);
	if (err)
		return err;

	if (!ea[MGRE_ENTRY_A_NBMA_ADDR4]) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[MGRE_A_ENTRY],
				    "missing NBMA address (MGRE_ENTRY_A_NBMA_ADDR4)");
		return -EINVAL;
	}
	cfg.nbma = nla_get_in_addr(ea[MGRE_ENTRY_A_NBMA_ADDR4]);
	if (ipv4_is_zeronet(cfg.nbma) || ipv4_is_multicast(cfg.nbma) ||
	    ipv4_is_lbcast(cfg.nbma)) {
		NL_SET_ERR_MSG_ATTR(extack, ea[MGRE_ENTRY_A_NBMA_ADDR4],
				    "NBMA address must be a unicast IPv4 address");
		return -EINVAL;
	}

	cfg.type = MGRE_ENTRY_STATIC;
	if (ea[MGRE_ENTRY_A_TYPE])
		cfg.type = nla_get_u8(ea[MGRE_ENTRY_A_TYPE]);
	if (cfg.type == MGRE_ENTRY_INCOMPLETE || cfg.type == MGRE_ENTRY_LOCAL) {
		NL_SET_ERR_MSG_ATTR(extack, ea[MGRE_ENTRY_A_TYPE],
				    "entries of this type are managed by the kernel");
		return -EINVAL;
	}
	if (ea[MGRE_ENTRY_A_FLAGS])
		cfg.flags = nla_get_u32(ea[MGRE_ENTRY_A_FLAGS]);

	if (cfg.type == MGRE_ENTRY_STATIC) {
		if (ea[MGRE_ENTRY_A_HOLDTIME]) {
			NL_SET_ERR_MSG_ATTR(extack, ea[MGRE_ENTRY_A_HOLDTIME],
					    "static entries never expire: holdtime is for dynamic types");
			return -EINVAL;
		}
	} else {
		cfg.holdtime = ea[MGRE_ENTRY_A_HOLDTIME] ?
			nla_get_u16(ea[MGRE_ENTRY_A_HOLDTIME]) :
			READ_ONCE(m->parms.holdtime);
	}

	err = nhrp_cache_add(&m->cache, &cfg,
			     nla_get_flag(info->attrs[MGRE_A_REPLACE]) ?
			     NHRP_ADD_REPLACE : NHRP_ADD_EXCL, GFP_KERNEL);
	switch (err) {
	case -EEXIST:
		NL_SET_ERR_MSG_MOD(extack,
				   "entry exists (add it with MGRE_A_REPLACE to replace it)");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG_MOD(extack,
				   "NHRP cache is full (raise the device's max-entries)");
		break;
	case -ENODEV:
		NL_SET_ERR_MSG_MOD(extack, "device is being deleted");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG_MOD(extack, "out of memory");
		break;
	}
	return err;
}

/**
 * mgre_nl_entry_del_doit() - MGRE_CMD_ENTRY_DEL: delete one entry
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] is the device
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_nl_entry_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_dev *m = info->user_ptr[0];
	struct nhrp_key key;
	int err;

	err = mgre_nl_entry_key(info, &key);
	if (err)
		return err;
	err = nhrp_cache_del(&m->cache, &key);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "no such entry");
	return err;
}

/**
 * mgre_nl_entry_get_doit() - MGRE_CMD_ENTRY_GET: answer with one entry
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] is the device
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_nl_entry_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_dev *m = info->user_ptr[0];
	struct sk_buff *msg;
	struct nhrp_entry *e;
	struct nhrp_key key;
	int err;

	err = mgre_nl_entry_key(info, &key);
	if (err)
		return err;
	msg = genlmsg_new(mgre_nl_entry_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	e = nhrp_cache_lookup(&m->cache, &key);
	if (e)
		err = mgre_nl_fill_entry(msg, m, e, info->snd_portid,
					 info->snd_seq, 0, MGRE_CMD_ENTRY_GET,
					 NULL);
	else
		err = -ENOENT;
	rcu_read_unlock();
	if (err) {
		WARN_ON(err == -EMSGSIZE);
		if (err == -ENOENT)
			NL_SET_ERR_MSG_MOD(info->extack, "no such entry");
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump cursor: cb->args[0] counts the devices already done (all-device
 * dumps), cb->args[1] is the next entry index within the current device.
 * Each pass holds rcu_read_lock(); a device found under it stays valid
 * for the pass.
 */
static int mgre_nl_dump_dev(struct sk_buff *skb, struct netlink_callback *cb,
			    struct mgre_dev *m, int type)
{
	unsigned long id = cb->args[1];
	struct nhrp_entry *e;
	int err;

	for (; (e = nhrp_cache_next(&m->cache, &id)); id++) {
		if (type >= 0 && READ_ONCE(e->type) != type)
			continue;
		err = mgre_nl_fill_entry(skb, m, e,
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 MGRE_CMD_ENTRY_GET, cb);
		if (err) {
			cb->args[1] = id;
			return err;
		}
		if (id == ULONG_MAX)
			break;
	}
	cb->args[1] = 0;
	return 0;
}

/**
 * mgre_nl_entry_get_dumpit() - MGRE_CMD_ENTRY_GET dump: entries of a
 *	device or of all, optionally of one type
 * @skb: the answer to fill
 * @cb: the dump, its cursor in cb->args
 *
 * Return: the answer's length, or a negative errno explained in extack.
 */
int mgre_nl_entry_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = mgre_dumpit_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int type = -1, idx = 0;
	int err = 0;

	if (attrs[MGRE_A_TYPE])
		type = nla_get_u8(attrs[MGRE_A_TYPE]);
	/* Entry changes and device list changes both make a dump stale. */
	cb->seq = atomic_read(&mgre_net(net)->gen) + net->dev_base_seq;

	rcu_read_lock();
	if (attrs[MGRE_A_IFINDEX]) {
		dev = dev_get_by_index_rcu(net,
					   nla_get_u32(attrs[MGRE_A_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_MOD(cb->extack, "no such device");
			err = -ENODEV;
		} else if (!netif_is_mgre(dev)) {
			NL_SET_ERR_MSG_MOD(cb->extack,
					   "device is not an mgre device");
			err = -EOPNOTSUPP;
		} else if (!cb->args[0]) {
			err = mgre_nl_dump_dev(skb, cb, netdev_priv(dev), type);
			/* Done with the one device: the next pass ends. */
			if (!err)
				cb->args[0] = 1;
		}
		goto out;
	}
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_mgre(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = mgre_nl_dump_dev(skb, cb, netdev_priv(dev), type);
		if (err)
			break;
		cb->args[0] = idx;
	}
out:
	rcu_read_unlock();
	if (err == -EMSGSIZE)
		return skb->len;
	return err ?: skb->len;
}

/**
 * mgre_nl_entry_flush_doit() - MGRE_CMD_ENTRY_FLUSH: delete the entries of
 *	a device or of all, optionally of one type
 * @skb: the request
 * @info: its attributes; info->user_ptr[0] is the device or NULL
 *
 * Return: 0.
 */
int mgre_nl_entry_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mgre_dev *m = info->user_ptr[0];
	struct net_device *dev;
	int type = -1;

	if (info->attrs[MGRE_A_TYPE])
		type = nla_get_u8(info->attrs[MGRE_A_TYPE]);

	if (m) {
		nhrp_cache_flush(&m->cache, type);
		return 0;
	}
	/* RTNL keeps the device list still while we flush outside RCU. */
	rtnl_lock();
	for_each_netdev(net, dev)
		if (netif_is_mgre(dev))
			nhrp_cache_flush(&((struct mgre_dev *)netdev_priv(dev))->cache,
					 type);
	rtnl_unlock();
	return 0;
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

	err = mgre_nl_entry_key(info, &key);
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

/* No lock held: softirq (a reply came) or process context (a timeout). */
static void mgre_nl_notify_nhs(struct mgre_dev *m,
			       const struct nhrp_nhs_info *nhs, u8 cmd)
{
	struct net *net = dev_net(m->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&mgre_genl_family, net, MGRE_MCGRP_ID_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
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
	msg = genlmsg_new(mgre_nl_entry_size(), GFP_ATOMIC);
	if (!msg)
		return;
	if (WARN_ON(mgre_nl_fill_entry(msg, m, e, 0, 0, 0,
				       mgre_event_cmd[event], NULL))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&mgre_genl_family, net, msg, 0,
				MGRE_MCGRP_ID_EVENTS, GFP_ATOMIC);
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
	.entry	= mgre_nl_notify,
	.nhs	= mgre_nl_notify_nhs,
};

/**
 * mgre_genl_init() - register the family and its event listener
 *
 * Return: 0 or a negative errno.
 */
int __init mgre_genl_init(void)
{
	int err;

	mgre_nl_entry_policy_init();
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
