// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel's output: the route to an NBMA address and GRE/IPv4
 * encapsulation, shared by data (xmit.c) and NHRP (nhrp_tx.c).  Any
 * context that may transmit; no state of its own.
 */

#include <linux/if_ether.h>
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
