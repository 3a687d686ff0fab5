// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel's output: the route to an NBMA address and GRE/IPv4
 * encapsulation, shared by data (xmit.c) and NHRP (nhrp_tx.c), and the
 * route cache of the data path.  Any context that may transmit.
 */

#include <linux/hash.h>
#include <linux/if_ether.h>
#include <linux/percpu.h>
#include <net/dst.h>
#include <net/gre.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>

#include "tunnel.h"

static void mgre_push_header(struct sk_buff *skb, const struct mgre_dev *m,
			     __be16 proto, __be32 key)
{
	__be16 *hdr;

	/* GSO of GRE finds the inner packet's type here. */
	skb_set_inner_protocol(skb, proto);
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

/**
 * mgre_tunnel_route() - route to an NBMA address
 * @m: the device
 * @nbma: the NBMA address
 * @tos: outer TOS to route by
 * @mark: the packet mark to route by
 * @fl4: filled with the flow the route was looked up with
 *
 * Routes back into the tunnel are refused.  Drops are counted here, so
 * that data and NHRP count alike.
 *
 * Return: the route, or an ERR_PTR.
 */
struct rtable *mgre_tunnel_route(struct mgre_dev *m, __be32 nbma, u8 tos,
				 u32 mark, struct flowi4 *fl4)
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

/*
 * The route cache.  ip_gre in NBMA mode looks up the route to the peer's
 * address for every packet; WireGuard keeps a dst_cache per peer.  Here a
 * peer is an NBMA address that any number of cache entries may share
 * (a spoke's IPv4 and IPv6 tunnel addresses, its shortcuts), and a hub
 * may hold a million entries of which few are in use at once.  So the
 * routes are cached by flow, not by entry: per CPU, a table of
 * MGRE_RTC_SLOTS slots indexed by a hash of (NBMA address, outer TOS,
 * mark), each holding the route last used for its flow.  An idle entry
 * costs nothing; a busy device costs 32 bytes a slot (8 KiB per CPU).
 * Flows that collide take turns in a slot: each miss costs the lookup
 * that no cache would have saved, and a swap of references unless the
 * two flows share their route.
 *
 * A cached route is used only while dst_check() keeps it: a change of
 * the routing table, or an xfrm policy inserted, bumps the route
 * generation and makes every route of the netns fail it, and a route
 * given a PMTU exception is marked obsolete.  A device change (local
 * address, underlay link, key, TOS) bumps rtc_gen.  Slots are emptied
 * when the device goes down, when no transmit can run.
 */
static u32 mgre_rtc_hash(__be32 nbma, u8 tos, u32 mark)
{
	return hash_32((__force u32)nbma ^ tos ^ (mark * 0x9e3779b9U),
		       MGRE_RTC_BITS);
}

/**
 * mgre_tunnel_rtc_alloc() - allocate the device's route cache
 * @m: the device, from ndo_init
 *
 * Return: 0 or -ENOMEM.
 */
int mgre_tunnel_rtc_alloc(struct mgre_dev *m)
{
	m->rtc = __alloc_percpu(sizeof(struct mgre_rtc_slot) * MGRE_RTC_SLOTS,
				__alignof__(struct mgre_rtc_slot));
	return m->rtc ? 0 : -ENOMEM;
}

/**
 * mgre_tunnel_rtc_flush() - drop every cached route
 * @m: the device, down or unregistering: no transmit runs
 *
 * Reaches every CPU's slots, which is safe only while none transmits.
 */
void mgre_tunnel_rtc_flush(struct mgre_dev *m)
{
	unsigned int i;
	int cpu;

	if (!m->rtc)
		return;
	for_each_possible_cpu(cpu) {
		struct mgre_rtc_slot *s = per_cpu_ptr(m->rtc, cpu);

		for (i = 0; i < MGRE_RTC_SLOTS; i++, s++) {
			if (s->rt)
				ip_rt_put(s->rt);
			s->rt = NULL;
		}
	}
}

/**
 * mgre_tunnel_rtc_free() - free the route cache
 * @m: the device, after its last reference
 */
void mgre_tunnel_rtc_free(struct mgre_dev *m)
{
	mgre_tunnel_rtc_flush(m);
	free_percpu(m->rtc);
	m->rtc = NULL;
}

/**
 * mgre_tunnel_rtc_reset() - the flow of every cached route changed
 * @m: the device, under RTNL
 *
 * Called when a parameter the routes were looked up with changes: each
 * slot is looked up again at its next use.
 */
void mgre_tunnel_rtc_reset(struct mgre_dev *m)
{
	WRITE_ONCE(m->rtc_gen, m->rtc_gen + 1);
}

/**
 * mgre_tunnel_route_cached() - route to an NBMA address, through the cache
 * @m: the device
 * @nbma: the NBMA address
 * @tos: outer TOS to route by
 * @mark: the packet mark to route by
 * @fl4: its saddr and daddr are set (all mgre_tunnel_xmit() reads); on a
 *	miss, the whole flow the route was looked up with
 *
 * The data path's mgre_tunnel_route(): ndo_start_xmit only, bottom halves
 * off, device up.
 *
 * Return: the route, with a reference for the caller, or an ERR_PTR.
 */
struct rtable *mgre_tunnel_route_cached(struct mgre_dev *m, __be32 nbma,
					u8 tos, u32 mark, struct flowi4 *fl4)
{
	struct mgre_rtc_slot *s = this_cpu_ptr(m->rtc) +
				  mgre_rtc_hash(nbma, tos, mark);
	u32 gen = READ_ONCE(m->rtc_gen);
	struct rtable *rt = s->rt, *old;

	if (likely(rt && s->nbma == nbma && s->tos == tos &&
		   s->mark == mark && s->gen == gen &&
		   dst_check(&rt->dst, 0))) {
		dst_hold(&rt->dst);
		fl4->saddr = s->saddr;
		fl4->daddr = nbma;
		return rt;
	}

	mgre_count(m, MGRE_STATS_A_TX_ROUTE_LOOKUPS);
	rt = mgre_tunnel_route(m, nbma, tos, mark, fl4);
	if (IS_ERR(rt))
		return rt;
	/* Flows that take turns in a slot often share their route (the
	 * underlay's default route): then only the flow changes.
	 */
	old = s->rt;
	if (old != rt) {
		dst_hold(&rt->dst);
		s->rt = rt;
		if (old)
			ip_rt_put(old);
	}
	s->nbma = nbma;
	s->saddr = fl4->saddr;
	s->tos = tos;
	s->mark = mark;
	s->gen = gen;
	return rt;
}

/**
 * mgre_tunnel_xmit() - encapsulate in GRE/IPv4 and send
 * @m: the device
 * @skb: the packet
 * @rt: the route, consumed
 * @fl4: the flow @rt was looked up with
 * @proto: GRE protocol type
 * @tos: outer TOS
 * @ttl: outer TTL
 *
 * Consumes @skb and @rt.
 */
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
