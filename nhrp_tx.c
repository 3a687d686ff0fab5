// SPDX-License-Identifier: GPL-2.0
/*
 * Building and sending NHRP packets: a fresh skb routed to an NBMA
 * address, the extensions requests and replies carry, Error Indications
 * and hop-by-hop forwarding.  Softirq or process context with bottom
 * halves off; everything leaves through mgre_tunnel_xmit().
 */

#include <linux/skbuff.h>
#include <net/route.h>

#include "nhrp_tx.h"
#include "nhrp_addr.h"
#include "tunnel.h"

#define NHRP_ERR_COPY_MAX	512	/* bytes of a bad packet we echo */
/* What a reply's extensions end with: Responder, authentication, End. */
#define NHRP_REPLY_TAIL		(NHRP_EXT_HDR_LEN + NHRP_CIE_LEN + \
				 NHRP_NBMA_LEN + 16 + \
				 NHRP_EXT_HDR_LEN + 4 + MGRE_AUTH_MAX + \
				 NHRP_EXT_HDR_LEN)

static void nhrp_count_tx(struct mgre_dev *m, u8 type)
{
	if (type <= MGRE_NHRP_TYPE_MAX)
		this_cpu_inc(m->nhrp_stats->tx[type]);
}

/**
 * nhrp_tx_begin() - route to a peer and start building a packet for it
 * @m: the device
 * @tx: the packet to build
 * @nbma: the peer's NBMA address
 *
 * Route first: our source NBMA address, which goes into the packet, is
 * the one the route to the peer picks when the device's local address is
 * "any".  On success the caller builds into @tx->b and sends with
 * nhrp_tx_end().
 *
 * Return: false when there is no route or no memory (counted).
 */
bool nhrp_tx_begin(struct mgre_dev *m, struct nhrp_tx *tx, __be32 nbma)
{
	tx->rt = mgre_tunnel_route(m, nbma, 0, 0, &tx->fl4);
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

/**
 * nhrp_tx_end() - finish a packet begun with nhrp_tx_begin() and send it
 * @m: the device
 * @tx: the packet being built
 * @type: NHRP packet type
 * @ttl: outer TTL
 *
 * Consumes the skb and the route, and counts the packet by @type.
 */
void nhrp_tx_end(struct mgre_dev *m, struct nhrp_tx *tx, u8 type,
		 u8 ttl)
{
	int len = nhrp_build_finish(&tx->b);

	/*
	 * What we build alone always fits; what we copy from a peer's
	 * packet (echoed extensions, a forwarded request) may not.  A
	 * counted drop, never a WARN: the wire must not reach one.
	 */
	if (len < 0) {
		nhrp_drop(m, len == -EINVAL ? MGRE_NHRP_DROP_UNSPEC :
			  MGRE_NHRP_DROP_TOO_BIG);
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

/**
 * nhrp_tx_ttl() - the outer TTL of what we originate
 * @m: the device
 *
 * Return: the device's TTL, or the default when it inherits.
 */
u8 nhrp_tx_ttl(const struct mgre_dev *m)
{
	return READ_ONCE(m->parms.ttl) ?: MGRE_DEFAULT_TTL;
}

/**
 * nhrp_tx_put_auth() - the authentication extension, if the device has a secret
 * @b: the builder
 * @cfg: the device's NHRP configuration
 */
void nhrp_tx_put_auth(struct nhrp_builder *b,
		      const struct mgre_nhrp_cfg *cfg)
{
	if (cfg->auth_len)
		nhrp_build_auth(b, cfg->auth, cfg->auth_len);
}

/**
 * nhrp_tx_put_request_exts() - the extensions of a request
 * @b: the builder
 * @cfg: the device's NHRP configuration
 *
 * The placeholders FRR and Cisco put in requests, then authentication and
 * End.
 */
void nhrp_tx_put_request_exts(struct nhrp_builder *b,
			      const struct mgre_nhrp_cfg *cfg)
{
	nhrp_build_ext_begin(b);
	nhrp_build_ext(b, NHRP_EXT_FWD_TRANSIT, true, NULL, 0);
	nhrp_build_ext(b, NHRP_EXT_REV_TRANSIT, true, NULL, 0);
	nhrp_build_ext(b, NHRP_EXT_RESPONDER, true, NULL, 0);
	nhrp_tx_put_auth(b, cfg);
	nhrp_build_end(b);
}

/**
 * nhrp_tx_put_reply_exts() - the extensions of a reply
 * @m: the device
 * @b: the builder
 * @req: the request answered
 * @cfg: the device's NHRP configuration
 * @our_nbma: our NBMA address for the Responder CIE
 * @our_proto: our protocol address for the Responder CIE
 * @nat_nbma: the client's address as we see it when it is behind NAT, else 0
 *
 * Responder filled with us, the transit records and anything non-compulsory
 * echoed, NAT addresses told, our own authentication, End.
 */
void nhrp_tx_put_reply_exts(struct mgre_dev *m, struct nhrp_builder *b,
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
			/* Echoed only while it leaves room for what must
			 * follow (Responder, authentication, End): an
			 * extension too big to echo is dropped from the
			 * reply, not the reply itself.
			 */
			if (ext.len + NHRP_EXT_HDR_LEN + NHRP_REPLY_TAIL >
			    b->cap - b->len) {
				nhrp_drop(m, MGRE_NHRP_DROP_TOO_BIG);
				break;
			}
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
	nhrp_tx_put_auth(b, cfg);
	nhrp_build_end(b);
}

/**
 * nhrp_tx_error() - send an Error Indication about a bad packet
 * @m: the device
 * @bad: the packet in error
 * @len: its length
 * @pkt: what could be parsed of it
 * @code: NHRP error code
 * @offset: offset of the error in @bad
 * @to: the NBMA address to send to
 *
 * To whoever sent it: never about an Error Indication, and rate-limited per
 * device (RFC 2332 5.2.7).
 */
void nhrp_tx_error(struct mgre_dev *m, const u8 *bad,
		   unsigned int len, const struct nhrp_packet *pkt,
			    u16 code, u16 offset, __be32 to)
{
	u8 family = nhrp_pkt_family(pkt);
	struct nhrp_key own;
	bool have_own;
	struct nhrp_tx tx;

	if (pkt->type == NHRP_ERROR_INDICATION || !__ratelimit(&m->rl_error))
		return;
	have_own = nhrp_addr_own_key(m->dev, family, &own);
	if (!nhrp_tx_begin(m, &tx, to))
		return;
	/* In the family of the packet in error, about its source. */
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, nhrp_pro_type(family),
			  NHRP_HOPCNT, NHRP_ERROR_INDICATION);
	nhrp_build_error_mandatory(&tx.b, code, offset,
				   (const u8 *)&tx.fl4.saddr,
				   have_own ? nhrp_kbytes(&own) : NULL,
				   pkt->src_proto, nhrp_alen(family));
	/*
	 * No extensions, not even authentication: RFC 2332 5.2.7 (tshark
	 * flags any).  So a peer with a secret (mgre, FRR but for code 11)
	 * does not act on ours; they only tell, and the sender of a bad
	 * packet learns the same from the silence.
	 */
	nhrp_build_payload(&tx.b, bad, min(len, NHRP_ERR_COPY_MAX));
	nhrp_tx_end(m, &tx, NHRP_ERROR_INDICATION, nhrp_tx_ttl(m));
}

/**
 * nhrp_tx_forward() - pass a packet on, one hop less
 * @m: the device
 * @pkt: the packet to pass on
 * @to: the NBMA address to send to
 *
 * A copy with the hop count lowered and the checksum redone; dropped
 * (counted) when the hop count runs out.
 *
 * Return: false if it was dropped.
 */
bool nhrp_tx_forward(struct mgre_dev *m, const struct nhrp_packet *pkt,
		     __be32 to)
{
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct rtable *rt;
	u8 *p;

	if (pkt->hopcnt <= 1) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ROUTE);
		return false;
	}
	rt = mgre_tunnel_route(m, to, 0, 0, &fl4);
	if (IS_ERR(rt)) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ROUTE);
		return false;
	}
	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + 8 + pkt->pktsz,
			GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		nhrp_drop(m, MGRE_NHRP_DROP_NOMEM);
		return false;
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
			 nhrp_tx_ttl(m));
	nhrp_count_tx(m, pkt->type);
	return true;
}

/**
 * nhrp_tx_resolution_request() - send a Resolution Request
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @to: the NBMA address to send it to (an NHS, or the node asked)
 * @own: our protocol address of @dst's family, the request's source
 * @dst: the protocol address to resolve
 * @hopcnt: NHRP_HOPCNT, or 1 for a request that must not be passed on
 * @reqid: its request id, which the reply carries back
 *
 * Bottom halves off.  Asks for an authoritative answer (Q, A and S set).
 *
 * Return: false when it could not be built (no route to @to, no memory).
 */
bool nhrp_tx_resolution_request(struct mgre_dev *m,
				const struct mgre_nhrp_cfg *cfg, __be32 to,
				const struct nhrp_key *own,
				const struct nhrp_key *dst, u8 hopcnt,
				u32 reqid)
{
	struct nhrp_tx tx;

	if (!nhrp_tx_begin(m, &tx, to))
		return false;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, nhrp_pro_type(dst->family),
			  hopcnt, NHRP_RESOLUTION_REQUEST);
	nhrp_build_mandatory(&tx.b, NHRP_FLAG_RES_Q | NHRP_FLAG_RES_A |
			     NHRP_FLAG_RES_S, reqid,
			     (const u8 *)&tx.fl4.saddr, nhrp_kbytes(own),
			     nhrp_kbytes(dst), nhrp_alen(dst->family));
	nhrp_build_cie(&tx.b, NHRP_CODE_SUCCESS, 0xff, 0,
		       READ_ONCE(m->parms.holdtime), NULL, NULL, 0, 0);
	nhrp_tx_put_request_exts(&tx.b, cfg);
	nhrp_tx_end(m, &tx, NHRP_RESOLUTION_REQUEST, nhrp_tx_ttl(m));
	return true;
}

/**
 * nhrp_tx_purge_request() - send a Purge Request, no reply wanted
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @to: the NBMA address of the node told
 * @own: our protocol address to purge, the request's source
 * @dst: the node's protocol address (our own when we do not know it)
 *
 * Bottom halves off, under rcu_read_lock_bh().
 */
void nhrp_tx_purge_request(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
			   __be32 to, const struct nhrp_key *own,
			   const struct nhrp_key *dst)
{
	u8 alen = nhrp_alen(own->family);
	struct nhrp_tx tx;

	if (!nhrp_tx_begin(m, &tx, to))
		return;
	nhrp_build_header(&tx.b, NHRP_AFN_IPV4, nhrp_pro_type(own->family),
			  NHRP_HOPCNT, NHRP_PURGE_REQUEST);
	nhrp_build_mandatory(&tx.b, NHRP_FLAG_PURGE_N, nhrp_tx_reqid(),
			     (const u8 *)&tx.fl4.saddr, nhrp_kbytes(own),
			     nhrp_kbytes(dst), alen);
	nhrp_build_cie(&tx.b, NHRP_CODE_SUCCESS, alen * 8, 0, 0, NULL,
		       nhrp_kbytes(own), alen, 0);
	nhrp_build_ext_begin(&tx.b);
	nhrp_tx_put_auth(&tx.b, cfg);
	nhrp_build_end(&tx.b);
	nhrp_tx_end(m, &tx, NHRP_PURGE_REQUEST, nhrp_tx_ttl(m));
}
