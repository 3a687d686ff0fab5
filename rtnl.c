// SPDX-License-Identifier: GPL-2.0
/*
 * The rtnl link ops of "mgre": IFLA_MGRE_* policy and validation,
 * newlink and changelink, fill_info and get_size, so that
 * "ip link add ... type mgre" and "ip -d link show" speak them.
 * Under RTNL.
 */

#include <linux/if_ether.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "rtnl.h"
#include "device.h"
#include "nhc.h"
#include "nhrp.h"
#include "rcv.h"
#include "tunnel.h"

static struct netlink_range_validation mgre_max_entries_range = {
	.min = 1,
	.max = MGRE_MAX_ENTRIES_LIMIT,
};

static const struct nla_policy mgre_nhs_policy[IFLA_MGRE_NHS_A_MAX + 1] = {
	[IFLA_MGRE_NHS_PROTO4]	= { .type = NLA_BE32 },
	[IFLA_MGRE_NHS_NBMA4]	= { .type = NLA_BE32 },
	[IFLA_MGRE_NHS_PRIORITY] = { .type = NLA_U8 },
};

static const struct nla_policy mgre_policy[IFLA_MGRE_MAX + 1] = {
	[IFLA_MGRE_LOCAL]	= { .type = NLA_BE32 },
	[IFLA_MGRE_KEY]		= { .type = NLA_U32 },
	[IFLA_MGRE_NOKEY]	= { .type = NLA_FLAG },
	[IFLA_MGRE_TTL]		= { .type = NLA_U8 },
	[IFLA_MGRE_TOS]		= { .type = NLA_U8 },
	[IFLA_MGRE_HOLDTIME]	= NLA_POLICY_MIN(NLA_U16, 1),
	[IFLA_MGRE_LINK]	= { .type = NLA_U32 },
	[IFLA_MGRE_MAX_ENTRIES]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &mgre_max_entries_range),
	[IFLA_MGRE_NETWORK_ID]	= { .type = NLA_U32 },
	[IFLA_MGRE_NHS_LIST]	= NLA_POLICY_NESTED_ARRAY(mgre_nhs_policy),
	[IFLA_MGRE_AUTH]	= { .type = NLA_BINARY, .len = MGRE_AUTH_MAX },
	[IFLA_MGRE_MCAST_DYNAMIC] = NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_MGRE_MCAST_NHS]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_MGRE_REDIRECT]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_MGRE_SHORTCUT]	= NLA_POLICY_MAX(NLA_U8, 1),
	/* A number of entries, as max-entries is. */
	[IFLA_MGRE_MCAST_LIMIT]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &mgre_max_entries_range),
	[IFLA_MGRE_MAX_PER_NBMA] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mgre_max_entries_range),
	[IFLA_MGRE_MAX_HOLDTIME] = NLA_POLICY_MIN(NLA_U16, 1),
	[IFLA_MGRE_REG_TIMEOUT]	= { .type = NLA_U16 },
	[IFLA_MGRE_NHS_MAX_CONN] = NLA_POLICY_MAX(NLA_U8, MGRE_MAX_NHS),
	[IFLA_MGRE_NHS_FALLBACK] = { .type = NLA_U16 },
};

/*
 * The NHRP configuration after this request: a copy of the current one
 * with the request's changes, NULL when the request changes none of it.
 */
static struct mgre_nhrp_cfg *mgre_nhrp_cfg_from_nl(struct mgre_dev *m,
						   struct nlattr *data[],
						   struct netlink_ext_ack *extack)
{
	struct nlattr *nest, *attr, *tb[IFLA_MGRE_NHS_A_MAX + 1];
	const struct mgre_nhrp_cfg *old;
	struct mgre_nhrp_cfg *cfg;
	int rem, err;

	if (!data || (!data[IFLA_MGRE_NETWORK_ID] && !data[IFLA_MGRE_NHS_LIST] &&
		      !data[IFLA_MGRE_AUTH]))
		return NULL;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	old = rtnl_dereference(m->nhrp_cfg);
	if (old)
		memcpy(cfg, old, offsetof(struct mgre_nhrp_cfg, rcu));

	if (data[IFLA_MGRE_NETWORK_ID])
		cfg->network_id = nla_get_u32(data[IFLA_MGRE_NETWORK_ID]);
	if (data[IFLA_MGRE_AUTH]) {
		cfg->auth_len = nla_len(data[IFLA_MGRE_AUTH]);
		memset(cfg->auth, 0, sizeof(cfg->auth));
		nla_memcpy(cfg->auth, data[IFLA_MGRE_AUTH], sizeof(cfg->auth));
	}
	nest = data[IFLA_MGRE_NHS_LIST];
	if (!nest)
		return cfg;

	cfg->n_nhs = 0;
	nla_for_each_nested(attr, nest, rem) {
		__be32 proto = 0, nbma;

		if (nla_type(attr) != IFLA_MGRE_NHS) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "NHS list holds IFLA_MGRE_NHS entries only");
			goto err_inval;
		}
		if (cfg->n_nhs == MGRE_MAX_NHS) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "too many NHSs (at most 4)");
			goto err_inval;
		}
		err = nla_parse_nested(tb, IFLA_MGRE_NHS_A_MAX, attr,
				       mgre_nhs_policy, extack);
		if (err)
			goto err;
		if (!tb[IFLA_MGRE_NHS_NBMA4]) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "an NHS needs an NBMA address");
			goto err_inval;
		}
		nbma = nla_get_in_addr(tb[IFLA_MGRE_NHS_NBMA4]);
		if (ipv4_is_zeronet(nbma) || ipv4_is_multicast(nbma) ||
		    ipv4_is_lbcast(nbma)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MGRE_NHS_NBMA4],
					    "NHS NBMA address must be a unicast IPv4 address");
			goto err_inval;
		}
		if (tb[IFLA_MGRE_NHS_PROTO4])
			proto = nla_get_in_addr(tb[IFLA_MGRE_NHS_PROTO4]);
		if (ipv4_is_multicast(proto) || ipv4_is_lbcast(proto)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MGRE_NHS_PROTO4],
					    "NHS protocol address must be unicast (or 0: dynamic)");
			goto err_inval;
		}
		cfg->nhs[cfg->n_nhs].proto = proto;
		cfg->nhs[cfg->n_nhs].nbma = nbma;
		cfg->nhs[cfg->n_nhs].priority = tb[IFLA_MGRE_NHS_PRIORITY] ?
			nla_get_u8(tb[IFLA_MGRE_NHS_PRIORITY]) : 0;
		cfg->n_nhs++;
	}
	return cfg;

err_inval:
	err = -EINVAL;
err:
	kfree(cfg);
	return ERR_PTR(err);
}

static int mgre_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	__be32 local;

	if (tb[IFLA_ADDRESS] || tb[IFLA_BROADCAST]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "set the local NBMA address with \"local\", not \"address\"");
		return -EINVAL;
	}
	if (!data)
		return 0;
	if (data[IFLA_MGRE_KEY] && data[IFLA_MGRE_NOKEY]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_NOKEY],
				    "\"key\" and \"nokey\" exclude each other");
		return -EINVAL;
	}
	if (data[IFLA_MGRE_LOCAL]) {
		local = nla_get_be32(data[IFLA_MGRE_LOCAL]);
		if (ipv4_is_multicast(local) || ipv4_is_lbcast(local) ||
		    ipv4_is_loopback(local)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_LOCAL],
					    "local address must be a unicast IPv4 address or 0.0.0.0");
			return -EINVAL;
		}
	}
	if (data[IFLA_MGRE_TOS]) {
		u8 tos = nla_get_u8(data[IFLA_MGRE_TOS]);

		if (tos != MGRE_TOS_INHERIT && (tos & INET_ECN_MASK)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_TOS],
					    "tos must leave the two ECN bits clear (or be 1, inherit)");
			return -EINVAL;
		}
	}
	return 0;
}

static void mgre_parms_from_nl(struct mgre_parms *p, struct nlattr *data[])
{
	if (!data)
		return;
	if (data[IFLA_MGRE_LOCAL])
		p->local = nla_get_be32(data[IFLA_MGRE_LOCAL]);
	if (data[IFLA_MGRE_KEY]) {
		p->key = htonl(nla_get_u32(data[IFLA_MGRE_KEY]));
		p->has_key = true;
	}
	if (data[IFLA_MGRE_NOKEY]) {
		p->key = 0;
		p->has_key = false;
	}
	if (data[IFLA_MGRE_TTL])
		p->ttl = nla_get_u8(data[IFLA_MGRE_TTL]);
	if (data[IFLA_MGRE_TOS])
		p->tos = nla_get_u8(data[IFLA_MGRE_TOS]);
	if (data[IFLA_MGRE_HOLDTIME])
		p->holdtime = nla_get_u16(data[IFLA_MGRE_HOLDTIME]);
	if (data[IFLA_MGRE_LINK])
		p->link = nla_get_u32(data[IFLA_MGRE_LINK]);
	if (data[IFLA_MGRE_MAX_ENTRIES])
		p->max_entries = nla_get_u32(data[IFLA_MGRE_MAX_ENTRIES]);
	if (data[IFLA_MGRE_MCAST_DYNAMIC])
		p->mcast_dynamic = nla_get_u8(data[IFLA_MGRE_MCAST_DYNAMIC]);
	if (data[IFLA_MGRE_MCAST_NHS])
		p->mcast_nhs = nla_get_u8(data[IFLA_MGRE_MCAST_NHS]);
	if (data[IFLA_MGRE_MCAST_LIMIT])
		p->mcast_limit = nla_get_u32(data[IFLA_MGRE_MCAST_LIMIT]);
	if (data[IFLA_MGRE_REDIRECT])
		p->redirect = nla_get_u8(data[IFLA_MGRE_REDIRECT]);
	if (data[IFLA_MGRE_SHORTCUT])
		p->shortcut = nla_get_u8(data[IFLA_MGRE_SHORTCUT]);
	if (data[IFLA_MGRE_MAX_PER_NBMA])
		p->max_per_nbma = nla_get_u32(data[IFLA_MGRE_MAX_PER_NBMA]);
	if (data[IFLA_MGRE_MAX_HOLDTIME])
		p->max_holdtime = nla_get_u16(data[IFLA_MGRE_MAX_HOLDTIME]);
	if (data[IFLA_MGRE_REG_TIMEOUT])
		p->reg_timeout = nla_get_u16(data[IFLA_MGRE_REG_TIMEOUT]);
	if (data[IFLA_MGRE_NHS_MAX_CONN])
		p->nhs_max_conn = nla_get_u8(data[IFLA_MGRE_NHS_MAX_CONN]);
	if (data[IFLA_MGRE_NHS_FALLBACK])
		p->nhs_fallback = nla_get_u16(data[IFLA_MGRE_NHS_FALLBACK]);
}

/* Under RTNL: check a parameter set against the namespace and apply it. */
static int mgre_parms_check(struct net *net, struct mgre_dev *self,
			    const struct mgre_parms *p, struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct mgre_net *mn = mgre_net(net);
	struct net_device *link;
	struct mgre_dev *m;

	if (p->link) {
		link = __dev_get_by_index(net, p->link);
		if (!link) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_LINK],
					    "underlay device does not exist");
			return -ENODEV;
		}
		if (netif_is_mgre(link)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_LINK],
					    "underlay device cannot be an mgre device");
			return -EINVAL;
		}
	}
	list_for_each_entry(m, &mn->devs, list) {
		if (m == self)
			continue;
		if (m->parms.local == p->local &&
		    m->parms.has_key == p->has_key &&
		    m->parms.key == p->key) {
			NL_SET_ERR_MSG_MOD(extack,
					   "another mgre device already uses this local address and key");
			return -EEXIST;
		}
	}
	return 0;
}

static void mgre_apply_mtu(struct net_device *dev, struct net *net, bool set)
{
	struct mgre_dev *m = netdev_priv(dev);
	unsigned int base = ETH_DATA_LEN, overhead;
	struct net_device *link;

	overhead = MGRE_OUTER_HLEN + m->hlen;
	if (m->parms.link) {
		link = __dev_get_by_index(net, m->parms.link);
		if (link)
			base = link->mtu;
	}
	dev->needed_headroom = LL_MAX_HEADER + overhead;
	dev->max_mtu = IP_MAX_MTU - overhead;
	if (set)
		dev->mtu = max_t(int, base - overhead, ETH_MIN_MTU);
}

static int mgre_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct mgre_dev *m = netdev_priv(dev);
	struct net *net = dev_net(dev);
	struct mgre_nhrp_cfg *cfg;
	int err;

	mgre_parms_from_nl(&m->parms, data);
	err = mgre_parms_check(net, m, &m->parms, data, extack);
	if (err)
		return err;
	cfg = mgre_nhrp_cfg_from_nl(m, data, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	mgre_tunnel_set_hdr(m, &m->parms);
	mgre_apply_mtu(dev, net, !tb[IFLA_MTU]);
	__dev_addr_set(dev, &m->parms.local, 4);
	memset(dev->broadcast, 0, 4);

	err = mgre_rcv_net_get(net, extack);
	if (err) {
		kfree(cfg);
		return err;
	}
	err = register_netdevice(dev);
	if (err) {
		mgre_rcv_net_put(net);
		kfree(cfg);
		return err;
	}
	/* From here ndo_uninit gives the receive reference back. */
	list_add_tail_rcu(&m->list, &mgre_net(net)->devs);
	if (cfg)
		mgre_nhrp_set_cfg(m, cfg);
	return 0;
}

static int mgre_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct mgre_dev *m = netdev_priv(dev);
	struct mgre_parms p = m->parms;
	struct net *net = dev_net(dev);
	struct mgre_nhrp_cfg *cfg;
	u16 old_holdtime = m->parms.holdtime;
	u8 old_hlen = m->hlen;
	bool kick;
	int err;

	mgre_parms_from_nl(&p, data);
	err = mgre_parms_check(net, m, &p, data, extack);
	if (err)
		return err;
	cfg = mgre_nhrp_cfg_from_nl(m, data, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);

	/* Receive reads these locklessly: one field at a time is enough,
	 * a packet racing the change lands on either side of it.
	 */
	WRITE_ONCE(m->parms.local, p.local);
	WRITE_ONCE(m->parms.key, p.key);
	WRITE_ONCE(m->parms.has_key, p.has_key);
	m->parms.ttl = p.ttl;
	m->parms.tos = p.tos;
	WRITE_ONCE(m->parms.holdtime, p.holdtime);
	WRITE_ONCE(m->parms.max_holdtime, p.max_holdtime);
	m->parms.link = p.link;
	WRITE_ONCE(m->parms.mcast_limit, p.mcast_limit);
	WRITE_ONCE(m->parms.redirect, p.redirect);
	WRITE_ONCE(m->parms.shortcut, p.shortcut);
	if (p.mcast_dynamic != m->parms.mcast_dynamic ||
	    p.mcast_nhs != m->parms.mcast_nhs) {
		WRITE_ONCE(m->parms.mcast_dynamic, p.mcast_dynamic);
		WRITE_ONCE(m->parms.mcast_nhs, p.mcast_nhs);
		mgre_nhrp_mcast_update(m);
	}
	if (p.max_entries != m->parms.max_entries ||
	    p.max_per_nbma != m->parms.max_per_nbma) {
		m->parms.max_entries = p.max_entries;
		m->parms.max_per_nbma = p.max_per_nbma;
		nhrp_cache_set_limit(&m->cache, p.max_entries,
				     p.max_per_nbma);
	}
	mgre_tunnel_set_hdr(m, &p);
	/* Routes were looked up with the old local address, link and key. */
	mgre_tunnel_rtc_reset(m);
	mgre_apply_mtu(dev, net, m->hlen != old_hlen || data[IFLA_MGRE_LINK]);
	dev_addr_set(dev, (const u8 *)&p.local);
	/* Registrations keep their old holdtime and pace until renewed, and
	 * the NHSs in use their number until planned again.
	 */
	kick = p.reg_timeout != m->parms.reg_timeout ||
	       p.holdtime != old_holdtime ||
	       p.nhs_max_conn != m->parms.nhs_max_conn ||
	       p.nhs_fallback != m->parms.nhs_fallback;
	WRITE_ONCE(m->parms.reg_timeout, p.reg_timeout);
	WRITE_ONCE(m->parms.nhs_max_conn, p.nhs_max_conn);
	WRITE_ONCE(m->parms.nhs_fallback, p.nhs_fallback);
	if (cfg)
		mgre_nhrp_set_cfg(m, cfg);
	if (kick)
		nhrp_nhc_kick(m);
	return 0;
}

static size_t mgre_get_size(const struct net_device *dev)
{
	return nla_total_size(4) +	/* IFLA_MGRE_LOCAL */
	       nla_total_size(4) +	/* IFLA_MGRE_KEY */
	       nla_total_size(1) +	/* IFLA_MGRE_TTL */
	       nla_total_size(1) +	/* IFLA_MGRE_TOS */
	       nla_total_size(2) +	/* IFLA_MGRE_HOLDTIME */
	       nla_total_size(4) +	/* IFLA_MGRE_LINK */
	       nla_total_size(4) +	/* IFLA_MGRE_MAX_ENTRIES */
	       nla_total_size(4) +	/* IFLA_MGRE_NETWORK_ID */
	       nla_total_size(1) +	/* IFLA_MGRE_MCAST_DYNAMIC */
	       nla_total_size(1) +	/* IFLA_MGRE_MCAST_NHS */
	       nla_total_size(4) +	/* IFLA_MGRE_MCAST_LIMIT */
	       nla_total_size(1) +	/* IFLA_MGRE_REDIRECT */
	       nla_total_size(1) +	/* IFLA_MGRE_SHORTCUT */
	       nla_total_size(4) +	/* IFLA_MGRE_MAX_PER_NBMA */
	       nla_total_size(2) +	/* IFLA_MGRE_MAX_HOLDTIME */
	       nla_total_size(2) +	/* IFLA_MGRE_REG_TIMEOUT */
	       nla_total_size(1) +	/* IFLA_MGRE_NHS_MAX_CONN */
	       nla_total_size(2) +	/* IFLA_MGRE_NHS_FALLBACK */
	       nla_total_size(0) +	/* IFLA_MGRE_NHS_LIST */
	       MGRE_MAX_NHS * (nla_total_size(0) +	/* IFLA_MGRE_NHS */
			       2 * nla_total_size(4) +	/* PROTO4, NBMA4 */
			       nla_total_size(1));	/* PRIORITY */
}

static int mgre_fill_nhrp_info(struct sk_buff *skb,
			       const struct mgre_nhrp_cfg *cfg)
{
	struct nlattr *list, *nhs;
	unsigned int i;

	if (!cfg)
		return 0;
	if (nla_put_u32(skb, IFLA_MGRE_NETWORK_ID, cfg->network_id))
		return -EMSGSIZE;
	if (!cfg->n_nhs)
		return 0;
	list = nla_nest_start(skb, IFLA_MGRE_NHS_LIST);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_nhs; i++) {
		nhs = nla_nest_start(skb, IFLA_MGRE_NHS);
		if (!nhs ||
		    (cfg->nhs[i].proto &&
		     nla_put_in_addr(skb, IFLA_MGRE_NHS_PROTO4,
				     cfg->nhs[i].proto)) ||
		    nla_put_in_addr(skb, IFLA_MGRE_NHS_NBMA4, cfg->nhs[i].nbma) ||
		    (cfg->nhs[i].priority &&
		     nla_put_u8(skb, IFLA_MGRE_NHS_PRIORITY,
				cfg->nhs[i].priority)))
			return -EMSGSIZE;
		nla_nest_end(skb, nhs);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int mgre_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct mgre_dev *m = netdev_priv(dev);
	const struct mgre_parms *p = &m->parms;

	if (nla_put_in_addr(skb, IFLA_MGRE_LOCAL, p->local) ||
	    (p->has_key && nla_put_u32(skb, IFLA_MGRE_KEY, ntohl(p->key))) ||
	    nla_put_u8(skb, IFLA_MGRE_TTL, p->ttl) ||
	    nla_put_u8(skb, IFLA_MGRE_TOS, p->tos) ||
	    nla_put_u16(skb, IFLA_MGRE_HOLDTIME, p->holdtime) ||
	    nla_put_u32(skb, IFLA_MGRE_LINK, p->link) ||
	    nla_put_u32(skb, IFLA_MGRE_MAX_ENTRIES, p->max_entries) ||
	    nla_put_u8(skb, IFLA_MGRE_MCAST_DYNAMIC, p->mcast_dynamic) ||
	    nla_put_u8(skb, IFLA_MGRE_MCAST_NHS, p->mcast_nhs) ||
	    nla_put_u32(skb, IFLA_MGRE_MCAST_LIMIT, p->mcast_limit) ||
	    nla_put_u8(skb, IFLA_MGRE_REDIRECT, p->redirect) ||
	    nla_put_u8(skb, IFLA_MGRE_SHORTCUT, p->shortcut) ||
	    nla_put_u32(skb, IFLA_MGRE_MAX_PER_NBMA, p->max_per_nbma) ||
	    nla_put_u16(skb, IFLA_MGRE_MAX_HOLDTIME, p->max_holdtime) ||
	    nla_put_u16(skb, IFLA_MGRE_REG_TIMEOUT, p->reg_timeout) ||
	    nla_put_u8(skb, IFLA_MGRE_NHS_MAX_CONN, p->nhs_max_conn) ||
	    nla_put_u16(skb, IFLA_MGRE_NHS_FALLBACK, p->nhs_fallback))
		return -EMSGSIZE;
	/* The authentication secret is never reported: anyone may dump
	 * links.
	 */
	return mgre_fill_nhrp_info(skb, rtnl_dereference(m->nhrp_cfg));
}

static struct rtnl_link_ops mgre_link_ops __read_mostly = {
	.kind		= "mgre",
	.maxtype	= IFLA_MGRE_MAX,
	.policy		= mgre_policy,
	.priv_size	= sizeof(struct mgre_dev),
	.setup		= mgre_dev_setup,
	.validate	= mgre_validate,
	.newlink	= mgre_newlink,
	.changelink	= mgre_changelink,
	.get_size	= mgre_get_size,
	.fill_info	= mgre_fill_info,
};

/**
 * mgre_rtnl_init() - register the "mgre" link kind
 *
 * Return: 0 or a negative errno.
 */
int __init mgre_rtnl_init(void)
{
	return rtnl_link_register(&mgre_link_ops);
}

/**
 * mgre_rtnl_uninit() - unregister the link kind, deleting every device
 */
void mgre_rtnl_uninit(void)
{
	rtnl_link_unregister(&mgre_link_ops);
}
