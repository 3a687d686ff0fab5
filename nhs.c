// SPDX-License-Identifier: GPL-2.0
/*
 * The hub (NHS) role: Registration Requests answered from the cache,
 * Purge Requests honoured, and Traffic Indications (DMVPN phase 3) sent
 * to spokes whose traffic the hub forwards back into the tunnel.
 * Softirq, or the transmit path (bottom halves off).
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>

#include "nhs.h"
#include "nhc.h"
#include "nhrp_addr.h"
#include "nhrp_tx.h"

#define NHRP_TI_COPY		64	/* bytes of a data packet a Traffic
					 * Indication carries
					 */

/*
 * A spoke whose NBMA address changed registers again from the new one,
 * and its old registration, unique, holds the address (code 14).  Which
 * node is it, the one that moved or a second one claiming the address?
 * The hub asks the holder: a Resolution Request for the address, to the
 * NBMA address it is registered at, hop count 1.  A holder that answers
 * for it within NHS_PROBE_WAIT keeps it and the claim is refused (the
 * claimant's next try asks again: the holder may have moved since); one
 * that does not answer, or answers that it has no such address, is gone,
 * and the claimant's next registration (a spoke retries after 1 s) takes
 * the address.  Any NHRP node answers for its own address, so this works
 * for spokes of every make; it proves the holder gone, not the claimant
 * honest, which is what the unique flag ever proved.  At most
 * MGRE_PROBE_RATE holders are asked a second: a flood of claims costs
 * the hub that many requests, and the claims beyond are refused.
 */
#define NHS_PROBE_WAIT		(HZ / 2)

static struct mgre_probe *nhs_probe_slot(struct mgre_dev *m,
					 const struct nhrp_key *key)
{
	return &m->probes[jhash(key, sizeof(*key), m->probe_seed) %
			  MGRE_PROBE_SLOTS];
}

/* Under probe_lock: whether slot p is about key's holder at holder. */
static bool nhs_probe_is(const struct mgre_probe *p,
			 const struct nhrp_key *key, __be32 holder)
{
	return p->state != MGRE_PROBE_FREE && p->holder == holder &&
	       !memcmp(&p->key, key, sizeof(*key));
}

/* A unique registration of ec->key holds another NBMA address. */
static u8 nhs_contested(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
			const struct nhrp_entry_cfg *ec)
{
	struct mgre_probe *p = nhs_probe_slot(m, &ec->key);
	bool ask = false, take = false;
	struct nhrp_entry *e;
	struct nhrp_key own;
	__be32 holder;
	u32 reqid = 0;

	e = nhrp_cache_lookup(&m->cache, &ec->key);
	holder = e ? READ_ONCE(e->nbma) : 0;
	if (!holder)	/* gone meanwhile: the retry will find it free */
		goto refused;
	spin_lock_bh(&m->probe_lock);
	/* An answer is not remembered: the holder may move away next. */
	if (!nhs_probe_is(p, &ec->key, holder) ||
	    p->state == MGRE_PROBE_ALIVE)
		ask = __ratelimit(&m->rl_probe);
	else if (p->state == MGRE_PROBE_ASKING)
		take = time_after_eq(jiffies, p->asked + NHS_PROBE_WAIT);
	else
		take = true;	/* MGRE_PROBE_GONE */
	if (take)
		p->state = MGRE_PROBE_FREE;
	if (ask) {
		p->key = ec->key;
		p->holder = holder;
		p->state = MGRE_PROBE_ASKING;
		p->asked = jiffies;
		reqid = nhrp_tx_reqid();
		p->reqid = reqid;
	}
	spin_unlock_bh(&m->probe_lock);

	if (take) {
		switch (nhrp_cache_add(&m->cache, ec, NHRP_ADD_MOVE,
				       GFP_ATOMIC)) {
		case 0:
			mgre_count(m, MGRE_STATS_A_NHS_MOVED);
			return NHRP_CODE_SUCCESS;
		case -EDQUOT:
			mgre_count(m, MGRE_STATS_A_NHS_QUOTA_REFUSED);
			return NHRP_CODE_INSUFFICIENT_RESOURCES;
		}
	}
	if (ask && nhrp_addr_own_key(m->dev, ec->key.family, &own))
		nhrp_tx_resolution_request(m, cfg, holder, &own, &ec->key, 1,
					   reqid);
refused:
	mgre_count(m, MGRE_STATS_A_NHS_UNIQUE_REFUSED);
	return NHRP_CODE_ALREADY_REGISTERED;
}

/**
 * nhrp_nhs_probe_reply() - take the answer to the hub's question, if it is
 * @m: the device
 * @pkt: a parsed Resolution Reply
 * @saddr: outer source address: the sender's NBMA address
 *
 * Softirq.  A contested address's holder answered (see nhs_contested()):
 * with the address (success), it keeps it; without, it is gone.  Only
 * the holder's own answer counts, from the NBMA address it was asked
 * at, with the random request ID it was asked with: a claimant that
 * answers for the holder ("gone") is not heard.
 *
 * Return: whether @pkt was that answer (consumed); else it is for
 * nhrp_res_reply().
 */
bool nhrp_nhs_probe_reply(struct mgre_dev *m, const struct nhrp_packet *pkt,
			  __be32 saddr)
{
	struct nhrp_key key;
	struct mgre_probe *p;
	bool mine;

	nhrp_key_from(&key, nhrp_pkt_family(pkt), pkt->dst_proto);
	p = nhs_probe_slot(m, &key);
	spin_lock_bh(&m->probe_lock);
	mine = p->state == MGRE_PROBE_ASKING && p->reqid == pkt->reqid &&
	       p->holder == saddr && !memcmp(&p->key, &key, sizeof(key));
	if (mine)
		p->state = pkt->ncies &&
			   pkt->cies[0].code == NHRP_CODE_SUCCESS ?
			   MGRE_PROBE_ALIVE : MGRE_PROBE_GONE;
	spin_unlock_bh(&m->probe_lock);
	return mine;
}

static u8 nhs_register(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		       const struct nhrp_key *proto, __be32 nbma, u16 holdtime,
		       bool unique)
{
	struct nhrp_entry_cfg ec = {
		.nbma = nbma,
		.type = MGRE_ENTRY_REGISTERED,
		.flags = MGRE_ENTRY_F_ROUTER | (unique ? MGRE_ENTRY_F_UNIQUE : 0),
		.holdtime = holdtime,
	};

	if (nhrp_addr_mcast_family(m, proto->family) &&
	    READ_ONCE(m->parms.mcast_dynamic))
		ec.flags |= MGRE_ENTRY_F_MULTICAST;

	if (!nhrp_addr_unicast(proto) || nhrp_addr_is_own_key(m->dev, proto))
		return NHRP_CODE_ADMIN_PROHIBITED;
	ec.key = *proto;
	switch (nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC)) {
	case 0:
	case -EALREADY:
		return NHRP_CODE_SUCCESS;
	case -EADDRINUSE:
		return nhs_contested(m, cfg, &ec);
	case -EPERM:
		return NHRP_CODE_ADMIN_PROHIBITED;
	case -EDQUOT:	/* this NBMA address holds max-per-nbma */
		mgre_count(m, MGRE_STATS_A_NHS_QUOTA_REFUSED);
		return NHRP_CODE_INSUFFICIENT_RESOURCES;
	default:	/* -ENOSPC, -ENOMEM, -ENODEV */
		mgre_count(m, MGRE_STATS_A_NHS_FULL_REFUSED);
		return NHRP_CODE_INSUFFICIENT_RESOURCES;
	}
}

/**
 * nhrp_nhs_registration_request() - answer a Registration Request (hub)
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 * @daddr: outer destination address: our NBMA address it came to
 *
 * Softirq.  Each CIE is registered in the cache under the sender's outer
 * source address (its NATed address when it is behind NAT), for at most
 * max-holdtime seconds and within that address's max-per-nbma quota; the
 * reply carries a code per CIE, and the holdtime granted when it is less
 * than the one asked for.
 */
void nhrp_nhs_registration_request(struct mgre_dev *m,
				   const struct mgre_nhrp_cfg *cfg,
				     const struct nhrp_packet *pkt,
				     __be32 saddr, __be32 daddr)
{
	u8 family = nhrp_pkt_family(pkt), alen = nhrp_alen(family);
	struct nhrp_key own, src_proto, proto;
	u16 max_holdtime = READ_ONCE(m->parms.max_holdtime);
	u16 granted[NHRP_MAX_CIES];
	u8 codes[NHRP_MAX_CIES];
	__be32 src_nbma, nat = 0;
	struct nhrp_tx tx;
	unsigned int i;

	if (!nhrp_addr_own_key(m->dev, family, &own)) {
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

		granted[i] = cie->holdtime;
		if (holdtime > max_holdtime) {
			holdtime = max_holdtime;
			granted[i] = holdtime;
		}
		if (cie->proto_len)
			nhrp_key_from(&proto, family, cie->proto);
		else
			proto = src_proto;
		if (cie->prefix_len != 0xff && cie->prefix_len != 0 &&
		    cie->prefix_len != alen * 8) {
			codes[i] = NHRP_CODE_ADMIN_PROHIBITED;
			continue;
		}
		codes[i] = nhs_register(m, cfg, &proto, saddr, holdtime,
					pkt->flags & NHRP_FLAG_REG_U);
		if (codes[i] == NHRP_CODE_SUCCESS && granted[i] != cie->holdtime)
			mgre_count(m, MGRE_STATS_A_NHS_HOLDTIME_CAPPED);
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
			       granted[i], cie->nbma, cie->proto,
			       cie->proto_len, cie->pref);
	}
	nhrp_tx_put_reply_exts(m, &tx.b, pkt, cfg, daddr, &own, nat);
	nhrp_tx_end(m, &tx, NHRP_REGISTRATION_REPLY, nhrp_tx_ttl(m));
}

/**
 * nhrp_nhs_purge_request() - a Purge Request arrived
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 *
 * Softirq.  A client may withdraw its own registration and an NHS what it
 * told us; nobody else may purge.  Answered unless the request says no
 * reply.
 */
void nhrp_nhs_purge_request(struct mgre_dev *m,
			    const struct mgre_nhrp_cfg *cfg,
			       const struct nhrp_packet *pkt, __be32 saddr)
{
	u8 family = nhrp_pkt_family(pkt);
	struct nhrp_key key, src;
	struct nhrp_entry *e;
	struct nhrp_tx tx;
	unsigned int i;

	nhrp_key_from(&src, family, pkt->src_proto);
	for (i = 0; i < pkt->ncies; i++) {
		const struct nhrp_cie *cie = &pkt->cies[i];
		u8 type;

		nhrp_key_from(&key, family, cie->proto_len ? cie->proto :
					    pkt->src_proto);
		e = nhrp_cache_lookup(&m->cache, &key);
		if (!e)
			continue;
		type = READ_ONCE(e->type);
		/* A client withdrawing its own registration, an NHS
		 * withdrawing what it told us, or a peer that moved
		 * withdrawing its own mapping, from wherever it is now (we
		 * resolve it again through our NHS; never our NHS's own
		 * mapping, which only its replies make): nobody else may
		 * purge.
		 */
		if ((type == MGRE_ENTRY_REGISTERED &&
		     READ_ONCE(e->nbma) == saddr) ||
		    ((type == MGRE_ENTRY_RESOLVED ||
		      type == MGRE_ENTRY_NEGATIVE) && nhrp_rank_from_nhs(m, saddr)) ||
		    (type == MGRE_ENTRY_RESOLVED &&
		     !memcmp(&key, &src, sizeof(key)) &&
		     !nhrp_rank_from_nhs(m, READ_ONCE(e->nbma))))
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
	nhrp_tx_put_auth(&tx.b, cfg);
	nhrp_build_end(&tx.b);
	nhrp_tx_end(m, &tx, NHRP_PURGE_REPLY, nhrp_tx_ttl(m));
}

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

/**
 * nhrp_nhs_tx_redirect() - tell a packet's sender that a shortcut would do
 * @m: the device
 * @skb: the IPv4 packet being forwarded
 *
 * Transmit path: this node forwards @skb from the tunnel back into it.
 * Sends a Traffic Indication to the sender, rate-limited per (source,
 * destination) and per device.  Does not consume @skb.
 */
void nhrp_nhs_tx_redirect(struct mgre_dev *m, const struct sk_buff *skb)
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
	own = nhrp_addr_own4(m->dev);
	peer = nhrp_addr_route_peer(m, iph->saddr);
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
	nhrp_tx_put_auth(&tx.b, cfg);
	nhrp_build_end(&tx.b);
	nhrp_tx_end(m, &tx, NHRP_TRAFFIC_INDICATION, nhrp_tx_ttl(m));
out:
	rcu_read_unlock();
}

static bool match_registered(const struct nhrp_entry *e, const void *arg)
{
	return READ_ONCE(e->type) == MGRE_ENTRY_REGISTERED;
}

/**
 * nhrp_nhs_mcast_update() - flag or unflag registrations for multicast
 * @m: the device
 *
 * Under RTNL, after the "multicast dynamic" parameter changed.
 */
void nhrp_nhs_mcast_update(struct mgre_dev *m)
{
	nhrp_cache_set_flag(&m->cache, match_registered, NULL,
			    MGRE_ENTRY_F_MULTICAST, m->parms.mcast_dynamic);
}
