// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit (ndo_start_xmit): the cache is looked up by the packet's route
 * next hop, a shortcut goes first, multicast is replicated to the entries
 * flagged for it, and a miss goes through an NHS while a resolution
 * starts.  Bottom halves off, RCU read side only.
 */

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/route.h>

#include "xmit.h"
#include "tunnel.h"
#include "nhs.h"
#include "nhrp_res.h"

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

	rt = mgre_tunnel_route_cached(m, nbma, tos, skb->mark, &fl4);
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
			total = READ_ONCE(m->cache.mcast.nr);
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

/**
 * mgre_xmit_skb() - ndo_start_xmit of an mgre device
 * @skb: the packet
 * @dev: the tunnel device
 *
 * Bottom halves off.  Looks up the packet's next hop (a shortcut first),
 * replicates multicast, and sends through an NHS on a miss.  Consumes @skb.
 *
 * Return: NETDEV_TX_OK, always: drops are counted.
 */
netdev_tx_t mgre_xmit_skb(struct sk_buff *skb, struct net_device *dev)
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
			nhrp_res_tx_refresh(m, e);
	} else {
		/* Through the NHS, which may start a resolution. */
		nbma = nhrp_res_tx_miss(m, &key, e);
	}
	rcu_read_unlock();
	if (!nbma) {
		mgre_count(m, MGRE_STATS_A_TX_NO_ENTRY);
		goto drop;
	}
	/* Forwarded from the tunnel back into it: a shortcut would do. */
	if (unlikely(READ_ONCE(m->parms.redirect)) &&
	    skb->skb_iif == dev->ifindex && skb->protocol == htons(ETH_P_IP))
		nhrp_nhs_tx_redirect(m, skb);
	mgre_xmit_one(m, skb, nbma);
	return NETDEV_TX_OK;

drop:
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
