/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhrp_addr.c: our own tunnel addresses, which addresses NHRP may carry,
 * and what our routes say about tunnel peers.  Any context.
 */
#ifndef _MGRE_NHRP_ADDR_H
#define _MGRE_NHRP_ADDR_H

#include <linux/in.h>
#include <linux/in6.h>

#include "mgre.h"
#include "nhrp_proto.h"

#define NHRP_MIN_SHORTCUT_PLEN	8	/* no shortcut wider than a /8, as FRR */

static inline __be32 nhrp_addr(const u8 *p)
{
	__be32 a;

	memcpy(&a, p, sizeof(a));
	return a;
}

/*
 * Protocol addresses of either family travel as cache keys (prefix length
 * 0): the packet's protocol type says which family its addresses are.
 */
static inline u8 nhrp_pkt_family(const struct nhrp_packet *pkt)
{
	return pkt->pro_type == NHRP_PRO_IPV6 ? AF_INET6 : AF_INET;
}

static inline u16 nhrp_pro_type(u8 family)
{
	return family == AF_INET6 ? NHRP_PRO_IPV6 : NHRP_PRO_IPV4;
}

static inline u8 nhrp_alen(u8 family)
{
	return family == AF_INET6 ? sizeof(struct in6_addr) : sizeof(__be32);
}

static inline const u8 *nhrp_kbytes(const struct nhrp_key *k)
{
	return (const u8 *)&k->addr;
}

static inline void nhrp_key_from(struct nhrp_key *k, u8 family, const u8 *p)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	memcpy(&k->addr, p, nhrp_alen(family));
}

/* What may be registered or resolved in IPv4: unicast, not loopback. */
static inline bool nhrp_addr_unicast4(__be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_multicast(addr) &&
	       !ipv4_is_lbcast(addr) && !ipv4_is_loopback(addr);
}

__be32 nhrp_addr_own4(struct net_device *dev);
bool nhrp_addr_is_own4(struct net_device *dev, __be32 addr);
bool nhrp_addr_own_key(struct net_device *dev, u8 family, struct nhrp_key *k);
bool nhrp_addr_is_own_key(struct net_device *dev, const struct nhrp_key *k);
bool nhrp_addr_mcast_family(struct mgre_dev *m, u8 family);
bool nhrp_addr_unicast(const struct nhrp_key *k);
__be32 nhrp_addr_route_peer(struct mgre_dev *m, __be32 addr);
unsigned int nhrp_addr_egress_plen(struct mgre_dev *m, __be32 addr);

#endif /* _MGRE_NHRP_ADDR_H */
