// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel's output: the route to an NBMA address and GRE/IPv4
 * encapsulation, shared by data (xmit.c) and NHRP (nhrp_tx.c), and the
 * route cache of the data path.  Any context that may transmit.
 */

#include <linux/hash.h>
#include <linux/if_ether.h>
#include <linux/inetdevice.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/dst.h>
#include <net/gre.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>

#include "tunnel.h"

static void mgre_push_header(struct sk_buff *skb, __be16 proto, u8 hlen,
			     __be32 key)
{
	__be16 *hdr;

	/* GSO of GRE finds the inner packet's type here. */
	skb_set_inner_protocol(skb, proto);
	/* A hand-built header: gre_build_header()'s flags type differs
	 * between our kernels and this one has two shapes only.
	 */
	skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	hdr = (__be16 *)skb->data;
	hdr[0] = hlen > 4 ? GRE_KEY : 0;
	hdr[1] = proto;
	if (hlen > 4)
		*(__be32 *)(hdr + 2) = key;
}

/*
 * Whether a source the route chose may go on the underlay.  A configured
 * local address is the operator's choice.  With local any it must be an
 * address of the underlay device when there is one (Cisco's "tunnel
 * source eth0" is eth0's address), and never one of an mgre device: the
 * overlay's.
 */
static bool mgre_tunnel_source_ok(struct mgre_dev *m, __be32 saddr)
{
	const struct net_device *owner;
	int link;

	if (READ_ONCE(m->parms.local))
		return true;
	owner = __ip_dev_find(dev_net(m->dev), saddr, false);
	if (!owner || owner->netdev_ops == m->dev->netdev_ops)
		return false;
	link = READ_ONCE(m->parms.link);
	return !link || owner->ifindex == link;
}

/**
 * mgre_tunnel_route() - route to an NBMA address
 * @m: the device
 * @nbma: the NBMA address
 * @tos: outer TOS to route by
 * @mark: the packet mark to route by
 * @fl4: filled with the flow the route was looked up with
 *
 * Routes back into the tunnel are refused.  With local any, so is a
 * source the underlay does not own: with no address on the underlay
 * device (dev), or none anywhere but on a tunnel, the kernel would pick
 * the tunnel's own address and put an overlay source on the underlay.
 * Drops are counted here, so that data and NHRP count alike.
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
	if (!fl4->saddr || !mgre_tunnel_source_ok(m, fl4->saddr)) {
		ip_rt_put(rt);
		mgre_count(m, MGRE_STATS_A_TX_NO_SOURCE);
		return ERR_PTR(-EADDRNOTAVAIL);
	}
	return rt;
}

/*
 * The route cache.  ip_gre in NBMA mode looks up the route to the peer's
 * address for every packet; WireGuard keeps a dst_cache per peer.  Here a
 * peer is an NBMA address that any number of cache entries may share
 * (a spoke's IPv4 and IPv6 tunnel addresses, its shortcuts), and a hub
 * may hold a million entries of which few are in use at once.  So the
 * routes are cached by flow, not by entry: per CPU, a table of two-way
 * buckets indexed by a hash of (NBMA address, outer TOS, mark), each way
 * holding the route last used for its flow.  An idle entry costs nothing.
 *
 * A table starts at 256 slots (8 KiB per CPU) and grows when the flows a
 * CPU sends do not fit: when, in a window of four lookups per slot, more
 * misses than slots are seen (a flush of every slot, as a route change
 * causes, is one miss per slot and does not count as too many flows).
 * The window ends as soon as that many misses are seen, and the table
 * grows by the factor its hit rate asks for: with h of n lookups hits,
 * enough slots for 2n/h times the flows it holds, at least twice and at
 * most 16 times the slots.  A hub that starts sending to 65,536 peers
 * so reaches its full table in a few hundred thousand lookups, not
 * nine doublings of ever longer windows.
 * The transmit path only asks: the grow work allocates the new table,
 * publishes it and frees the old one, with its routes, after an RCU grace
 * period, since transmit may still be filling it.  A table never exceeds
 * four slots per cache entry, nor 2^17 slots (4 MiB per CPU).  Flows that
 * still collide take turns in a bucket: each miss costs the lookup that
 * no cache would have saved.
 *
 * A cached route is used only while dst_check() keeps it: a change of
 * the routing table, or an xfrm policy inserted, bumps the route
 * generation and makes every route of the netns fail it, and a route
 * given a PMTU exception is marked obsolete.  A device change (local
 * address, underlay link, key, TOS) bumps rtc_gen.  Slots are emptied
 * when the device goes down, when no transmit can run.
 */
static u32 mgre_rtc_hash(__be32 nbma, u8 tos, u32 mark, unsigned int bits)
{
	return hash_32((__force u32)nbma ^ tos ^ (mark * 0x9e3779b9U), bits);
}

static struct mgre_rtc_table *mgre_rtc_table_alloc(unsigned int bits,
						   gfp_t gfp)
{
	struct mgre_rtc_table *t = kzalloc(sizeof(*t), gfp);

	if (!t)
		return NULL;
	/* A power of two: kmalloc aligns it to its size, vmalloc to a page,
	 * so that no bucket straddles two lines.
	 */
	t->b = kvcalloc(BIT(bits), sizeof(*t->b), gfp);
	if (!t->b) {
		kfree(t);
		return NULL;
	}
	t->bits = bits;
	return t;
}

/* Drop the table's routes; the table stays. */
static void mgre_rtc_table_empty(struct mgre_rtc_table *t)
{
	struct mgre_rtc_slot *s = t->b[0].way;
	unsigned int i;

	for (i = 0; i < 2U << t->bits; i++, s++) {
		if (s->rt)
			ip_rt_put(s->rt);
		s->rt = NULL;
	}
}

static void mgre_rtc_table_free(struct mgre_rtc_table *t)
{
	mgre_rtc_table_empty(t);
	kvfree(t->b);
	kfree(t);
}

/*
 * Grow the tables of the CPUs that asked, by the bits each asked for.  Only this work replaces a
 * table while the device is up (a work item never runs twice at once);
 * a CPU's transmit may still hold the old one, so it is freed after a
 * grace period.
 */
static void mgre_rtc_grow_work(struct work_struct *work)
{
	struct mgre_dev *m = container_of(work, struct mgre_dev, rtc_grow);
	struct mgre_rtc_table *old, *new, *dead = NULL;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mgre_rtc_pcpu *pc = per_cpu_ptr(m->rtc, cpu);

		unsigned int bits = READ_ONCE(pc->grow);

		if (!bits)
			continue;
		old = rcu_dereference_protected(pc->table, 1);
		bits = min_t(unsigned int, old->bits + bits, MGRE_RTC_MAX_BITS);
		new = bits > old->bits ?
		      mgre_rtc_table_alloc(bits, GFP_KERNEL) : NULL;
		if (new) {
			rcu_assign_pointer(pc->table, new);
			old->next = dead;
			dead = old;
		}
		/* On failure the CPU asks again after another window. */
		WRITE_ONCE(pc->grow, 0);
	}
	if (!dead)
		return;
	synchronize_rcu();
	while (dead) {
		old = dead;
		dead = old->next;
		mgre_rtc_table_free(old);
	}
}

/**
 * mgre_tunnel_rtc_alloc() - allocate the device's route cache
 * @m: the device, from ndo_init
 *
 * Return: 0 or -ENOMEM.
 */
int mgre_tunnel_rtc_alloc(struct mgre_dev *m)
{
	int cpu;

	INIT_WORK(&m->rtc_grow, mgre_rtc_grow_work);
	m->rtc = alloc_percpu(struct mgre_rtc_pcpu);
	if (!m->rtc)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct mgre_rtc_table *t;

		t = mgre_rtc_table_alloc(MGRE_RTC_MIN_BITS, GFP_KERNEL);
		if (!t) {
			mgre_tunnel_rtc_free(m);
			return -ENOMEM;
		}
		RCU_INIT_POINTER(per_cpu_ptr(m->rtc, cpu)->table, t);
	}
	return 0;
}

/**
 * mgre_tunnel_rtc_flush() - drop every cached route
 * @m: the device, down or unregistering: no transmit runs
 *
 * Waits for the grow work, then reaches every CPU's table, which is safe
 * only while none transmits.  The tables keep their size.
 */
void mgre_tunnel_rtc_flush(struct mgre_dev *m)
{
	int cpu;

	if (!m->rtc)
		return;
	cancel_work_sync(&m->rtc_grow);
	for_each_possible_cpu(cpu) {
		struct mgre_rtc_pcpu *pc = per_cpu_ptr(m->rtc, cpu);
		struct mgre_rtc_table *t;

		t = rcu_dereference_protected(pc->table, 1);
		if (t)
			mgre_rtc_table_empty(t);
		pc->lookups = 0;
		pc->misses = 0;
		pc->grow = 0;
	}
}

/**
 * mgre_tunnel_rtc_free() - free the route cache
 * @m: the device, after its last reference
 */
void mgre_tunnel_rtc_free(struct mgre_dev *m)
{
	int cpu;

	if (!m->rtc)
		return;
	cancel_work_sync(&m->rtc_grow);
	for_each_possible_cpu(cpu) {
		struct mgre_rtc_table *t;

		t = rcu_dereference_protected(per_cpu_ptr(m->rtc, cpu)->table,
					      1);
		if (t)
			mgre_rtc_table_free(t);
	}
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

/*
 * A lookup of this CPU's table ended, a miss or not.  The window ends
 * after four lookups per slot, or as soon as more lookups missed than
 * the table has slots: then ask for a bigger table, if the cache's
 * entries warrant it, by the factor the window's hit rate asks for.
 */
static void mgre_rtc_account(struct mgre_dev *m, struct mgre_rtc_pcpu *pc,
			     const struct mgre_rtc_table *t, bool miss)
{
	unsigned int slots = 2U << t->bits;
	unsigned int hits, limit, g;

	pc->misses += miss;
	if (++pc->lookups < 4 * slots && pc->misses <= slots)
		return;
	if (pc->misses > slots && t->bits < MGRE_RTC_MAX_BITS &&
	    !READ_ONCE(pc->grow)) {
		/* g bits: slots << g >= 2 * slots * lookups / hits. */
		hits = pc->lookups - pc->misses;
		g = 1;
		while (g < MGRE_RTC_MAX_GROW && (hits << g) < 2 * pc->lookups)
			g++;
		limit = MGRE_RTC_SLOTS_PER_ENTRY * nhrp_cache_count(&m->cache);
		while (g && (slots << g) > 2 * limit)
			g--;
		if (g) {
			WRITE_ONCE(pc->grow, g);
			queue_work(system_unbound_wq, &m->rtc_grow);
		}
	}
	pc->lookups = 0;
	pc->misses = 0;
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
 * off (so in an RCU read-side section), device up.
 *
 * Return: the route, with a reference for the caller, or an ERR_PTR.
 */
struct rtable *mgre_tunnel_route_cached(struct mgre_dev *m, __be32 nbma,
					u8 tos, u32 mark, struct flowi4 *fl4)
{
	struct mgre_rtc_pcpu *pc = this_cpu_ptr(m->rtc);
	struct mgre_rtc_table *t = rcu_dereference_bh(pc->table);
	struct mgre_rtc_slot *way = t->b[mgre_rtc_hash(nbma, tos, mark,
						       t->bits)].way;
	u32 gen = READ_ONCE(m->rtc_gen);
	struct mgre_rtc_slot *s;
	struct rtable *rt, *old;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		s = &way[i];
		rt = s->rt;
		if (!rt || s->nbma != nbma || s->tos != tos || s->mark != mark)
			continue;
		if (likely(s->gen == gen && dst_check(&rt->dst, 0))) {
			way[0].victim = !i;
			mgre_rtc_account(m, pc, t, false);
			dst_hold(&rt->dst);
			fl4->saddr = s->saddr;
			fl4->daddr = nbma;
			return rt;
		}
		break;		/* the flow's slot, gone stale: refill it */
	}
	if (i == 2)
		i = way[0].victim;
	s = &way[i];

	mgre_count(m, MGRE_STATS_A_TX_ROUTE_LOOKUPS);
	rt = mgre_tunnel_route(m, nbma, tos, mark, fl4);
	if (IS_ERR(rt))
		return rt;	/* no route: not the table's fault */
	mgre_rtc_account(m, pc, t, true);
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
	way[0].victim = !i;
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
	/* One header, read once: pairs with mgre_tunnel_set_hdr(). */
	u8 hlen = smp_load_acquire(&m->hlen);
	__be32 key = READ_ONCE(m->tx_key);

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			      rt->dst.header_len + MGRE_OUTER_HLEN + hlen) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		ip_rt_put(rt);
		DEV_STATS_INC(m->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	mgre_push_header(skb, proto, hlen, key);
	iptunnel_xmit(NULL, rt, skb, fl4->saddr, fl4->daddr, IPPROTO_GRE, tos,
		      ttl, 0, false);
}
