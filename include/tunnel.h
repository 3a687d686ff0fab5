/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tunnel.c: the route to an NBMA address and GRE/IPv4 encapsulation.
 * Callers: transmit (data) and nhrp_tx.c (NHRP), bottom halves off.
 */
#ifndef _MGRE_TUNNEL_H
#define _MGRE_TUNNEL_H

#include <linux/ip.h>

#include "mgre.h"

#define MGRE_OUTER_HLEN	sizeof(struct iphdr)

/* The GRE header we build: flags and protocol, and the key if any. */
static inline u8 mgre_tunnel_hlen(const struct mgre_parms *p)
{
	return 4 + (p->has_key ? 4 : 0);
}

struct rtable *mgre_tunnel_route(struct mgre_dev *m, __be32 nbma, u8 tos,
				 u32 mark, struct flowi4 *fl4);
void mgre_tunnel_xmit(struct mgre_dev *m, struct sk_buff *skb,
		      struct rtable *rt, const struct flowi4 *fl4, __be16 proto,
		      u8 tos, u8 ttl);

#endif /* _MGRE_TUNNEL_H */
