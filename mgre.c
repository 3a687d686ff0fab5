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
#include "nhrp_engine.h"

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

u64 mgre_dev_counter_sum(const struct mgre_dev *m, int counter)
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

/*
 * Route to an NBMA address, refusing routes back into the tunnel.  Drops
 * are counted here so that data and NHRP count alike.
 */
struct rtable *mgre_route(struct mgre_dev *m, __be32 nbma, u8 tos, u32 mark,
			  struct flowi4 *fl4)
{
	const struct mgre_parms *p = &m->parms;
	struct rtable *rt;

	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = nbma;
	fl4->saddr = READ_ONCE(p->local);
	fl4->flowi4_oif = READ_ONCE(p->link);
	fl4->flowi4_tos = RT_TOS(tos);
	fl4->flowi4_proto = IPPROTO_GRE;
	fl4->flowi4_mark = mark;
	fl4->fl4_gre_key = READ_ONCE(p->key);
	rt = ip_route_output_key(dev_net(m->dev), fl4);
	if (IS_ERR(rt)) {
		mgre_count(m, MGRE_STATS_A_TX_NO_ROUTE);
		return rt;
	}
	if (rt->dst.dev == m->dev) {
		ip_rt_put(rt);
		mgre_count(m, MGRE_STATS_A_TX_LOOP);
		return ERR_PTR(-ELOOP);
	}
	return rt;
}

/* Encapsulate and send; consumes skb and rt. */
void mgre_tunnel_xmit(struct mgre_dev *m, struct sk_buff *skb,
		      struct rtable *rt, const struct flowi4 *fl4, __be16 proto,
		      u8 tos, u8 ttl)
{
	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			      rt->dst.header_len + MGRE_OUTER_HLEN + m->hlen) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		ip_rt_put(rt);
		DEV_STATS_INC(m->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	mgre_push_header(skb, m, proto, READ_ONCE(m->parms.key));
	iptunnel_xmit(NULL, rt, skb, fl4->saddr, fl4->daddr, IPPROTO_GRE, tos,
		      ttl, 0, false);
}

/* A resolved entry in use is refreshed in its last third. */
static bool mgre_entry_stale(const struct nhrp_entry *e)
{
	return READ_ONCE(e->type) == MGRE_ENTRY_RESOLVED &&
	       time_after(jiffies, READ_ONCE(e->expires) -
				   (unsigned long)e->holdtime * HZ / 3);
}

/* Encapsulate one packet to nbma and send it; consumes skb. */
static void mgre_xmit_one(struct mgre_dev *m, struct sk_buff *skb,
			  __be32 nbma)
{
	const struct mgre_parms *p = &m->parms;
	u8 tos, ttl, inner_tos;
	struct flowi4 fl4;
	struct rtable *rt;

	inner_tos = ip_tunnel_get_dsfield(ip_hdr(skb), skb);
	tos = p->tos == MGRE_TOS_INHERIT ? inner_tos : p->tos;
	tos &= ~INET_ECN_MASK;

	rt = mgre_route(m, nbma, tos, skb->mark, &fl4);
	if (IS_ERR(rt)) {
		DEV_STATS_INC(m->dev, tx_dropped);
		kfree_skb(skb);
		return;
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
	mgre_tunnel_xmit(m, skb, rt, &fl4, skb->protocol,
			 INET_ECN_encapsulate(tos, inner_tos), ttl);
}

/*
 * Multicast and broadcast: IPv4 group and limited-broadcast addresses,
 * routes of broadcast type (a subnet's broadcast address), IPv6 groups.
 */
static bool mgre_is_mcast(const struct sk_buff *skb,
			  const struct nhrp_key *key)
{
	const struct dst_entry *dst = skb_dst(skb);

	if (key->family == AF_INET6)
		return ipv6_addr_is_multicast(&key->addr.v6);
	if (ipv4_is_multicast(key->addr.v4) || ipv4_is_lbcast(key->addr.v4))
		return true;
	return dst && dst->ops->family == AF_INET &&
	       ((const struct rtable *)dst)->rt_type == RTN_BROADCAST;
}

/*
 * One copy to every entry flagged for multicast, up to the device's limit:
 * clones share the payload, and each copy costs what a unicast transmit
 * costs (a route lookup and a new header).  Consumes skb.
 */
static void mgre_xmit_mcast(struct mgre_dev *m, struct sk_buff *skb)
{
	u32 limit = READ_ONCE(m->parms.mcast_limit), n = 0, total;
	struct nhrp_entry *e;
	struct sk_buff *copy;
	__be32 prev = 0;

	mgre_count(m, MGRE_STATS_A_TX_MCAST);
	rcu_read_lock();
	nhrp_cache_for_each_mcast(&m->cache, e) {
		__be32 nbma = READ_ONCE(e->nbma);

		if (!nbma)
			continue;
		if (n == limit) {
			/* The rest are counted, not walked: the limit is
			 * there to bound the time spent here.
			 */
			total = READ_ONCE(m->cache.nr_mcast);
			mgre_count_add(m, MGRE_STATS_A_TX_MCAST_LIMITED,
				       total > n ? total - n : 1);
			break;
		}
		if (prev) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (!copy) {
				DEV_STATS_INC(m->dev, tx_dropped);
				break;
			}
			mgre_xmit_one(m, copy, prev);
		}
		prev = nbma;
		n++;
	}
	rcu_read_unlock();

	if (!prev) {
		mgre_count(m, MGRE_STATS_A_TX_MCAST_NO_TARGET);
		DEV_STATS_INC(m->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	mgre_count_add(m, MGRE_STATS_A_TX_MCAST_COPIES, n);
	mgre_xmit_one(m, skb, prev);
}

/*
 * Phase 3: the longest shortcut whose prefix holds the packet's
 * destination, under rcu_read_lock().  mgre_nexthop() pulled the header.
 */
static struct nhrp_entry *mgre_shortcut(struct mgre_dev *m,
					const struct sk_buff *skb, u8 family)
{
	struct nhrp_key dst;

	if (family == AF_INET6)
		nhrp_key_init6(&dst, &ipv6_hdr(skb)->daddr);
	else
		nhrp_key_init4(&dst, ip_hdr(skb)->daddr);
	return nhrp_cache_lookup_prefix(&m->cache, &dst);
}

static netdev_tx_t mgre_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);
	struct nhrp_entry *e;
	struct nhrp_key key;
	__be32 nbma;

	if (!mgre_nexthop(skb, &key)) {
		mgre_count(m, MGRE_STATS_A_TX_BAD_PROTO);
		goto drop;
	}
	if (unlikely(mgre_is_mcast(skb, &key))) {
		mgre_xmit_mcast(m, skb);
		return NETDEV_TX_OK;
	}

	/* ndo_start_xmit runs with bottom halves off; the cache's table
	 * walk wants rcu_read_lock() itself (lockdep says so).
	 */
	rcu_read_lock();
	e = NULL;
	/* A shortcut to the destination goes before the route's next hop. */
	if (unlikely(nhrp_cache_has_prefixes(&m->cache, key.family)))
		e = mgre_shortcut(m, skb, key.family);
	if (likely(!e))
		e = nhrp_cache_lookup(&m->cache, &key);
	if (likely(e && nhrp_entry_usable(e))) {
		nhrp_entry_touch(e);
		nbma = READ_ONCE(e->nbma);
		if (unlikely(mgre_entry_stale(e)))
			mgre_nhrp_tx_refresh(m, e);
	} else {
		/* Through the NHS, which may start a resolution. */
		nbma = mgre_nhrp_tx_miss(m, &key, e);
	}
	rcu_read_unlock();
	if (!nbma) {
		mgre_count(m, MGRE_STATS_A_TX_NO_ENTRY);
		goto drop;
	}
	/* Forwarded from the tunnel back into it: a shortcut would do. */
	if (unlikely(READ_ONCE(m->parms.redirect)) &&
	    skb->skb_iif == dev->ifindex && skb->protocol == htons(ETH_P_IP))
		mgre_nhrp_tx_redirect(m, skb);
	mgre_xmit_one(m, skb, nbma);
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
	case htons(MGRE_ETH_P_NHRP): {
		__be32 saddr = ip_hdr(skb)->saddr, daddr = ip_hdr(skb)->daddr;

		mgre_count(m, MGRE_STATS_A_RX_NHRP);
		if (iptunnel_pull_header(skb, hdr_len, tpi.proto, false))
			goto drop_dev;
		mgre_nhrp_rcv(m, skb, saddr, daddr);
		return 0;
	}
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
	if (tpi.proto == htons(ETH_P_IP) ?
	    ipv4_is_multicast(ip_hdr(skb)->daddr) :
	    ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr)) {
		skb->pkt_type = PACKET_MULTICAST;
		DEV_STATS_INC(m->dev, multicast);
	}
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
	if (m->events && m->events->entry)
		m->events->entry(m, e, event);
}

static const struct nhrp_cache_ops mgre_cache_ops = {
	.notify = mgre_cache_notify,
};

/* Written at module init, before any device exists. */
static const struct mgre_event_ops *mgre_events __read_mostly;

void mgre_dev_set_events(const struct mgre_event_ops *ops)
{
	mgre_events = ops;
}

static int mgre_dev_init(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);
	int err;

	m->dev = dev;
	m->events = mgre_events;
	err = mgre_dev_stats_alloc(dev);
	if (err)
		return err;
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
	err = mgre_nhrp_init(m);
	if (err)
		goto err_cache;
	return 0;

err_cache:
	nhrp_cache_shutdown(&m->cache);
	nhrp_cache_destroy(&m->cache);
err_gro_cells:
	gro_cells_destroy(&m->gro_cells);
err_free_counters:
	free_percpu(m->counters);
err_free_tstats:
	mgre_dev_stats_free(dev);
	return err;
}

/* Runs for a device that registered, and for one that failed to. */
static void mgre_dev_uninit(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	if (!list_empty(&m->list))
		list_del_rcu(&m->list);
	/* The NHS works write to the cache: stop them first. */
	mgre_nhrp_uninit(m);
	nhrp_cache_shutdown(&m->cache);
}

/*
 * After the last reference: no reader can reach the device any more, so
 * the tables themselves can go.
 */
static void mgre_dev_free(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	mgre_nhrp_free(m);
	nhrp_cache_destroy(&m->cache);
	gro_cells_destroy(&m->gro_cells);
	free_percpu(m->counters);
	mgre_dev_stats_free(dev);
}

static int mgre_open(struct net_device *dev)
{
	mgre_nhrp_open(netdev_priv(dev));
	return 0;
}

static int mgre_stop(struct net_device *dev)
{
	mgre_nhrp_stop(netdev_priv(dev));
	return 0;
}

static void mgre_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *s)
{
	dev_get_tstats64(dev, s);
}

static const struct net_device_ops mgre_netdev_ops = {
	.ndo_init		= mgre_dev_init,
	.ndo_uninit		= mgre_dev_uninit,
	.ndo_open		= mgre_open,
	.ndo_stop		= mgre_stop,
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
	/*
	 * Point-to-point as far as the neighbour layer goes, as wireguard:
	 * IPv4 output then keys every next hop on this device to one
	 * neighbour entry instead of creating one per next hop, which at a
	 * hub with 100,000 spokes thrashed the neighbour table (gc_thresh3
	 * is 1024) on every packet.  The transmit path takes the next hop
	 * from the route, not from the neighbour.  Routing daemons see a
	 * point-to-point link: run OSPF as point-to-multipoint explicitly.
	 * Multicast goes to the entries flagged for it (mgre_xmit_mcast).
	 */
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->addr_len = 4;
	dev->hard_header_len = 0;
	dev->min_mtu = ETH_MIN_MTU;
	mgre_dev_set_lltx_netns_local(dev);
	mgre_dev_stats_setup(dev);
	/* Transmit keys the cache by the route's next hop: keep the route
	 * on the packet until ndo_start_xmit, as ip_gre does.
	 */
	netif_keep_dst(dev);

	INIT_LIST_HEAD(&m->list);
	m->parms.ttl = MGRE_DEFAULT_TTL;
	m->parms.holdtime = MGRE_DEFAULT_HOLDTIME;
	m->parms.max_entries = MGRE_DEFAULT_MAX_ENTRIES;
	m->parms.mcast_limit = MGRE_DEFAULT_MCAST_LIMIT;
}

/* ---- rtnl link ops ----------------------------------------------------- */

static struct netlink_range_validation mgre_max_entries_range = {
	.min = 1,
	.max = MGRE_MAX_ENTRIES_LIMIT,
};

static const struct nla_policy mgre_nhs_policy[IFLA_MGRE_NHS_A_MAX + 1] = {
	[IFLA_MGRE_NHS_PROTO4]	= { .type = NLA_BE32 },
	[IFLA_MGRE_NHS_NBMA4]	= { .type = NLA_BE32 },
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
	m->hlen = mgre_gre_hlen(&m->parms);
	mgre_apply_mtu(dev, net, !tb[IFLA_MTU]);
	__dev_addr_set(dev, &m->parms.local, 4);
	memset(dev->broadcast, 0, 4);

	err = register_netdevice(dev);
	if (err) {
		kfree(cfg);
		return err;
	}
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
	u8 old_hlen = m->hlen;
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
	m->parms.holdtime = p.holdtime;
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
	if (p.max_entries != m->parms.max_entries) {
		m->parms.max_entries = p.max_entries;
		nhrp_cache_set_limit(&m->cache, p.max_entries);
	}
	m->hlen = mgre_gre_hlen(&p);
	mgre_apply_mtu(dev, net, m->hlen != old_hlen || data[IFLA_MGRE_LINK]);
	dev_addr_set(dev, (const u8 *)&p.local);
	if (cfg)
		mgre_nhrp_set_cfg(m, cfg);
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
	       nla_total_size(0) +	/* IFLA_MGRE_NHS_LIST */
	       MGRE_MAX_NHS * (nla_total_size(0) +	/* IFLA_MGRE_NHS */
			       2 * nla_total_size(4));	/* PROTO4, NBMA4 */
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
		    nla_put_in_addr(skb, IFLA_MGRE_NHS_NBMA4, cfg->nhs[i].nbma))
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
	    nla_put_u8(skb, IFLA_MGRE_SHORTCUT, p->shortcut))
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

	err = nhrp_cache_module_init();
	if (err)
		return err;

	err = register_pernet_device(&mgre_net_ops);
	if (err)
		goto err_slab;

	err = gre_add_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
	if (err) {
		pr_err("GRE version 0 is claimed by another module (ip_gre?); unload it before loading mgre\n");
		goto err_pernet;
	}

	/* The family first: every device reports to it. */
	err = mgre_genl_init();
	if (err)
		goto err_gre;

	err = rtnl_link_register(&mgre_link_ops);
	if (err)
		goto err_genl;

	pr_info("multipoint GRE with NHRP cache loaded\n");
	return 0;

err_genl:
	mgre_genl_uninit();
err_gre:
	gre_del_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
err_pernet:
	unregister_pernet_device(&mgre_net_ops);
err_slab:
	nhrp_cache_module_exit();
	return err;
}

static void __exit mgre_exit(void)
{
	rtnl_link_unregister(&mgre_link_ops);
	mgre_genl_uninit();
	gre_del_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
	unregister_pernet_device(&mgre_net_ops);
	/* Entries freed by call_rcu() must be gone before their cache. */
	rcu_barrier();
	nhrp_cache_module_exit();
}

module_init(mgre_init);
module_exit(mgre_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(MGRE_VERSION);
MODULE_DESCRIPTION("Multipoint GRE tunnel with an in-kernel NHRP cache");
MODULE_AUTHOR("The mgre developers");
MODULE_ALIAS_RTNL_LINK("mgre");
MODULE_ALIAS_GENL_FAMILY(MGRE_GENL_NAME);
