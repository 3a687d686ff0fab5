// SPDX-License-Identifier: GPL-2.0
/*
 * The cache entry operations of the "mgre" family: add, del, get (do and
 * dump) and flush, and the one fill function that answers, dumps and
 * entry events (netlink.c) share.  Handlers run with the device that
 * MGRE_A_IFINDEX names already resolved and held by netlink.c's pre_doit,
 * in info->user_ptr[0]; dumps find their devices under RCU themselves.
 *
 * The entry nest's policies are hand-written here in part: the generated
 * mgre_entry_nl_policy (netlink-gen.c) holds every attribute of the set,
 * answer-only ones too, because 6.12's generator gives a nest one policy
 * whichever request carries it.  entry-add and the requests that name an
 * entry take fewer; the lists below say which, the checks are copied
 * from the generated policy at init, so they still come from the spec.
 * The core validates the nest with the generated policy first, then the
 * handler parses it with its own, which refuses the rest ("Unsupported
 * attribute", as before).
 */

#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "mgre.h"
#include "device.h"
#include "rcv.h"
#include "netlink-gen.h"
#include "netlink_entry.h"

/* The family, for message headers; set by mgre_genl_entry_init(). */
static const struct genl_family *mgre_genl_entry_family __ro_after_init;

/* The attributes the entry nest of each request takes. */
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

/**
 * mgre_genl_entry_init() - build the entry nest's policies
 * @family: the family the answers and events belong to
 *
 * Before the family is registered: the policies copy the generated one.
 */
void __init mgre_genl_entry_init(const struct genl_family *family)
{
	mgre_genl_entry_family = family;
	BUILD_BUG_ON(ARRAY_SIZE(mgre_entry_nl_policy) !=
		     ARRAY_SIZE(mgre_entry_key_policy));
	mgre_nl_entry_policy_pick(mgre_entry_key_policy, mgre_entry_key_attrs,
				  ARRAY_SIZE(mgre_entry_key_attrs));
	mgre_nl_entry_policy_pick(mgre_entry_add_policy, mgre_entry_add_attrs,
				  ARRAY_SIZE(mgre_entry_add_attrs));
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

/**
 * mgre_genl_entry_key() - the key of the entry a request names
 * @info: the request (del, get or resolve), with MGRE_A_ENTRY
 * @key: filled with the protocol address, or a shortcut's prefix
 *
 * Return: 0, or a negative errno explained in extack.
 */
int mgre_genl_entry_key(struct genl_info *info, struct nhrp_key *key)
{
	struct nlattr *ea[MGRE_ENTRY_A_MAX + 1];
	int err;

	err = mgre_nl_entry_attrs(info->attrs, ea, mgre_entry_key_policy,
				  info->extack);
	if (err)
		return err;
	return mgre_nl_key(ea, info->attrs[MGRE_A_ENTRY], key, info->extack);
}

/**
 * mgre_genl_entry_size() - the size of a message about one entry
 *
 * Return: what mgre_genl_fill_entry() puts at most.
 */
size_t mgre_genl_entry_size(void)
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

/**
 * mgre_genl_fill_entry() - one message about one entry
 * @skb: the message buffer
 * @m: the device
 * @e: the entry, under RCU or the cache lock
 * @portid: the destination port (0 for events)
 * @seq: the sequence number
 * @flags: netlink message flags (NLM_F_MULTI in dumps)
 * @cmd: MGRE_CMD_ENTRY_GET or an MGRE_CMD_EVT_*
 * @cb: the dump, for its consistency check, or NULL
 *
 * One fill function for get, dump and events.
 *
 * Return: 0, or -EMSGSIZE when @skb is full (nothing of it left there).
 */
int mgre_genl_fill_entry(struct sk_buff *skb, const struct mgre_dev *m,
			 const struct nhrp_entry *e, u32 portid, u32 seq,
			 int flags, u8 cmd, struct netlink_callback *cb)
{
	unsigned long expires = READ_ONCE(e->expires);
	unsigned long used = READ_ONCE(e->used);
	u16 holdtime = READ_ONCE(e->holdtime);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, mgre_genl_entry_family, flags,
			  cmd);
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

	err = mgre_genl_entry_key(info, &key);
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

	err = mgre_genl_entry_key(info, &key);
	if (err)
		return err;
	msg = genlmsg_new(mgre_genl_entry_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	e = nhrp_cache_lookup(&m->cache, &key);
	if (e)
		err = mgre_genl_fill_entry(msg, m, e, info->snd_portid,
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
		err = mgre_genl_fill_entry(skb, m, e,
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
	int err;

	/* The dump ignores an entry nest, but takes only a key in it. */
	err = attrs[MGRE_A_ENTRY] ?
		nla_validate_nested(attrs[MGRE_A_ENTRY], MGRE_ENTRY_A_MAX,
				    mgre_entry_key_policy, cb->extack) : 0;
	if (err)
		return err;
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
