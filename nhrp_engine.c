// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP engine: what an mgre device does with NHRP packets.
 *
 * As an NHS (hub) it answers Registration Requests from the cache, answers
 * Resolution Requests for the clients registered with it, honours Purge
 * Requests and forwards Resolution Replies to the spoke that asked.  As an
 * NHC (spoke) it registers with each configured NHS (renewing at holdtime/3,
 * backing off 1 s doubling to 64 s when unanswered), resolves next hops that
 * miss in the cache and purges its registrations when the link goes down.
 *
 * Received packets are handled in softirq; the client side runs from one
 * delayed work per NHS.  Everything sent is built with the pure codec of
 * nhrp_proto.c into a fresh skb and leaves through mgre_tunnel_xmit().
 */

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <net/ip_fib.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/genetlink.h>

#include "nhrp_engine.h"
#include "nhrp_proto.h"

#define NHRP_HOPCNT		64	/* what we originate, as FRR does */
#define NHRP_REG_HOPCNT		1	/* registrations go to the next hop */
#define NHRP_BUF_LEN		1024	/* everything we build fits */
#define NHRP_ERR_COPY_MAX	512	/* bytes of a bad packet we echo */
#define NHRP_TI_COPY		64	/* bytes of a data packet a Traffic
					 * Indication carries
					 */
#define NHRP_INCOMPLETE_SECS	3	/* a resolution's answer must come */
#define NHRP_NEGATIVE_SECS	30	/* cap on negative caching */
#define NHRP_MIN_SHORTCUT_PLEN	8	/* no shortcut wider than a /8, as FRR */
#define NHRP_BACKOFF_MAX	64	/* seconds */

/* Parse errors count as drops under the same numbers. */
static_assert((int)MGRE_NHRP_DROP_HOPCNT_ZERO == (int)NHRP_PARSE_HOPCNT_ZERO);

/* ---- counters ---------------------------------------------------------- */

static void nhrp_count_tx(struct mgre_dev *m, u8 type)
{
	if (type <= MGRE_NHRP_TYPE_MAX)
		this_cpu_inc(m->nhrp_stats->tx[type]);
}

static void nhrp_drop(struct mgre_dev *m, int reason)
{
	this_cpu_inc(m->nhrp_stats->drop[reason]);
}

/**
 * mgre_nhrp_stats_read() - the device's NHRP counters, summed over CPUs
 * @m: the device
 * @s: filled with the sums
 *
 * Any context.  The sums are not a snapshot: each counter is read once.
 */
void mgre_nhrp_stats_read(const struct mgre_dev *m, struct mgre_nhrp_stats *s)
{
	unsigned int i;
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct mgre_nhrp_pcpu_stats *c =
			per_cpu_ptr(m->nhrp_stats, cpu);

		for (i = 0; i < ARRAY_SIZE(s->tx); i++)
			s->tx[i] += READ_ONCE(c->tx[i]);
		for (i = 0; i < ARRAY_SIZE(s->rx); i++)
			s->rx[i] += READ_ONCE(c->rx[i]);
		for (i = 0; i < ARRAY_SIZE(s->drop); i++)
			s->drop[i] += READ_ONCE(c->drop[i]);
	}
}

/* ---- addresses --------------------------------------------------------- */

/* Our protocol address on the tunnel: the device's first IPv4 address. */
static __be32 nhrp_own_addr(struct net_device *dev)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	__be32 addr = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
				addr = ifa->ifa_local;
				break;
			}
		}
	}
	rcu_read_unlock();
	return addr;
}

static bool nhrp_is_own_addr(struct net_device *dev, __be32 addr)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	bool own = false;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (ifa->ifa_local == addr) {
				own = true;
				break;
			}
		}
	}
	rcu_read_unlock();
	return own;
}

static __be32 nhrp_addr(const u8 *p)
{
	__be32 a;

	memcpy(&a, p, sizeof(a));
	return a;
}

/*
 * Protocol addresses of either family travel as cache keys (prefix length
 * 0): the packet's protocol type says which family its addresses are.
 */
static u8 nhrp_pkt_family(const struct nhrp_packet *pkt)
{
	return pkt->pro_type == NHRP_PRO_IPV6 ? AF_INET6 : AF_INET;
}

static u16 nhrp_pro_type(u8 family)
{
	return family == AF_INET6 ? NHRP_PRO_IPV6 : NHRP_PRO_IPV4;
}

static u8 nhrp_alen(u8 family)
{
	return family == AF_INET6 ? sizeof(struct in6_addr) : sizeof(__be32);
}

static const u8 *nhrp_kbytes(const struct nhrp_key *k)
{
	return (const u8 *)&k->addr;
}

static void nhrp_key_from(struct nhrp_key *k, u8 family, const u8 *p)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	memcpy(&k->addr, p, nhrp_alen(family));
}

/* Our IPv6 address on the tunnel: the first usable non-link-local one. */
static bool nhrp_own_addr6(struct net_device *dev, struct in6_addr *addr)
{
	const struct inet6_ifaddr *ifp;
	struct inet6_dev *idev;
	bool found = false;

	/* The list is RCU-safe, as source address selection walks it. */
	rcu_read_lock();
	idev = __in6_dev_get(dev);
	if (idev) {
		list_for_each_entry_rcu(ifp, &idev->addr_list, if_list) {
			if (ifp->scope == IFA_LINK ||
			    (READ_ONCE(ifp->flags) &
			     (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
				continue;
			*addr = ifp->addr;
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Our address of a family, as a key; false if we have none. */
static bool nhrp_own_key(struct net_device *dev, u8 family,
			 struct nhrp_key *k)
{
	struct in6_addr a6;
	__be32 a4;

	if (family == AF_INET6) {
		if (!nhrp_own_addr6(dev, &a6))
			return false;
		nhrp_key_init6(k, &a6);
		return true;
	}
	a4 = nhrp_own_addr(dev);
	nhrp_key_init4(k, a4);
	return a4 != 0;
}

static bool nhrp_is_own_key(struct net_device *dev, const struct nhrp_key *k)
{
	if (k->family == AF_INET6)
		return ipv6_chk_addr(dev_net(dev), &k->addr.v6, dev, 0);
	return nhrp_is_own_addr(dev, k->addr.v4);
}

/*
 * Multicast copies go once to each peer: when the tunnel has IPv4 the
 * IPv4 registrations carry the flag, and the IPv6 ones of the same peers
 * would only double every copy; an IPv6-only tunnel flags IPv6 ones.
 */
static bool nhrp_mcast_family(struct mgre_dev *m, u8 family)
{
	return family == AF_INET || !nhrp_own_addr(m->dev);
}

/* What may be registered or resolved: a unicast address, not link-local. */
static bool nhrp_key_unicast(const struct nhrp_key *k)
{
	int type;

	if (k->family == AF_INET6) {
		type = ipv6_addr_type(&k->addr.v6);
		return type != IPV6_ADDR_ANY &&
		       !(type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL |
				 IPV6_ADDR_LOOPBACK));
	}
	return !ipv4_is_zeronet(k->addr.v4) &&
	       !ipv4_is_multicast(k->addr.v4) &&
	       !ipv4_is_lbcast(k->addr.v4) && !ipv4_is_loopback(k->addr.v4);
}

/* ---- sending ----------------------------------------------------------- */

struct nhrp_tx {
	struct sk_buff *skb;
	struct rtable *rt;
	struct flowi4 fl4;
	struct nhrp_builder b;
};

/*
 * Route first: our source NBMA address, which goes into the packet, is
 * the one the route to the peer picks when the device's local address is
 * "any".
 */
static bool nhrp_tx_begin(struct mgre_dev *m, struct nhrp_tx *tx, __be32 nbma)
{
	tx->rt = mgre_route(m, nbma, 0, 0, &tx->fl4);
	if (IS_ERR(tx->rt))
		return false;
	tx->skb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + 8 +
			    NHRP_BUF_LEN, GFP_ATOMIC);
	if (!tx->skb) {
		ip_rt_put(tx->rt);
		nhrp_drop(m, MGRE_NHRP_DROP_NOMEM);
		return false;
	}
	skb_reserve(tx->skb, LL_MAX_HEADER + sizeof(struct iphdr) + 8);
	nhrp_build_init(&tx->b, tx->skb->data, NHRP_BUF_LEN);
	return true;
}

static void nhrp_tx_end(struct mgre_dev *m, struct nhrp_tx *tx, u8 type,
			u8 ttl)
{
	int len = nhrp_build_finish(&tx->b);

	if (WARN_ON_ONCE(len < 0)) {
		kfree_skb(tx->skb);
		ip_rt_put(tx->rt);
		return;
	}
	skb_put(tx->skb, len);
	skb_reset_network_header(tx->skb);
	tx->skb->protocol = htons(MGRE_ETH_P_NHRP);
	tx->skb->dev = m->dev;
	mgre_tunnel_xmit(m, tx->skb, tx->rt, &tx->fl4, htons(MGRE_ETH_P_NHRP),
			 0, ttl);
	nhrp_count_tx(m, type);
}

static u8 nhrp_ttl(const struct mgre_dev *m)
{
	return READ_ONCE(m->parms.ttl) ?: MGRE_DEFAULT_TTL;
}

static void nhrp_put_auth(struct nhrp_builder *b,
			  const struct mgre_nhrp_cfg *cfg)
{
	if (cfg->auth_len)
		nhrp_build_auth(b, cfg->auth, cfg->auth_len);
}

/* The placeholders FRR and Cisco put in requests, then auth and End. */
static void nhrp_put_request_exts(struct nhrp_builder *b,
				  const struct mgre_nhrp_cfg *cfg)
{
	nhrp_build_ext_begin(b);
	nhrp_build_ext(b, NHRP_EXT_FWD_TRANSIT, true, NULL, 0);
	nhrp_build_ext(b, NHRP_EXT_REV_TRANSIT, true, NULL, 0);
	nhrp_build_ext(b, NHRP_EXT_RESPONDER, true, NULL, 0);
	nhrp_put_auth(b, cfg);
	nhrp_build_end(b);
}

/*
 * The extensions of a reply: Responder filled with us, the transit records
 * and anything non-compulsory echoed, our own authentication, End.
 */
static void nhrp_put_reply_exts(struct mgre_dev *m, struct nhrp_builder *b,
				const struct nhrp_packet *req,
				const struct mgre_nhrp_cfg *cfg, __be32 our_nbma,
				const struct nhrp_key *our_proto,
				__be32 nat_nbma)
{
	u8 alen = nhrp_alen(our_proto->family);
	unsigned int pos = 0, cpos;
	bool responder = false;
	struct nhrp_ext ext;
	struct nhrp_cie cie;
	u16 holdtime = READ_ONCE(m->parms.holdtime);

	nhrp_build_ext_begin(b);
	while (nhrp_ext_next(req, &pos, &ext)) {
		switch (ext.type) {
		case NHRP_EXT_END:
		case NHRP_EXT_AUTH:
			break;
		case NHRP_EXT_RESPONDER:
			nhrp_build_ext_open(b, NHRP_EXT_RESPONDER,
					    ext.compulsory);
			nhrp_build_cie(b, NHRP_CODE_SUCCESS, alen * 8, 0,
				       holdtime, (const u8 *)&our_nbma,
				       nhrp_kbytes(our_proto), alen, 0);
			nhrp_build_ext_close(b);
			responder = true;
			break;
		case NHRP_EXT_NAT:
			/* Echo, and tell a NATed client its public address. */
			nhrp_build_ext_open(b, NHRP_EXT_NAT, ext.compulsory);
			cpos = 0;
			while (nhrp_cie_next(req, &ext, &cpos, &cie))
				nhrp_build_cie(b, cie.code, cie.prefix_len,
					       cie.mtu, cie.holdtime, cie.nbma,
					       cie.proto, cie.proto_len,
					       cie.pref);
			if (nat_nbma)
				nhrp_build_cie(b, NHRP_CODE_SUCCESS, alen * 8,
					       0, 0, (const u8 *)&nat_nbma,
					       req->src_proto,
					       req->src_proto_len, 0);
			nhrp_build_ext_close(b);
			break;
		default:
			nhrp_build_ext(b, ext.type, ext.compulsory, ext.data,
				       ext.len);
			break;
		}
	}
	if (!responder) {
		nhrp_build_ext_open(b, NHRP_EXT_RESPONDER, true);
		nhrp_build_cie(b, NHRP_CODE_SUCCESS, alen * 8, 0, holdtime,
			       (const u8 *)&our_nbma, nhrp_kbytes(our_proto),
			       alen, 0);
		nhrp_build_ext_close(b);
	}
	nhrp_put_auth(b, cfg);
	nhrp_build_end(b);
}

/*
 * Error Indication to whoever sent a bad packet: never about an Error
 * Indication, and rate-limited per device (RFC 2332 5.2.7).
 */
static void nhrp_send_error(struct mgre_dev *m, const u8 *bad,
			    unsigned int len, const struct nhrp_packet *pkt,
			    u16 code, u16 offset, __be32 to)
{
	u8 family = nhrp_pkt_family(pkt);
	struct nhrp_key own;
	bool have_own;
	struct nhrp_tx tx;

	if (pkt->type == NHRP_ERROR_INDICATION || !__ratelimit(&m->rl_error))
		return;
	have_own = nhrp_own_key(m->dev, family, &own);
	if (!nhrp_tx_begin(m, &tx, to))
		return;
	/* In the family of the packet in error, about its source. */
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, nhrp_pro_type(family),
			  NHRP_HOPCNT, NHRP_ERROR_INDICATION);
	nhrp_build_error_mandatory(&tx.b, code, offset,
				   (const u8 *)&tx.fl4.saddr,
				   have_own ? nhrp_kbytes(&own) : NULL,
				   pkt->src_proto, nhrp_alen(family));
	/* No extensions, not even authentication: RFC 2332 5.2.7. */
	nhrp_build_payload(&tx.b, bad, min(len, NHRP_ERR_COPY_MAX));
	nhrp_tx_end(m, &tx, NHRP_ERROR_INDICATION, nhrp_ttl(m));
}

/* A copy of a packet on its way, one hop less, checksum redone. */
static void nhrp_forward(struct mgre_dev *m, const struct nhrp_packet *pkt,
			 __be32 to)
{
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct rtable *rt;
	u8 *p;

	if (pkt->hopcnt <= 1) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ROUTE);
		return;
	}
	rt = mgre_route(m, to, 0, 0, &fl4);
	if (IS_ERR(rt)) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ROUTE);
		return;
	}
	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + 8 + pkt->pktsz,
			GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		nhrp_drop(m, MGRE_NHRP_DROP_NOMEM);
		return;
	}
	skb_reserve(skb, LL_MAX_HEADER + sizeof(struct iphdr) + 8);
	p = skb_put_data(skb, pkt->buf, pkt->pktsz);
	p[9] = pkt->hopcnt - 1;			/* ar$hopcnt */
	p[12] = 0;				/* ar$chksum */
	p[13] = 0;
	put_unaligned_be16(nhrp_checksum(p, pkt->pktsz), p + 12);
	skb_reset_network_header(skb);
	skb->protocol = htons(MGRE_ETH_P_NHRP);
	skb->dev = m->dev;
	mgre_tunnel_xmit(m, skb, rt, &fl4, htons(MGRE_ETH_P_NHRP), 0,
			 nhrp_ttl(m));
	nhrp_count_tx(m, pkt->type);
}

/* ---- NHS: registrations ------------------------------------------------ */

static u8 nhs_register(struct mgre_dev *m, const struct nhrp_key *proto,
		       __be32 nbma, u16 holdtime, bool unique)
{
	struct nhrp_entry_cfg ec = {
		.nbma = nbma,
		.type = MGRE_ENTRY_REGISTERED,
		.flags = MGRE_ENTRY_F_ROUTER | (unique ? MGRE_ENTRY_F_UNIQUE : 0),
		.holdtime = holdtime,
	};

	if (nhrp_mcast_family(m, proto->family) &&
	    READ_ONCE(m->parms.mcast_dynamic))
		ec.flags |= MGRE_ENTRY_F_MULTICAST;

	if (!nhrp_key_unicast(proto) || nhrp_is_own_key(m->dev, proto))
		return NHRP_CODE_ADMIN_PROHIBITED;
	ec.key = *proto;
	switch (nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC)) {
	case 0:
	case -EALREADY:
		return NHRP_CODE_SUCCESS;
	case -EADDRINUSE:
		return NHRP_CODE_ALREADY_REGISTERED;
	case -EPERM:
		return NHRP_CODE_ADMIN_PROHIBITED;
	default:	/* -ENOSPC, -ENOMEM, -ENODEV */
		return NHRP_CODE_INSUFFICIENT_RESOURCES;
	}
}

static void nhs_registration_request(struct mgre_dev *m,
				     const struct mgre_nhrp_cfg *cfg,
				     const struct nhrp_packet *pkt,
				     __be32 saddr, __be32 daddr)
{
	u8 family = nhrp_pkt_family(pkt), alen = nhrp_alen(family);
	struct nhrp_key own, src_proto, proto;
	u8 codes[NHRP_MAX_CIES];
	__be32 src_nbma, nat = 0;
	struct nhrp_tx tx;
	unsigned int i;

	if (!nhrp_own_key(m->dev, family, &own)) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ADDRESS);
		return;
	}
	src_nbma = nhrp_addr(pkt->src_nbma);
	nhrp_key_from(&src_proto, family, pkt->src_proto);
	/* Behind NAT the client cannot know the address we see. */
	if (src_nbma != saddr)
		nat = saddr;

	for (i = 0; i < pkt->ncies; i++) {
		const struct nhrp_cie *cie = &pkt->cies[i];
		u16 holdtime = cie->holdtime ?: READ_ONCE(m->parms.holdtime);

		if (cie->proto_len)
			nhrp_key_from(&proto, family, cie->proto);
		else
			proto = src_proto;
		if (cie->prefix_len != 0xff && cie->prefix_len != 0 &&
		    cie->prefix_len != alen * 8) {
			codes[i] = NHRP_CODE_ADMIN_PROHIBITED;
			continue;
		}
		codes[i] = nhs_register(m, &proto, saddr, holdtime,
					pkt->flags & NHRP_FLAG_REG_U);
	}

	if (!nhrp_tx_begin(m, &tx, saddr))
		return;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, pkt->pro_type, NHRP_HOPCNT,
			  NHRP_REGISTRATION_REPLY);
	nhrp_build_mandatory(&tx.b, pkt->flags &
			     (NHRP_FLAG_REG_U | NHRP_FLAG_NAT), pkt->reqid,
			     pkt->src_nbma, pkt->src_proto, nhrp_kbytes(&own),
			     alen);
	for (i = 0; i < pkt->ncies; i++) {
		const struct nhrp_cie *cie = &pkt->cies[i];

		nhrp_build_cie(&tx.b, codes[i], cie->prefix_len, cie->mtu,
			       cie->holdtime, cie->nbma, cie->proto,
			       cie->proto_len, cie->pref);
	}
	nhrp_put_reply_exts(m, &tx.b, pkt, cfg, daddr, &own, nat);
	nhrp_tx_end(m, &tx, NHRP_REGISTRATION_REPLY, nhrp_ttl(m));
}

/* ---- routes ------------------------------------------------------------ */

/*
 * The NBMA address of the tunnel peer our route to addr goes through, or 0
 * when the route leaves by another device or the peer is not known.
 */
static __be32 nhrp_route_peer(struct mgre_dev *m, __be32 addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct nhrp_entry *e;
	struct nhrp_key key;
	struct rtable *rt;
	__be32 nbma = 0;

	rt = ip_route_output_key(dev_net(m->dev), &fl4);
	if (IS_ERR(rt))
		return 0;
	if (rt->dst.dev == m->dev) {
		nhrp_key_init4(&key, rt_nexthop(rt, addr));
		rcu_read_lock();
		e = nhrp_cache_lookup(&m->cache, &key);
		if (e && nhrp_entry_usable(e))
			nbma = READ_ONCE(e->nbma);
		rcu_read_unlock();
	}
	ip_rt_put(rt);
	return nbma;
}

/* The prefix length of the subnet dev has addr in, or 0. */
static unsigned int nhrp_ifa_plen(struct net_device *dev, __be32 addr)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;

	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_local == addr)
			return ifa->ifa_prefixlen;
	return 0;
}

/*
 * Whether we are the way out of the tunnel to addr, and for what prefix:
 * the length of our route to it when that route leaves by another device,
 * or for an address of ours on another device, the subnet it is on; else
 * 0.  Prefixes wider than NHRP_MIN_SHORTCUT_PLEN, a default route above
 * all, are not offered (an address of ours is then offered alone).
 */
static unsigned int nhrp_egress_plen(struct mgre_dev *m, __be32 addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct net_device *dev;
	struct fib_result res;
	unsigned int plen = 0;

	rcu_read_lock();
	if (fib_lookup(dev_net(m->dev), &fl4, &res, 0))
		goto out;
	dev = FIB_RES_DEV(res);
	if (!dev || dev == m->dev)
		goto out;
	if (res.type == RTN_LOCAL) {
		plen = nhrp_ifa_plen(dev, addr);
		if (plen < NHRP_MIN_SHORTCUT_PLEN)
			plen = 32;
	} else if (res.type == RTN_UNICAST &&
		   res.prefixlen >= NHRP_MIN_SHORTCUT_PLEN) {
		plen = res.prefixlen;
	}
out:
	rcu_read_unlock();
	return plen;
}

/* ---- resolution -------------------------------------------------------- */

static void nhrp_resolution_request(struct mgre_dev *m,
				    const struct mgre_nhrp_cfg *cfg,
				    const struct nhrp_packet *pkt,
				    __be32 saddr, __be32 daddr)
{
	u8 family = nhrp_pkt_family(pkt), alen = nhrp_alen(family);
	u16 flags = pkt->flags & (NHRP_FLAG_RES_Q | NHRP_FLAG_RES_S);
	u16 holdtime = READ_ONCE(m->parms.holdtime);
	const u8 *cie_proto = pkt->dst_proto;
	u8 code = NHRP_CODE_SUCCESS, plen = alen * 8;
	__be32 nbma = 0, peer;
	struct nhrp_key key, own;
	struct nhrp_entry *e;
	struct nhrp_tx tx;

	if (!nhrp_own_key(m->dev, family, &own)) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ADDRESS);
		return;
	}

	nhrp_key_from(&key, family, pkt->dst_proto);
	if (nhrp_is_own_key(m->dev, &key)) {
		/* Asked about ourselves: the address the request came to. */
		nbma = daddr;
	} else {
		/* Authoritative for our registered clients and static maps. */
		e = nhrp_cache_lookup(&m->cache, &key);
		if (e && (READ_ONCE(e->type) == MGRE_ENTRY_REGISTERED ||
			  READ_ONCE(e->type) == MGRE_ENTRY_STATIC)) {
			nbma = READ_ONCE(e->nbma);
			if (e->holdtime)
				holdtime = e->holdtime;
		}
	}
	/* Phase 3 follows IPv4 routes only. */
	if (!nbma && !cfg->n_nhs && family == AF_INET) {
		/*
		 * An NHS passes the request on along its route to the
		 * destination (phase 3): the spoke behind it answers.  Never
		 * back to where it came from; spokes do not forward at all,
		 * so a request cannot loop between them.
		 */
		peer = nhrp_route_peer(m, key.addr.v4);
		if (peer && peer != saddr) {
			nhrp_forward(m, pkt, peer);
			return;
		}
	}
	if (!nbma && family == AF_INET) {
		/* Behind us: we answer for the prefix, as its way in. */
		plen = nhrp_egress_plen(m, key.addr.v4);
		if (plen) {
			nbma = daddr;
			cie_proto = nhrp_kbytes(&own);
		}
	}
	if (nbma) {
		flags |= NHRP_FLAG_RES_D | NHRP_FLAG_RES_A;
	} else {
		code = NHRP_CODE_NO_BINDING;
		holdtime = NHRP_NEGATIVE_SECS;
		plen = alen * 8;
	}

	/* The reply goes back the way the request came. */
	if (!nhrp_tx_begin(m, &tx, saddr))
		return;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, pkt->pro_type, NHRP_HOPCNT,
			  NHRP_RESOLUTION_REPLY);
	nhrp_build_mandatory(&tx.b, flags, pkt->reqid, pkt->src_nbma,
			     pkt->src_proto, pkt->dst_proto, alen);
	nhrp_build_cie(&tx.b, code, plen, 0, holdtime,
		       nbma ? (const u8 *)&nbma : NULL, cie_proto, alen, 0);
	nhrp_put_reply_exts(m, &tx.b, pkt, cfg, daddr, &own, 0);
	nhrp_tx_end(m, &tx, NHRP_RESOLUTION_REPLY, nhrp_ttl(m));
}

/* Answers to our resolutions come back through one of our NHSs. */
static bool nhrp_from_nhs(struct mgre_dev *m, __be32 saddr)
{
	unsigned int i;

	for (i = 0; i < MGRE_MAX_NHS; i++)
		if (READ_ONCE(m->nhs[i].active) &&
		    READ_ONCE(m->nhs[i].nbma) == saddr)
			return true;
	return false;
}

static bool nhrp_valid_unicast(__be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_multicast(addr) &&
	       !ipv4_is_lbcast(addr) && !ipv4_is_loopback(addr);
}

/*
 * A router in front of dst answered (phase 3): the CIE names the router's
 * own protocol address and the prefix it routes dst by.  Install the
 * router's mapping and a shortcut for the prefix, which transmit prefers
 * to the route's next hop; the host entry that waited for the answer goes.
 */
static void nhrp_shortcut_reply(struct mgre_dev *m,
				const struct nhrp_packet *pkt,
				const struct nhrp_cie *cie, __be32 dst)
{
	unsigned int plen = cie->prefix_len;
	struct nhrp_entry_cfg ec = {
		.type = MGRE_ENTRY_RESOLVED,
		.nbma = nhrp_addr(cie->nbma),
		.holdtime = cie->holdtime ?: READ_ONCE(m->parms.holdtime),
	};
	__be32 router = nhrp_addr(cie->proto);
	struct nhrp_entry *e;
	struct nhrp_key host;
	bool waiting;

	if (plen == 0 || plen > 32)
		plen = 32;
	nhrp_key_init4(&host, dst);
	rcu_read_lock();
	e = nhrp_cache_lookup(&m->cache, &host);
	waiting = e && READ_ONCE(e->type) == MGRE_ENTRY_INCOMPLETE;
	/* Or a refresh: the request was for a shortcut's own prefix. */
	if (!waiting && !nhrp_cache_lookup_prefix(&m->cache, &host)) {
		rcu_read_unlock();
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}
	rcu_read_unlock();
	if (plen < NHRP_MIN_SHORTCUT_PLEN || !nhrp_valid_unicast(router) ||
	    !nhrp_valid_unicast(ec.nbma) || nhrp_is_own_addr(m->dev, router)) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNSUPPORTED);
		return;
	}

	nhrp_key_init4(&ec.key, router);
	nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
	nhrp_key_prefix(&ec.key, &host, plen);
	nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
	if (waiting)
		nhrp_cache_del(&m->cache, &host);
}

static void nhrp_resolution_reply(struct mgre_dev *m,
				  const struct nhrp_packet *pkt, __be32 saddr)
{
	u8 family = nhrp_pkt_family(pkt), type;
	struct nhrp_entry_cfg ec = {};
	const struct nhrp_cie *cie;
	struct nhrp_entry *e;
	__be32 dst;

	nhrp_key_from(&ec.key, family, pkt->src_proto);
	if (!nhrp_is_own_key(m->dev, &ec.key)) {
		/* A hub passing an answer on to the spoke that asked. */
		e = nhrp_cache_lookup(&m->cache, &ec.key);
		if (!e || !READ_ONCE(e->nbma)) {
			nhrp_drop(m, MGRE_NHRP_DROP_NO_ROUTE);
			return;
		}
		nhrp_forward(m, pkt, READ_ONCE(e->nbma));
		return;
	}

	if (!nhrp_from_nhs(m, saddr) || !pkt->ncies) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}
	cie = &pkt->cies[0];
	if (family == AF_INET) {
		dst = nhrp_addr(pkt->dst_proto);
		if (cie->code == NHRP_CODE_SUCCESS &&
		    cie->nbma_len == NHRP_NBMA_LEN && cie->proto_len == 4 &&
		    nhrp_addr(cie->proto) != dst) {
			nhrp_shortcut_reply(m, pkt, cie, dst);
			return;
		}
	}

	nhrp_key_from(&ec.key, family, pkt->dst_proto);
	e = nhrp_cache_lookup(&m->cache, &ec.key);
	type = e ? READ_ONCE(e->type) : MGRE_ENTRY_STATIC;
	if (!e || (type != MGRE_ENTRY_INCOMPLETE &&
		   type != MGRE_ENTRY_RESOLVED &&
		   type != MGRE_ENTRY_NEGATIVE)) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}

	if (cie->code == NHRP_CODE_SUCCESS && cie->nbma_len == NHRP_NBMA_LEN) {
		ec.nbma = nhrp_addr(cie->nbma);
		ec.type = MGRE_ENTRY_RESOLVED;
		ec.holdtime = cie->holdtime ?: READ_ONCE(m->parms.holdtime);
	} else {
		/* Traffic keeps going through the hub meanwhile. */
		ec.type = MGRE_ENTRY_NEGATIVE;
		ec.holdtime = clamp_t(u16, cie->holdtime, 1, NHRP_NEGATIVE_SECS);
	}
	nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
}

/* The first registered NHS, else the first configured one, or 0. */
static __be32 nhrp_pick_nhs(struct mgre_dev *m,
			    const struct mgre_nhrp_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_nhs; i++)
		if (READ_ONCE(m->nhs[i].state) == MGRE_NHS_UP)
			return READ_ONCE(m->nhs[i].nbma);
	return cfg->n_nhs ? cfg->nhs[0].nbma : 0;
}

static void nhrp_send_resolution(struct mgre_dev *m,
				 const struct mgre_nhrp_cfg *cfg, __be32 nhs,
				 const struct nhrp_key *dst)
{
	u8 alen = nhrp_alen(dst->family);
	struct nhrp_key own;
	struct nhrp_tx tx;

	if (!nhrp_own_key(m->dev, dst->family, &own) ||
	    !nhrp_tx_begin(m, &tx, nhs))
		return;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, nhrp_pro_type(dst->family),
			  NHRP_HOPCNT, NHRP_RESOLUTION_REQUEST);
	nhrp_build_mandatory(&tx.b, NHRP_FLAG_RES_Q | NHRP_FLAG_RES_A |
			     NHRP_FLAG_RES_S, atomic_inc_return(&m->reqid),
			     (const u8 *)&tx.fl4.saddr, nhrp_kbytes(&own),
			     nhrp_kbytes(dst), alen);
	nhrp_build_cie(&tx.b, NHRP_CODE_SUCCESS, 0xff, 0,
		       READ_ONCE(m->parms.holdtime), NULL, NULL, 0, 0);
	nhrp_put_request_exts(&tx.b, cfg);
	nhrp_tx_end(m, &tx, NHRP_RESOLUTION_REQUEST, nhrp_ttl(m));
}

/* Start resolving dst: an incomplete entry stops repeats until it expires. */
static int nhrp_start_resolution(struct mgre_dev *m,
				 const struct mgre_nhrp_cfg *cfg, __be32 nhs,
				 const struct nhrp_key *dst, bool have_entry)
{
	struct nhrp_entry_cfg ec = {
		.key = *dst,
		.type = MGRE_ENTRY_INCOMPLETE,
		.holdtime = NHRP_INCOMPLETE_SECS,
	};
	int err;

	if (!__ratelimit(&m->rl_resolve))
		return -EBUSY;
	if (!have_entry) {
		err = nhrp_cache_add(&m->cache, &ec, NHRP_ADD_EXCL, GFP_ATOMIC);
		if (err)
			return err;
	}
	nhrp_send_resolution(m, cfg, nhs, dst);
	return 0;
}

__be32 mgre_nhrp_tx_miss(struct mgre_dev *m, const struct nhrp_key *key,
			 struct nhrp_entry *e)
{
	const struct mgre_nhrp_cfg *cfg = rcu_dereference_bh(m->nhrp_cfg);
	__be32 nhs;

	if (!cfg || !cfg->network_id)
		return 0;
	nhs = nhrp_pick_nhs(m, cfg);
	if (!nhs)
		return 0;
	/* Unicast next hops are resolved; the rest rides the hub. */
	if (!e && nhrp_key_unicast(key))
		nhrp_start_resolution(m, cfg, nhs, key, false);
	return nhs;
}

void mgre_nhrp_tx_refresh(struct mgre_dev *m, struct nhrp_entry *e)
{
	const struct mgre_nhrp_cfg *cfg = rcu_dereference_bh(m->nhrp_cfg);
	u8 flags = READ_ONCE(e->flags);
	struct nhrp_key addr;
	__be32 nhs;

	if (!cfg || !cfg->network_id || (flags & NHRP_EF_REFRESHING))
		return;
	addr = e->key;
	addr.plen = 0;
	/*
	 * A shortcut is refreshed by asking again for a host in its prefix:
	 * the first one, not the network address, which the router in
	 * front of it may hold as a broadcast route.
	 */
	if (addr.family == AF_INET && e->key.plen && e->key.plen < 31)
		addr.addr.v4 = htonl(ntohl(addr.addr.v4) | 1);
	nhs = nhrp_pick_nhs(m, cfg);
	if (!nhs)
		return;
	/* The flag is advisory: losing it to a racing update only costs
	 * one more request.
	 */
	WRITE_ONCE(e->flags, flags | NHRP_EF_REFRESHING);
	if (__ratelimit(&m->rl_resolve))
		nhrp_send_resolution(m, cfg, nhs, &addr);
}

int mgre_nhrp_resolve(struct mgre_dev *m, const struct nhrp_key *key)
{
	const struct mgre_nhrp_cfg *cfg;
	struct nhrp_entry *e;
	int err = -ENOTCONN;
	__be32 nhs;

	rcu_read_lock_bh();
	cfg = rcu_dereference_bh(m->nhrp_cfg);
	if (!cfg || !cfg->network_id) {
		err = -EOPNOTSUPP;
		goto out;
	}
	nhs = nhrp_pick_nhs(m, cfg);
	if (!nhs)
		goto out;
	rcu_read_lock();
	e = nhrp_cache_lookup(&m->cache, key);
	if (e && READ_ONCE(e->type) != MGRE_ENTRY_RESOLVED &&
	    READ_ONCE(e->type) != MGRE_ENTRY_NEGATIVE &&
	    READ_ONCE(e->type) != MGRE_ENTRY_INCOMPLETE)
		err = -EEXIST;
	else
		err = nhrp_start_resolution(m, cfg, nhs, key, e);
	rcu_read_unlock();
out:
	rcu_read_unlock_bh();
	return err;
}

/* ---- purge ------------------------------------------------------------- */

static void nhrp_purge_request(struct mgre_dev *m,
			       const struct mgre_nhrp_cfg *cfg,
			       const struct nhrp_packet *pkt, __be32 saddr)
{
	u8 family = nhrp_pkt_family(pkt);
	struct nhrp_entry *e;
	struct nhrp_key key;
	struct nhrp_tx tx;
	unsigned int i;

	for (i = 0; i < pkt->ncies; i++) {
		const struct nhrp_cie *cie = &pkt->cies[i];
		u8 type;

		nhrp_key_from(&key, family, cie->proto_len ? cie->proto :
					    pkt->src_proto);
		e = nhrp_cache_lookup(&m->cache, &key);
		if (!e)
			continue;
		type = READ_ONCE(e->type);
		/* A client withdrawing its own registration, or an NHS
		 * withdrawing what it told us: nobody else may purge.
		 */
		if ((type == MGRE_ENTRY_REGISTERED &&
		     READ_ONCE(e->nbma) == saddr) ||
		    ((type == MGRE_ENTRY_RESOLVED ||
		      type == MGRE_ENTRY_NEGATIVE) && nhrp_from_nhs(m, saddr)))
			nhrp_cache_del(&m->cache, &key);
	}

	if (pkt->flags & NHRP_FLAG_PURGE_N)
		return;
	if (!nhrp_tx_begin(m, &tx, saddr))
		return;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, pkt->pro_type, NHRP_HOPCNT,
			  NHRP_PURGE_REPLY);
	nhrp_build_mandatory(&tx.b, pkt->flags, pkt->reqid, pkt->src_nbma,
			     pkt->src_proto, pkt->dst_proto, nhrp_alen(family));
	for (i = 0; i < pkt->ncies; i++) {
		const struct nhrp_cie *cie = &pkt->cies[i];

		nhrp_build_cie(&tx.b, NHRP_CODE_SUCCESS, cie->prefix_len,
			       cie->mtu, cie->holdtime, cie->nbma, cie->proto,
			       cie->proto_len, cie->pref);
	}
	nhrp_build_ext_begin(&tx.b);
	nhrp_put_auth(&tx.b, cfg);
	nhrp_build_end(&tx.b);
	nhrp_tx_end(m, &tx, NHRP_PURGE_REPLY, nhrp_ttl(m));
}

/* ---- NHC: registration with each NHS ----------------------------------- */

static u32 nhc_renew_secs(const struct mgre_dev *m)
{
	return max_t(u32, READ_ONCE(m->parms.holdtime) / 3, 1);
}

static void nhc_send_registration(struct mgre_dev *m,
				  const struct mgre_nhrp_cfg *cfg,
				  struct mgre_nhs *nhs,
				  const struct nhrp_key *own, u32 reqid)
{
	unsigned int mtu = READ_ONCE(m->dev->mtu);
	struct nhrp_key dst = *own;
	struct nhrp_tx tx;

	/*
	 * To the NHS's address when we know it; our own otherwise, as FRR
	 * does for a dynamic NHS (the NHS's IPv6 address is never
	 * configured: its reply tells us).
	 */
	if (own->family == AF_INET && nhs->proto)
		dst.addr.v4 = nhs->proto;
	if (!nhrp_tx_begin(m, &tx, nhs->nbma))
		return;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, nhrp_pro_type(own->family),
			  NHRP_REG_HOPCNT, NHRP_REGISTRATION_REQUEST);
	nhrp_build_mandatory(&tx.b, NHRP_FLAG_REG_U, reqid,
			     (const u8 *)&tx.fl4.saddr, nhrp_kbytes(own),
			     nhrp_kbytes(&dst), nhrp_alen(own->family));
	/* As FRR: MTU 0 means "the usual" (1500 or more). */
	nhrp_build_cie(&tx.b, NHRP_CODE_SUCCESS, 0xff, mtu >= 1500 ? 0 : mtu,
		       READ_ONCE(m->parms.holdtime), NULL, NULL, 0, 0);
	nhrp_put_request_exts(&tx.b, cfg);
	nhrp_tx_end(m, &tx, NHRP_REGISTRATION_REQUEST, nhrp_ttl(m));
}

/* An NHS state change, raised once nhs_lock is dropped. */
struct nhs_event {
	u8 cmd;				/* 0: none */
	struct nhrp_nhs_info info;
};

/* Under nhs_lock. */
static void nhs_snapshot(const struct mgre_nhs *nhs,
			 struct nhrp_nhs_info *info)
{
	info->proto = nhs->proto;
	info->nbma = nhs->nbma;
	info->learnt = nhs->learnt;
	info->state = nhs->state;
	info->last_code = nhs->last_code;
	info->rtt_ms = nhs->rtt_ms;
	info->registrations = nhs->registrations;
	info->failures = nhs->failures;
	info->last_reply = nhs->last_reply;
	info->next = nhs->next;
}

/* Under nhs_lock: the state after this change goes with the event. */
static void nhs_event_set(struct nhs_event *ev, const struct mgre_nhs *nhs,
			  u8 cmd)
{
	ev->cmd = cmd;
	nhs_snapshot(nhs, &ev->info);
}

/* Without nhs_lock: the listeners may allocate and send. */
static void nhs_event_raise(struct mgre_dev *m, const struct nhs_event *ev)
{
	const struct mgre_event_ops *ops = m->events;

	if (ev->cmd && ops && ops->nhs)
		ops->nhs(m, &ev->info, ev->cmd);
}

/* Under nhs_lock: the NHS did not answer, or refused us. */
static void nhs_failed(struct mgre_nhs *nhs, struct nhs_event *ev)
{
	u8 old = nhs->state;

	nhs->failures++;
	nhs->waiting = false;
	nhs->backoff = nhs->backoff ?
		min_t(u32, nhs->backoff * 2, NHRP_BACKOFF_MAX) : 1;
	nhs->state = MGRE_NHS_DOWN;
	if (old == MGRE_NHS_UP)
		nhs_event_set(ev, nhs, MGRE_CMD_EVT_NHS_DOWN);
}

static void nhs_work(struct work_struct *work)
{
	struct mgre_nhs *nhs = container_of(to_delayed_work(work),
					    struct mgre_nhs, work);
	struct mgre_dev *m = nhs->m;
	const struct mgre_nhrp_cfg *cfg;
	struct nhs_event ev = { };
	struct nhrp_key own, own2;
	bool have, have2;
	unsigned long delay;
	u32 reqid, reqid2 = 0;

	rcu_read_lock_bh();
	cfg = rcu_dereference_bh(m->nhrp_cfg);
	if (!cfg || !cfg->network_id || !netif_running(m->dev))
		goto out;

	/*
	 * We register each of our families.  The first (IPv4 if we have
	 * it) carries the NHS's state; the answer to the other only adds
	 * the NHS's mapping of that family.
	 */
	have = nhrp_own_key(m->dev, AF_INET, &own);
	have2 = nhrp_own_key(m->dev, AF_INET6, &own2);
	if (!have && have2) {
		own = own2;
		have = true;
		have2 = false;
	}
	spin_lock(&m->nhs_lock);
	if (!nhs->active) {
		spin_unlock(&m->nhs_lock);
		goto out;
	}
	if (nhs->waiting)
		nhs_failed(nhs, &ev);
	if (!have) {
		/* No tunnel address yet: look again shortly. */
		delay = HZ;
		nhs->next = jiffies + delay;
		spin_unlock(&m->nhs_lock);
		nhs_event_raise(m, &ev);
		mod_delayed_work(system_wq, &nhs->work, delay);
		goto out;
	}
	if (nhs->state != MGRE_NHS_UP) {
		if (nhs->state == MGRE_NHS_DOWN && !nhs->failures)
			nhs->state = MGRE_NHS_REGISTERING;
		/* Wait this long for an answer before trying again. */
		delay = (nhs->backoff ?: 1) * HZ;
	} else {
		/* Renewing: the answer must come before the next renewal. */
		delay = nhc_renew_secs(m) * HZ;
	}
	reqid = atomic_inc_return(&m->reqid);
	nhs->reqid = reqid;
	nhs->waiting = true;
	if (have2)
		reqid2 = atomic_inc_return(&m->reqid);
	nhs->reqid2 = reqid2;
	nhs->sent = jiffies;
	nhs->next = jiffies + delay;
	spin_unlock(&m->nhs_lock);
	nhs_event_raise(m, &ev);

	nhc_send_registration(m, cfg, nhs, &own, reqid);
	if (have2)
		nhc_send_registration(m, cfg, nhs, &own2, reqid2);
	mod_delayed_work(system_wq, &nhs->work, delay);
out:
	rcu_read_unlock_bh();
}

static void nhc_registration_reply(struct mgre_dev *m,
				   const struct nhrp_packet *pkt, __be32 saddr)
{
	struct nhrp_entry_cfg ec = {
		.type = MGRE_ENTRY_RESOLVED,
		.flags = MGRE_ENTRY_F_ROUTER,
	};
	u8 family = nhrp_pkt_family(pkt);
	struct mgre_nhs *nhs = NULL, *n;
	struct nhs_event ev = { };
	struct nhrp_key learnt = { };
	bool second = false, up;
	unsigned int i;

	spin_lock(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		n = &m->nhs[i];
		if (!n->active || n->nbma != saddr)
			continue;
		if (n->waiting && n->reqid == pkt->reqid) {
			nhs = n;
			break;
		}
		if (n->reqid2 && n->reqid2 == pkt->reqid) {
			nhs = n;
			second = true;
			break;
		}
	}
	if (!nhs) {
		spin_unlock(&m->nhs_lock);
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}
	if (second) {
		/* Our other family: only the NHS's mapping of it. */
		nhs->reqid2 = 0;
		if (pkt->ncies && pkt->cies[0].code == NHRP_CODE_SUCCESS)
			nhrp_key_from(&learnt, family, pkt->dst_proto);
		spin_unlock(&m->nhs_lock);
		goto map;
	}
	nhs->waiting = false;
	nhs->last_code = pkt->ncies ? pkt->cies[0].code : 0xff;
	if (nhs->last_code == NHRP_CODE_SUCCESS) {
		up = nhs->state != MGRE_NHS_UP;
		nhs->state = MGRE_NHS_UP;
		nhs->backoff = 0;
		nhs->registrations++;
		nhs->last_reply = jiffies;
		nhs->rtt_ms = jiffies_to_msecs(jiffies - nhs->sent);
		/* A dynamic NHS tells us who it is (FRR does the same). */
		nhrp_key_from(&learnt, family, pkt->dst_proto);
		if (family == AF_INET) {
			nhs->learnt = learnt.addr.v4;
			if (nhs->proto)
				learnt.addr.v4 = nhs->proto;
		}
		nhs->next = jiffies + nhc_renew_secs(m) * HZ;
		mod_delayed_work(system_wq, &nhs->work,
				 nhc_renew_secs(m) * HZ);
		if (up)
			nhs_event_set(&ev, nhs, MGRE_CMD_EVT_NHS_UP);
	} else {
		/* Refused (e.g. 14: someone else holds our address). */
		nhs_failed(nhs, &ev);
		nhs->next = jiffies + nhs->backoff * HZ;
		mod_delayed_work(system_wq, &nhs->work, nhs->backoff * HZ);
	}
	spin_unlock(&m->nhs_lock);
	nhs_event_raise(m, &ev);

map:
	/* The hub's own tunnel address is reachable directly. */
	if (learnt.family && nhrp_key_unicast(&learnt)) {
		if (READ_ONCE(m->parms.mcast_nhs) &&
		    nhrp_mcast_family(m, family))
			ec.flags |= MGRE_ENTRY_F_MULTICAST;
		ec.key = learnt;
		ec.nbma = saddr;
		ec.holdtime = READ_ONCE(m->parms.holdtime);
		nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
	}
}

/* An Error Indication about one of our registrations counts as a refusal. */
static void nhc_error_indication(struct mgre_dev *m,
				 const struct nhrp_packet *pkt, __be32 saddr)
{
	struct nhs_event ev[MGRE_MAX_NHS] = { };
	unsigned int i;
	u32 reqid;

	/* The packet in error: fixed header, then flags and request ID. */
	if (pkt->payload_len < NHRP_HDR_LEN + NHRP_MAND_LEN ||
	    pkt->payload[17] != NHRP_REGISTRATION_REQUEST)
		return;
	reqid = get_unaligned_be32(pkt->payload + NHRP_HDR_LEN + 4);

	spin_lock(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		struct mgre_nhs *nhs = &m->nhs[i];

		if (nhs->active && nhs->waiting && nhs->reqid == reqid &&
		    nhs->nbma == saddr) {
			nhs->last_code = 0xff;
			nhs_failed(nhs, &ev[i]);
			nhs->next = jiffies + nhs->backoff * HZ;
			mod_delayed_work(system_wq, &nhs->work,
					 nhs->backoff * HZ);
		}
	}
	spin_unlock(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++)
		nhs_event_raise(m, &ev[i]);
}

/* ---- receive ----------------------------------------------------------- */

/*
 * Phase 3: an NHS forwarded a packet of ours back into the tunnel and
 * says so.  With "shortcut on", resolve the packet's destination through
 * that NHS: the router in front of the destination answers, and the
 * answer becomes a shortcut.
 * Whatever we already know or are asking about is left alone, so the
 * indications that follow ours while the answer travels cost nothing.
 */
static void nhc_traffic_indication(struct mgre_dev *m,
				   const struct mgre_nhrp_cfg *cfg,
				   const struct nhrp_packet *pkt, __be32 saddr)
{
	struct nhrp_key key;
	bool known;
	__be32 dst;

	if (!cfg->n_nhs || !nhrp_from_nhs(m, saddr) ||
	    pkt->traffic_code != NHRP_TRAFFIC_REDIRECT) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}
	if (!READ_ONCE(m->parms.shortcut))	/* counted, not acted on */
		return;
	/* The payload begins with the IPv4 header of our packet. */
	if (pkt->payload_len < sizeof(struct iphdr) ||
	    pkt->payload[0] >> 4 != 4) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNSUPPORTED);
		return;
	}
	dst = nhrp_addr(pkt->payload + offsetof(struct iphdr, daddr));
	if (!nhrp_valid_unicast(dst) || nhrp_is_own_addr(m->dev, dst)) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNSUPPORTED);
		return;
	}
	nhrp_key_init4(&key, dst);
	rcu_read_lock();
	known = nhrp_cache_lookup(&m->cache, &key) ||
		nhrp_cache_lookup_prefix(&m->cache, &key);
	rcu_read_unlock();
	if (!known)
		nhrp_start_resolution(m, cfg, saddr, &key, false);
}

static bool nhrp_auth_ok(const struct mgre_nhrp_cfg *cfg,
			 const struct nhrp_packet *pkt)
{
	const u8 *secret;
	int len;

	if (!cfg->auth_len)
		return true;
	len = nhrp_auth_cisco_secret(pkt, &secret);
	return len == cfg->auth_len && !memcmp(secret, cfg->auth, len);
}

void mgre_nhrp_rcv(struct mgre_dev *m, struct sk_buff *skb, __be32 saddr,
		   __be32 daddr)
{
	const struct mgre_nhrp_cfg *cfg = rcu_dereference(m->nhrp_cfg);
	struct nhrp_packet pkt;
	int err;

	if (!cfg || !cfg->network_id) {
		nhrp_drop(m, MGRE_NHRP_DROP_DISABLED);
		goto out;
	}
	if (skb_linearize(skb)) {
		nhrp_drop(m, MGRE_NHRP_DROP_NOMEM);
		goto out;
	}

	err = -nhrp_parse(skb->data, skb->len, &pkt);
	/* FRR sends Error Indications with hop count 0: take those. */
	if (err == NHRP_PARSE_HOPCNT_ZERO && pkt.type == NHRP_ERROR_INDICATION)
		err = 0;
	if (err) {
		nhrp_drop(m, err < __NHRP_PARSE_MAX ? err :
			  MGRE_NHRP_DROP_UNSPEC);
		if (err == NHRP_PARSE_UNKNOWN_COMPULSORY)
			nhrp_send_error(m, skb->data, skb->len, &pkt,
					NHRP_ERR_UNRECOGNIZED_EXT,
					pkt.err_off, saddr);
		goto out;
	}
	if (pkt.type <= MGRE_NHRP_TYPE_MAX)
		this_cpu_inc(m->nhrp_stats->rx[pkt.type]);

	if ((pkt.pro_type != NHRP_PRO_IPV4 && pkt.pro_type != NHRP_PRO_IPV6) ||
	    (pkt.type != NHRP_ERROR_INDICATION &&
	     (pkt.src_proto_len != nhrp_alen(nhrp_pkt_family(&pkt)) ||
	      pkt.dst_proto_len != pkt.src_proto_len))) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNSUPPORTED);
		goto out;
	}
	/* Error Indications carry no extensions, so no authentication. */
	if (pkt.type != NHRP_ERROR_INDICATION && !nhrp_auth_ok(cfg, &pkt)) {
		nhrp_drop(m, MGRE_NHRP_DROP_AUTH);
		nhrp_send_error(m, skb->data, skb->len, &pkt,
				NHRP_ERR_AUTH_FAILURE,
				pkt.auth.off, saddr);
		goto out;
	}

	switch (pkt.type) {
	case NHRP_REGISTRATION_REQUEST:
		/* A spoke is nobody's NHS: taking registrations would let
		 * anyone who reaches it redirect its traffic.
		 */
		if (cfg->n_nhs) {
			nhrp_drop(m, MGRE_NHRP_DROP_NOT_NHS);
			break;
		}
		nhs_registration_request(m, cfg, &pkt, saddr, daddr);
		break;
	case NHRP_REGISTRATION_REPLY:
		nhc_registration_reply(m, &pkt, saddr);
		break;
	case NHRP_RESOLUTION_REQUEST:
		nhrp_resolution_request(m, cfg, &pkt, saddr, daddr);
		break;
	case NHRP_RESOLUTION_REPLY:
		nhrp_resolution_reply(m, &pkt, saddr);
		break;
	case NHRP_PURGE_REQUEST:
		nhrp_purge_request(m, cfg, &pkt, saddr);
		break;
	case NHRP_ERROR_INDICATION:
		nhc_error_indication(m, &pkt, saddr);
		break;
	case NHRP_TRAFFIC_INDICATION:
		nhc_traffic_indication(m, cfg, &pkt, saddr);
		break;
	case NHRP_PURGE_REPLY:
		/* Counted; nothing waits for them. */
		break;
	}
out:
	kfree_skb(skb);
}

/* ---- NHS: Traffic Indications (phase 3 redirects) ---------------------- */

/*
 * At most one Traffic Indication a second per (source, destination), and
 * MGRE_REDIRECT_RATE a second in all: a flood through the hub, to one
 * destination or to many, costs the hub a bounded number of them.  The
 * slots are written without a lock; a race costs one extra indication.
 */
static bool redirect_allowed(struct mgre_dev *m, __be32 src, __be32 dst)
{
	struct mgre_redirect_slot *s;
	unsigned long now = jiffies;

	s = &m->redirect_slots[jhash_2words((__force u32)src, (__force u32)dst,
					    0) % MGRE_REDIRECT_SLOTS];
	if (READ_ONCE(s->src) == src && READ_ONCE(s->dst) == dst &&
	    time_before(now, READ_ONCE(s->sent) + HZ))
		return false;
	if (!__ratelimit(&m->rl_redirect))
		return false;
	WRITE_ONCE(s->src, src);
	WRITE_ONCE(s->dst, dst);
	WRITE_ONCE(s->sent, now);
	return true;
}

void mgre_nhrp_tx_redirect(struct mgre_dev *m, const struct sk_buff *skb)
{
	const struct mgre_nhrp_cfg *cfg;
	const struct iphdr *iph = ip_hdr(skb);
	u8 data[NHRP_TI_COPY];
	__be32 own, peer;
	struct nhrp_tx tx;
	unsigned int len;

	rcu_read_lock();
	cfg = rcu_dereference(m->nhrp_cfg);
	if (!cfg || !cfg->network_id)
		goto out;
	if (!redirect_allowed(m, iph->saddr, iph->daddr)) {
		mgre_count(m, MGRE_STATS_A_TX_REDIRECT_LIMITED);
		goto out;
	}
	own = nhrp_own_addr(m->dev);
	peer = nhrp_route_peer(m, iph->saddr);
	len = min_t(unsigned int, skb->len - skb_network_offset(skb),
		    sizeof(data));
	if (!own || !peer ||
	    skb_copy_bits(skb, skb_network_offset(skb), data, len) ||
	    !nhrp_tx_begin(m, &tx, peer))
		goto out;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, NHRP_HOPCNT,
			  NHRP_TRAFFIC_INDICATION);
	/* To the data packet's source, about the packet itself. */
	nhrp_build_traffic_mandatory(&tx.b, NHRP_TRAFFIC_REDIRECT,
				     (const u8 *)&tx.fl4.saddr,
				     (const u8 *)&own,
				     (const u8 *)&iph->saddr, 4);
	nhrp_build_payload(&tx.b, data, len);
	nhrp_build_ext_begin(&tx.b);
	nhrp_put_auth(&tx.b, cfg);
	nhrp_build_end(&tx.b);
	nhrp_tx_end(m, &tx, NHRP_TRAFFIC_INDICATION, nhrp_ttl(m));
out:
	rcu_read_unlock();
}

/* ---- configuration and lifetime ---------------------------------------- */

/* Under RTNL, with every NHS work stopped. */
static void nhs_reset_slots(struct mgre_dev *m,
			    const struct mgre_nhrp_cfg *cfg)
{
	unsigned int i;

	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		struct mgre_nhs *nhs = &m->nhs[i];

		nhs->active = cfg && i < cfg->n_nhs;
		nhs->proto = nhs->active ? cfg->nhs[i].proto : 0;
		nhs->nbma = nhs->active ? cfg->nhs[i].nbma : 0;
		nhs->learnt = 0;
		nhs->waiting = false;
		nhs->reqid2 = 0;
		nhs->state = MGRE_NHS_DOWN;
		nhs->last_code = 0;
		nhs->backoff = 0;
		nhs->failures = 0;
		nhs->registrations = 0;
		nhs->last_reply = 0;
		nhs->rtt_ms = 0;
		nhs->next = 0;
	}
	spin_unlock_bh(&m->nhs_lock);
}

static void nhs_cancel_all(struct mgre_dev *m)
{
	unsigned int i;

	for (i = 0; i < MGRE_MAX_NHS; i++)
		cancel_delayed_work_sync(&m->nhs[i].work);
}

static void nhs_start_all(struct mgre_dev *m)
{
	unsigned int i;

	if (!netif_running(m->dev))
		return;
	for (i = 0; i < MGRE_MAX_NHS; i++)
		if (m->nhs[i].active)
			mod_delayed_work(system_wq, &m->nhs[i].work, 0);
}

int mgre_nhrp_init(struct mgre_dev *m)
{
	unsigned int i;

	m->nhrp_stats = alloc_percpu(struct mgre_nhrp_pcpu_stats);
	if (!m->nhrp_stats)
		return -ENOMEM;
	spin_lock_init(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		m->nhs[i].m = m;
		INIT_DELAYED_WORK(&m->nhs[i].work, nhs_work);
	}
	ratelimit_state_init(&m->rl_resolve, HZ, 100);
	ratelimit_set_flags(&m->rl_resolve, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&m->rl_error, HZ, 10);
	ratelimit_set_flags(&m->rl_error, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&m->rl_redirect, HZ, MGRE_REDIRECT_RATE);
	ratelimit_set_flags(&m->rl_redirect, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

/* ndo_uninit: no work may run or be queued after this. */
void mgre_nhrp_uninit(struct mgre_dev *m)
{
	nhs_reset_slots(m, NULL);
	nhs_cancel_all(m);
}

/* After the last reference. */
void mgre_nhrp_free(struct mgre_dev *m)
{
	kfree(rcu_dereference_protected(m->nhrp_cfg, true));
	free_percpu(m->nhrp_stats);
}

static bool nhrp_cfg_same_nhs(const struct mgre_nhrp_cfg *a,
			      const struct mgre_nhrp_cfg *b)
{
	if (!a || !b)
		return a == b;
	return a->network_id == b->network_id && a->n_nhs == b->n_nhs &&
	       !memcmp(a->nhs, b->nhs, sizeof(a->nhs[0]) * a->n_nhs);
}

void mgre_nhrp_set_cfg(struct mgre_dev *m, struct mgre_nhrp_cfg *cfg)
{
	struct mgre_nhrp_cfg *old = rtnl_dereference(m->nhrp_cfg);
	bool restart = !nhrp_cfg_same_nhs(old, cfg);

	if (restart) {
		nhs_reset_slots(m, NULL);
		nhs_cancel_all(m);
	}
	rcu_assign_pointer(m->nhrp_cfg, cfg);
	if (old)
		kfree_rcu(old, rcu);
	if (restart && cfg && cfg->network_id) {
		nhs_reset_slots(m, cfg);
		nhs_start_all(m);
	}
}

struct nhs_addrs {
	unsigned int n;
	__be32 proto[MGRE_MAX_NHS];
	__be32 nbma[MGRE_MAX_NHS];
};

static bool match_registered(const struct nhrp_entry *e, const void *arg)
{
	return READ_ONCE(e->type) == MGRE_ENTRY_REGISTERED;
}

/* The entry the NHC made for one of its NHSs from a Registration Reply. */
static bool match_nhs_entry(const struct nhrp_entry *e, const void *arg)
{
	const struct nhs_addrs *a = arg;
	unsigned int i;

	if (READ_ONCE(e->type) != MGRE_ENTRY_RESOLVED ||
	    e->key.family != AF_INET)
		return false;
	for (i = 0; i < a->n; i++)
		if (e->key.addr.v4 == a->proto[i] &&
		    READ_ONCE(e->nbma) == a->nbma[i])
			return true;
	return false;
}

/*
 * Under RTNL, after the multicast parameters changed: flag or unflag the
 * entries they cover now rather than at each one's next registration.
 */
void mgre_nhrp_mcast_update(struct mgre_dev *m)
{
	struct nhs_addrs a = { };
	unsigned int i;

	nhrp_cache_set_flag(&m->cache, match_registered, NULL,
			    MGRE_ENTRY_F_MULTICAST, m->parms.mcast_dynamic);

	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		const struct mgre_nhs *nhs = &m->nhs[i];
		__be32 proto = nhs->proto ?: nhs->learnt;

		if (nhs->active && proto) {
			a.proto[a.n] = proto;
			a.nbma[a.n++] = nhs->nbma;
		}
	}
	spin_unlock_bh(&m->nhs_lock);
	if (a.n)
		nhrp_cache_set_flag(&m->cache, match_nhs_entry, &a,
				    MGRE_ENTRY_F_MULTICAST, m->parms.mcast_nhs);
}

void mgre_nhrp_open(struct mgre_dev *m)
{
	nhs_start_all(m);
}

/*
 * Link down: tell every NHS we were registered with to forget us now
 * (Purge Request, no reply wanted), then stop the client side.
 */
void mgre_nhrp_stop(struct mgre_dev *m)
{
	__be32 own = nhrp_own_addr(m->dev), nbma[MGRE_MAX_NHS], dst[MGRE_MAX_NHS];
	struct nhs_event ev[MGRE_MAX_NHS] = { };
	const struct mgre_nhrp_cfg *cfg;
	unsigned int i, n = 0;

	nhs_cancel_all(m);
	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		struct mgre_nhs *nhs = &m->nhs[i];

		if (nhs->active && nhs->state == MGRE_NHS_UP) {
			nbma[n] = nhs->nbma;
			dst[n++] = nhs->proto ?: nhs->learnt;
			nhs_event_set(&ev[i], nhs, MGRE_CMD_EVT_NHS_DOWN);
		}
		nhs->state = MGRE_NHS_DOWN;
		nhs->waiting = false;
		nhs->backoff = 0;
	}
	spin_unlock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++)
		nhs_event_raise(m, &ev[i]);

	rcu_read_lock_bh();
	cfg = rcu_dereference_bh(m->nhrp_cfg);
	for (i = 0; cfg && own && i < n; i++) {
		struct nhrp_tx tx;

		if (!nhrp_tx_begin(m, &tx, nbma[i]))
			continue;
		nhrp_build_header(&tx.b, NHRP_AFN_IPV4, NHRP_PRO_IPV4,
				  NHRP_HOPCNT, NHRP_PURGE_REQUEST);
		nhrp_build_mandatory(&tx.b, NHRP_FLAG_PURGE_N,
				     atomic_inc_return(&m->reqid),
				     (const u8 *)&tx.fl4.saddr,
				     (const u8 *)&own, (const u8 *)&dst[i], 4);
		nhrp_build_cie(&tx.b, NHRP_CODE_SUCCESS, 32, 0, 0, NULL,
			       (const u8 *)&own, 4, 0);
		nhrp_build_ext_begin(&tx.b);
		nhrp_put_auth(&tx.b, cfg);
		nhrp_build_end(&tx.b);
		nhrp_tx_end(m, &tx, NHRP_PURGE_REQUEST, nhrp_ttl(m));
	}
	rcu_read_unlock_bh();
}

/**
 * nhrp_nhc_nhs_info() - a snapshot of one NHS's client state
 * @m: the device
 * @i: the NHS slot, below MGRE_MAX_NHS
 * @info: filled when the slot is in use
 *
 * Any context; takes the NHS lock with bottom halves off.
 * Return: whether slot @i holds a configured NHS.
 */
bool nhrp_nhc_nhs_info(struct mgre_dev *m, unsigned int i,
		       struct nhrp_nhs_info *info)
{
	bool active;

	spin_lock_bh(&m->nhs_lock);
	active = m->nhs[i].active;
	if (active)
		nhs_snapshot(&m->nhs[i], info);
	spin_unlock_bh(&m->nhs_lock);
	return active;
}
