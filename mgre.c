// SPDX-License-Identifier: GPL-2.0
/*
 * mgre: multipoint GRE tunnel device.
 *
 * Transmit finds the route next hop of each packet, looks it up in the
 * device's NHRP cache and sends the packet in GRE/IPv4 to the entry's NBMA
 * address.  Receive claims GRE version 0 from the GRE demultiplexer and hands
 * each packet to the device matching (netns, local address, key).
 *
 * This file owns module init/exit, the rtnl link ops, the netdev ops and the
 * per-netns state.
 */

#include <linux/module.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/gre.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/inet_ecn.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/rtnetlink.h>

#include "mgre.h"

#define MGRE_OUTER_HLEN	sizeof(struct iphdr)

static unsigned int mgre_net_id __read_mostly;
static struct rtnl_link_ops mgre_link_ops;

struct mgre_net *mgre_net(struct net *net)
{
	return net_generic(net, mgre_net_id);
}

bool netif_is_mgre(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &mgre_link_ops;
}

u64 mgre_counter_sum(const struct mgre_dev *m, int counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(m->counters, cpu)->cnt[counter]);
	return sum;
}

static u8 mgre_gre_hlen(const struct mgre_parms *p)
{
	return 4 + (p->has_key ? 4 : 0);
}

/* ---- transmit ---------------------------------------------------------- */

/*
 * The cache is keyed by the route next hop, as neighbour entries are, so
 * that static routes and routing protocols through the tunnel need nothing
 * special.  Packets without a route (packet sockets) use their destination.
 */
static bool mgre_nexthop(struct sk_buff *skb, struct nhrp_key *key)
{
	struct dst_entry *dst = skb_dst(skb);

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		__be32 daddr;

		if (!pskb_network_may_pull(skb, sizeof(struct iphdr)))
			return false;
		daddr = ip_hdr(skb)->daddr;
		if (dst && dst->ops->family == AF_INET)
			daddr = rt_nexthop((struct rtable *)dst, daddr);
		nhrp_key_init4(key, daddr);
		return true;
	}
	case htons(ETH_P_IPV6): {
		const struct in6_addr *daddr;

		if (!pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
			return false;
		daddr = &ipv6_hdr(skb)->daddr;
		if (dst && dst->ops->family == AF_INET6)
			daddr = rt6_nexthop((struct rt6_info *)dst, daddr);
		nhrp_key_init6(key, daddr);
		return true;
	}
	}
	return false;
}

static void mgre_push_header(struct sk_buff *skb, const struct mgre_dev *m,
			     __be16 proto, __be32 key)
{
	__be16 *hdr;

	/* A hand-built header: gre_build_header()'s flags type differs
	 * between our kernels and this one has two shapes only.
	 */
	skb_push(skb, m->hlen);
	skb_reset_transport_header(skb);
	hdr = (__be16 *)skb->data;
	hdr[0] = m->hlen > 4 ? GRE_KEY : 0;
	hdr[1] = proto;
	if (m->hlen > 4)
		*(__be32 *)(hdr + 2) = key;
}

static netdev_tx_t mgre_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);
	const struct mgre_parms *p = &m->parms;
	struct nhrp_entry *e;
	struct nhrp_key key;
	struct flowi4 fl4;
	struct rtable *rt;
	u8 tos, ttl, inner_tos;
	__be32 nbma;

	if (!mgre_nexthop(skb, &key)) {
		mgre_count(m, MGRE_STATS_A_TX_BAD_PROTO);
		goto drop;
	}

	/* ndo_start_xmit runs under rcu_read_lock_bh(). */
	e = nhrp_cache_lookup(&m->cache, &key);
	if (!e || READ_ONCE(e->type) == MGRE_ENTRY_INCOMPLETE ||
	    READ_ONCE(e->type) == MGRE_ENTRY_NEGATIVE) {
		mgre_count(m, MGRE_STATS_A_TX_NO_ENTRY);
		goto drop;
	}
	nhrp_entry_touch(e);
	nbma = READ_ONCE(e->nbma);

	inner_tos = ip_tunnel_get_dsfield(ip_hdr(skb), skb);
	tos = p->tos == MGRE_TOS_INHERIT ? inner_tos : p->tos;
	tos &= ~INET_ECN_MASK;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = nbma;
	fl4.saddr = p->local;
	fl4.flowi4_oif = p->link;
	fl4.flowi4_tos = RT_TOS(tos);
	fl4.flowi4_proto = IPPROTO_GRE;
	fl4.flowi4_mark = skb->mark;
	fl4.fl4_gre_key = p->key;
	rt = ip_route_output_key(dev_net(dev), &fl4);
	if (IS_ERR(rt)) {
		mgre_count(m, MGRE_STATS_A_TX_NO_ROUTE);
		goto drop;
	}
	if (rt->dst.dev == dev) {
		ip_rt_put(rt);
		mgre_count(m, MGRE_STATS_A_TX_LOOP);
		goto drop;
	}

	ttl = p->ttl;
	if (!ttl) {
		if (skb->protocol == htons(ETH_P_IP))
			ttl = ip_hdr(skb)->ttl;
		else if (skb->protocol == htons(ETH_P_IPV6))
			ttl = ipv6_hdr(skb)->hop_limit;
		else
			ttl = ip4_dst_hoplimit(&rt->dst);
	}

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			      rt->dst.header_len + MGRE_OUTER_HLEN + m->hlen) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		ip_rt_put(rt);
		goto drop;
	}
	mgre_push_header(skb, m, skb->protocol, p->key);

	iptunnel_xmit(NULL, rt, skb, fl4.saddr, nbma, IPPROTO_GRE,
		      INET_ECN_encapsulate(tos, inner_tos), ttl, 0, false);
	return NETDEV_TX_OK;

drop:
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* ---- receive ----------------------------------------------------------- */

/*
 * Exact local address first, then a wildcard-local device.  A device whose
 * address matches but whose key does not is reported so that the drop can
 * be counted where an operator will look for it.
 */
static struct mgre_dev *mgre_find(struct mgre_net *mn, __be32 daddr,
				  const struct tnl_ptk_info *tpi,
				  struct mgre_dev **mismatch)
{
	bool has_key = mgre_tpi_has_key(tpi);
	struct mgre_dev *m, *wild = NULL;

	list_for_each_entry_rcu(m, &mn->devs, list) {
		__be32 local = READ_ONCE(m->parms.local);

		if (!(READ_ONCE(m->dev->flags) & IFF_UP))
			continue;
		if (local && local != daddr)
			continue;
		if (READ_ONCE(m->parms.has_key) != has_key ||
		    (has_key && READ_ONCE(m->parms.key) != tpi->key)) {
			*mismatch = m;
			continue;
		}
		if (local)
			return m;
		wild = m;
	}
	return wild;
}

static int mgre_rcv(struct sk_buff *skb)
{
	struct mgre_net *mn = mgre_net(dev_net(skb->dev));
	struct mgre_dev *m, *mismatch = NULL;
	struct tnl_ptk_info tpi;
	bool csum_err = false;
	int hdr_len;
	u8 outer_tos;

	hdr_len = gre_parse_header(skb, &tpi, &csum_err, htons(ETH_P_IP), 0);
	if (hdr_len < 0) {
		atomic_long_inc(&mn->rx_malformed);
		goto drop;
	}

	m = mgre_find(mn, ip_hdr(skb)->daddr, &tpi, &mismatch);
	if (!m) {
		if (mismatch)
			mgre_count(mismatch, MGRE_STATS_A_RX_KEY_MISMATCH);
		else
			atomic_long_inc(&mn->rx_no_tunnel);
		goto drop;
	}

	switch (tpi.proto) {
	case htons(ETH_P_IP):
	case htons(ETH_P_IPV6):
		break;
	case htons(MGRE_ETH_P_NHRP):
		/* The NHRP engine is not part of this build yet. */
		mgre_count(m, MGRE_STATS_A_RX_NHRP);
		goto drop_dev;
	default:
		mgre_count(m, MGRE_STATS_A_RX_BAD_PROTO);
		goto drop_dev;
	}

	outer_tos = ip_hdr(skb)->tos;
	if (iptunnel_pull_header(skb, hdr_len, tpi.proto, false))
		goto drop_dev;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	if (!pskb_network_may_pull(skb, tpi.proto == htons(ETH_P_IP) ?
				   sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr)))
		goto drop_dev;
	if (INET_ECN_decapsulate(skb, outer_tos, tpi.proto == htons(ETH_P_IP) ?
				 ip_hdr(skb)->tos :
				 ipv6_get_dsfield(ipv6_hdr(skb))) > 1)
		goto drop_dev;

	skb->dev = m->dev;
	skb->pkt_type = PACKET_HOST;
	dev_sw_netstats_rx_add(m->dev, skb->len);
	gro_cells_receive(&m->gro_cells, skb);
	return 0;

drop_dev:
	DEV_STATS_INC(m->dev, rx_dropped);
drop:
	kfree_skb(skb);
	return 0;
}

static const struct gre_protocol mgre_gre_protocol = {
	.handler = mgre_rcv,
};

/* ---- netdev ops -------------------------------------------------------- */

static void mgre_cache_notify(struct nhrp_cache *cache,
			      const struct nhrp_entry *e, enum nhrp_event event)
{
	struct mgre_dev *m = container_of(cache, struct mgre_dev, cache);

	atomic_inc(&mgre_net(dev_net(m->dev))->gen);
	mgre_nl_notify(m, e, event);
}

static const struct nhrp_cache_ops mgre_cache_ops = {
	.notify = mgre_cache_notify,
};

static int mgre_dev_init(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);
	int err;

	m->dev = dev;
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	m->counters = alloc_percpu(struct mgre_pcpu_counters);
	if (!m->counters) {
		err = -ENOMEM;
		goto err_free_tstats;
	}
	err = gro_cells_init(&m->gro_cells, dev);
	if (err)
		goto err_free_counters;
	err = nhrp_cache_init(&m->cache, &mgre_cache_ops, m->parms.max_entries);
	if (err)
		goto err_gro_cells;
	return 0;

err_gro_cells:
	gro_cells_destroy(&m->gro_cells);
err_free_counters:
	free_percpu(m->counters);
err_free_tstats:
	free_percpu(dev->tstats);
	return err;
}

/* Runs for a device that registered, and for one that failed to. */
static void mgre_dev_uninit(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	if (!list_empty(&m->list))
		list_del_rcu(&m->list);
	nhrp_cache_shutdown(&m->cache);
}

/*
 * After the last reference: no reader can reach the device any more, so
 * the tables themselves can go.
 */
static void mgre_dev_free(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	nhrp_cache_destroy(&m->cache);
	gro_cells_destroy(&m->gro_cells);
	free_percpu(m->counters);
	free_percpu(dev->tstats);
}

static void mgre_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *s)
{
	dev_get_tstats64(dev, s);
}

static const struct net_device_ops mgre_netdev_ops = {
	.ndo_init		= mgre_dev_init,
	.ndo_uninit		= mgre_dev_uninit,
	.ndo_start_xmit		= mgre_xmit,
	.ndo_get_stats64	= mgre_get_stats64,
};

static void mgre_setup(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	dev->netdev_ops = &mgre_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = mgre_dev_free;
	dev->type = ARPHRD_IPGRE;
	dev->flags = IFF_NOARP;
	dev->addr_len = 4;
	dev->hard_header_len = 0;
	dev->min_mtu = ETH_MIN_MTU;
	mgre_dev_set_lltx_netns_local(dev);

	INIT_LIST_HEAD(&m->list);
	m->parms.ttl = MGRE_DEFAULT_TTL;
	m->parms.holdtime = MGRE_DEFAULT_HOLDTIME;
	m->parms.max_entries = MGRE_DEFAULT_MAX_ENTRIES;
}

/* ---- rtnl link ops ----------------------------------------------------- */

static struct netlink_range_validation mgre_max_entries_range = {
	.min = 1,
	.max = MGRE_MAX_ENTRIES_LIMIT,
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
};

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
	int err;

	mgre_parms_from_nl(&m->parms, data);
	err = mgre_parms_check(net, m, &m->parms, data, extack);
	if (err)
		return err;
	m->hlen = mgre_gre_hlen(&m->parms);
	mgre_apply_mtu(dev, net, !tb[IFLA_MTU]);
	__dev_addr_set(dev, &m->parms.local, 4);
	memset(dev->broadcast, 0, 4);

	err = register_netdevice(dev);
	if (err)
		return err;
	list_add_tail_rcu(&m->list, &mgre_net(net)->devs);
	return 0;
}

static int mgre_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct mgre_dev *m = netdev_priv(dev);
	struct mgre_parms p = m->parms;
	struct net *net = dev_net(dev);
	u8 old_hlen = m->hlen;
	int err;

	mgre_parms_from_nl(&p, data);
	err = mgre_parms_check(net, m, &p, data, extack);
	if (err)
		return err;

	/* Receive reads these locklessly: one field at a time is enough,
	 * a packet racing the change lands on either side of it.
	 */
	WRITE_ONCE(m->parms.local, p.local);
	WRITE_ONCE(m->parms.key, p.key);
	WRITE_ONCE(m->parms.has_key, p.has_key);
	m->parms.ttl = p.ttl;
	m->parms.tos = p.tos;
	m->parms.holdtime = p.holdtime;
	m->parms.link = p.link;
	if (p.max_entries != m->parms.max_entries) {
		m->parms.max_entries = p.max_entries;
		nhrp_cache_set_limit(&m->cache, p.max_entries);
	}
	m->hlen = mgre_gre_hlen(&p);
	mgre_apply_mtu(dev, net, m->hlen != old_hlen || data[IFLA_MGRE_LINK]);
	dev_addr_set(dev, (const u8 *)&p.local);
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
	       nla_total_size(4);	/* IFLA_MGRE_MAX_ENTRIES */
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
	    nla_put_u32(skb, IFLA_MGRE_MAX_ENTRIES, p->max_entries))
		return -EMSGSIZE;
	return 0;
}

static struct rtnl_link_ops mgre_link_ops __read_mostly = {
	.kind		= "mgre",
	.maxtype	= IFLA_MGRE_MAX,
	.policy		= mgre_policy,
	.priv_size	= sizeof(struct mgre_dev),
	.setup		= mgre_setup,
	.validate	= mgre_validate,
	.newlink	= mgre_newlink,
	.changelink	= mgre_changelink,
	.get_size	= mgre_get_size,
	.fill_info	= mgre_fill_info,
};

/* ---- per-netns state --------------------------------------------------- */

static int __net_init mgre_net_init(struct net *net)
{
	struct mgre_net *mn = mgre_net(net);

	INIT_LIST_HEAD(&mn->devs);
	atomic_set(&mn->gen, 0);
	atomic_long_set(&mn->rx_no_tunnel, 0);
	atomic_long_set(&mn->rx_malformed, 0);
	return 0;
}

/*
 * Our exit runs before the core's default_device_exit_batch(), so delete
 * our devices here, as ip_tunnel does.
 */
static void __net_exit mgre_net_exit_batch(struct list_head *net_list)
{
	struct mgre_dev *m, *tmp;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		list_for_each_entry_safe(m, tmp, &mgre_net(net)->devs, list)
			unregister_netdevice_queue(m->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations mgre_net_ops = {
	.init		= mgre_net_init,
	.exit_batch	= mgre_net_exit_batch,
	.id		= &mgre_net_id,
	.size		= sizeof(struct mgre_net),
};

/* ---- module ------------------------------------------------------------ */

static int __init mgre_init(void)
{
	int err;

	err = register_pernet_device(&mgre_net_ops);
	if (err)
		return err;

	err = gre_add_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
	if (err) {
		pr_err("GRE version 0 is claimed by another module (ip_gre?); unload it before loading mgre\n");
		goto err_pernet;
	}

	err = rtnl_link_register(&mgre_link_ops);
	if (err)
		goto err_gre;

	err = mgre_genl_init();
	if (err)
		goto err_link;

	pr_info("multipoint GRE with NHRP cache loaded\n");
	return 0;

err_link:
	rtnl_link_unregister(&mgre_link_ops);
err_gre:
	gre_del_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
err_pernet:
	unregister_pernet_device(&mgre_net_ops);
	return err;
}

static void __exit mgre_exit(void)
{
	mgre_genl_uninit();
	rtnl_link_unregister(&mgre_link_ops);
	gre_del_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
	unregister_pernet_device(&mgre_net_ops);
	/* Entries freed by kfree_rcu() must be gone before the code is. */
	rcu_barrier();
}

module_init(mgre_init);
module_exit(mgre_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multipoint GRE tunnel with an in-kernel NHRP cache");
MODULE_AUTHOR("The mgre developers");
MODULE_ALIAS_RTNL_LINK("mgre");
MODULE_ALIAS_GENL_FAMILY(MGRE_GENL_NAME);
