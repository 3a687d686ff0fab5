// SPDX-License-Identifier: GPL-2.0
/*
 * Resolution: answering Resolution Requests (as the NHS of the asker, as
 * the target, or as the router in front of a prefix, phase 3), passing
 * requests and replies on, installing answers and shortcuts, and asking
 * on a transmit miss, a refresh, a Traffic Indication or the operator's
 * request.  Softirq or the transmit path.
 */

#include <linux/ip.h>
#include <linux/jiffies.h>

#include "nhrp_res.h"
#include "nhc.h"
#include "nhc_rank.h"
#include "nhrp_addr.h"
#include "nhrp_tx.h"

#define NHRP_INCOMPLETE_SECS	3	/* a resolution's answer must come */
#define NHRP_NEGATIVE_SECS	30	/* cap on negative caching */

/* What a request and its reply share, to match them (nhrp_inflight.h). */
static void res_id_from(struct nhrp_inflight_id *id,
			const struct nhrp_packet *pkt)
{
	u8 family = nhrp_pkt_family(pkt);

	nhrp_key_from(&id->src, family, pkt->src_proto);
	nhrp_key_from(&id->dst, family, pkt->dst_proto);
	id->reqid = pkt->reqid;
}

/**
 * nhrp_res_request() - answer a Resolution Request
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 * @daddr: outer destination address: our NBMA address it came to
 *
 * Softirq.  For ourselves, for a registered client or static map, or (phase
 * 3) for a prefix behind us; a hub without an answer passes the request on
 * along its route.  Otherwise a negative reply.
 */
void nhrp_res_request(struct mgre_dev *m,
		      const struct mgre_nhrp_cfg *cfg,
				    const struct nhrp_packet *pkt,
				    __be32 saddr, __be32 daddr)
{
	u8 family = nhrp_pkt_family(pkt), alen = nhrp_alen(family);
	u16 flags = pkt->flags & (NHRP_FLAG_RES_Q | NHRP_FLAG_RES_S);
	u16 holdtime = READ_ONCE(m->parms.holdtime);
	const u8 *cie_proto = pkt->dst_proto;
	u8 code = NHRP_CODE_SUCCESS, plen = alen * 8;
	struct nhrp_inflight_id id;
	__be32 nbma = 0, peer, back;
	struct nhrp_key key, own;
	struct nhrp_entry *e;
	struct nhrp_tx tx;
	bool member;

	if (!nhrp_addr_own_key(m->dev, family, &own)) {
		nhrp_drop(m, MGRE_NHRP_DROP_NO_ADDRESS);
		return;
	}

	nhrp_key_from(&key, family, pkt->dst_proto);
	if (nhrp_addr_is_own_key(m->dev, &key)) {
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
		peer = nhrp_addr_route_peer(m, key.addr.v4);
		if (peer && peer != saddr && pkt->hopcnt <= 1) {
			/* Not to be passed on: no slot taken for 5 s. */
			nhrp_drop(m, MGRE_NHRP_DROP_NO_ROUTE);
			return;
		}
		if (peer && peer != saddr) {
			/*
			 * Only its answer, from peer, goes back to saddr.  An
			 * asker that registered from saddr has a budget of its
			 * own; other (maybe forged) sources share one.
			 */
			res_id_from(&id, pkt);
			member = nhrp_nbma_holds(&m->cache.nbma_use, saddr);
			if (nhrp_inflight_add(&m->inflight, &id, peer, saddr,
					      member ? NHRP_INFLIGHT_MEMBER : 0))
				nhrp_drop(m, MGRE_NHRP_DROP_ASKER_LIMIT);
			else if (!nhrp_tx_forward(m, pkt, peer))
				/* No answer can come: free the slot now. */
				nhrp_inflight_take(&m->inflight, &id, peer,
						   &back);
			return;
		}
	}
	if (!nbma && family == AF_INET) {
		/* Behind us: we answer for the prefix, as its way in. */
		plen = nhrp_addr_egress_plen(m, key.addr.v4);
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
	nhrp_tx_put_reply_exts(m, &tx.b, pkt, cfg, daddr, &own, 0);
	nhrp_tx_end(m, &tx, NHRP_RESOLUTION_REPLY, nhrp_tx_ttl(m));
}

/*
 * A router in front of dst answered (phase 3): the CIE names the router's
 * own protocol address and the prefix it routes dst by.  Install the
 * router's mapping and a shortcut for the prefix, which transmit prefers
 * to the route's next hop; the host entry that waited for the answer goes.
 */
/*
 * An NHS's own mapping (made from its Registration Reply, flagged router)
 * is what every packet through the hub, multicast included, is sent by:
 * no Resolution Reply may change it, whoever relays or spoofs one
 * (REVIEW.md item 1, issue 38).  Static entries are not learnt over either.
 */
static bool nhrp_res_protected(const struct nhrp_entry *e)
{
	u8 type = READ_ONCE(e->type);

	return type == MGRE_ENTRY_STATIC ||
	       (type == MGRE_ENTRY_RESOLVED &&
		(READ_ONCE(e->flags) & MGRE_ENTRY_F_ROUTER));
}

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
	if (plen < NHRP_MIN_SHORTCUT_PLEN || !nhrp_addr_unicast4(router) ||
	    !nhrp_addr_unicast4(ec.nbma) || nhrp_addr_is_own4(m->dev, router)) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNSUPPORTED);
		return;
	}

	nhrp_key_init4(&ec.key, router);
	rcu_read_lock();
	e = nhrp_cache_lookup(&m->cache, &ec.key);
	if (e && nhrp_res_protected(e)) {
		rcu_read_unlock();
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}
	rcu_read_unlock();
	nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
	nhrp_key_prefix(&ec.key, &host, plen);
	nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
	if (waiting)
		nhrp_cache_del(&m->cache, &host);
}

/**
 * nhrp_res_reply() - a Resolution Reply arrived
 * @m: the device
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 *
 * Softirq.  Only the answer to a request in flight is taken: one we sent
 * or passed on, with this request ID, about this destination, sent to the
 * NBMA address the reply comes from; it retires the request.  A hub
 * passes it back the way the request came; a spoke installs the answer
 * (resolved, negative, or a shortcut when a router in front of the
 * destination answered).
 */
void nhrp_res_reply(struct mgre_dev *m,
		    const struct nhrp_packet *pkt, __be32 saddr)
{
	u8 family = nhrp_pkt_family(pkt), type;
	struct nhrp_entry_cfg ec = {};
	struct nhrp_inflight_id id;
	const struct nhrp_cie *cie;
	struct nhrp_entry *e;
	__be32 dst, back;
	bool ours;

	res_id_from(&id, pkt);
	ours = nhrp_addr_is_own_key(m->dev, &id.src);
	ec.key = id.dst;
	if (!nhrp_inflight_take(&m->inflight, &id, saddr, &back) ||
	    ours != !back) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}
	if (!ours) {
		/*
		 * A hub passing an answer back to where the request came
		 * from.  The authentication extension was checked on
		 * receipt against our secret, the one we would write: the
		 * packet goes on with it as it is.
		 */
		nhrp_tx_forward(m, pkt, back);
		return;
	}

	if (!nhrp_rank_from_nhs(m, saddr) || !pkt->ncies) {
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

	e = nhrp_cache_lookup(&m->cache, &ec.key);
	type = e ? READ_ONCE(e->type) : MGRE_ENTRY_STATIC;
	if (!e || nhrp_res_protected(e) ||
	    (type != MGRE_ENTRY_INCOMPLETE && type != MGRE_ENTRY_RESOLVED &&
	     type != MGRE_ENTRY_NEGATIVE)) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
		return;
	}

	if (cie->code == NHRP_CODE_SUCCESS && cie->nbma_len == NHRP_NBMA_LEN) {
		ec.nbma = nhrp_addr(cie->nbma);
		ec.type = MGRE_ENTRY_RESOLVED;
		ec.holdtime = cie->holdtime ?: READ_ONCE(m->parms.holdtime);
	} else {
		/*
		 * A second NHS asked after the first stayed silent may say
		 * no after the first said yes: a fresh answer stands.
		 */
		unsigned long updated = READ_ONCE(e->updated);

		if (type == MGRE_ENTRY_RESOLVED &&
		    time_in_range(jiffies, updated,
				  updated + NHRP_INFLIGHT_SECS * HZ)) {
			nhrp_drop(m, MGRE_NHRP_DROP_UNEXPECTED);
			return;
		}
		/* Traffic keeps going through the hub meanwhile. */
		ec.type = MGRE_ENTRY_NEGATIVE;
		ec.holdtime = clamp_t(u16, cie->holdtime, 1, NHRP_NEGATIVE_SECS);
	}
	nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
}

/*
 * A request one NHS leaves unanswered this long goes again through the
 * next NHS that is up: a hub that died is declared down only after its
 * registration timeout, and spoke-to-spoke traffic to a new peer must
 * not wait for that.  Half a second: a hub answers for its registered
 * spokes itself, in one round trip; both ends of a new flow may have to
 * ask again (the target resolves the asker when its first packet comes),
 * and the first answer is to come within 2 s of a hub's death.
 */
#define NHRP_RES_RETRY_AFTER	(HZ / 2)
#define NHRP_RES_RETRY_POLL	(HZ / 10)

/*
 * Any context; never once nhrp_res_stop() has begun.  @again: the work
 * itself, which sets its next run; otherwise a pending run stands (it
 * polls while requests wait).
 */
static void nhrp_res_retry_arm(struct mgre_dev *m, unsigned long delay,
			       bool again)
{
	spin_lock_bh(&m->res_retry_lock);
	if (!m->res_retry_off) {
		if (again)
			mod_delayed_work(system_wq, &m->res_retry, delay);
		else
			queue_delayed_work(system_wq, &m->res_retry, delay);
	}
	spin_unlock_bh(&m->res_retry_lock);
}

/*
 * @first: our own first request for @dst, to ask again through another
 * NHS if this one leaves it unanswered.  Return: whether it was sent.
 */
static bool nhrp_send_resolution(struct mgre_dev *m,
				 const struct mgre_nhrp_cfg *cfg, __be32 nhs,
				 const struct nhrp_key *dst, bool first)
{
	struct nhrp_inflight_id id = { .dst = *dst };
	bool retry = first && cfg->n_nhs > 1;

	if (!nhrp_addr_own_key(m->dev, dst->family, &id.src))
		return false;
	id.reqid = nhrp_tx_reqid();
	/* Its answer must carry all of id and come from nhs. */
	nhrp_inflight_add(&m->inflight, &id, nhs, 0,
			  retry ? NHRP_INFLIGHT_RETRY : 0);
	if (!nhrp_tx_resolution_request(m, cfg, nhs, &id.src, dst,
					NHRP_HOPCNT, id.reqid))
		return false;
	if (retry)
		nhrp_res_retry_arm(m, NHRP_RES_RETRY_AFTER, false);
	return true;
}

static void nhrp_res_retry_work(struct work_struct *work)
{
	struct mgre_dev *m = container_of(to_delayed_work(work),
					  struct mgre_dev, res_retry);
	struct nhrp_inflight_due due[8];
	const struct mgre_nhrp_cfg *cfg;
	unsigned int i, n;
	bool pending;
	__be32 nhs;

	n = nhrp_inflight_due(&m->inflight, NHRP_RES_RETRY_AFTER, due,
			      ARRAY_SIZE(due), &pending);
	rcu_read_lock_bh();
	cfg = rcu_dereference_bh(m->nhrp_cfg);
	for (i = 0; cfg && cfg->network_id && i < n; i++) {
		nhs = nhrp_rank_next(m, cfg, due[i].to);
		if (nhs && nhrp_send_resolution(m, cfg, nhs, &due[i].id.dst,
						false))
			mgre_count(m, MGRE_STATS_A_RES_RETRIED);
	}
	rcu_read_unlock_bh();
	if (n == ARRAY_SIZE(due))
		nhrp_res_retry_arm(m, 0, true);	/* more may be due now */
	else if (pending)
		nhrp_res_retry_arm(m, NHRP_RES_RETRY_POLL, true);
}

/**
 * nhrp_res_init() - set up the retry of unanswered resolutions
 * @m: the device
 *
 * ndo_init.
 */
void nhrp_res_init(struct mgre_dev *m)
{
	INIT_DELAYED_WORK(&m->res_retry, nhrp_res_retry_work);
	spin_lock_init(&m->res_retry_lock);
	m->res_retry_off = false;
}

/**
 * nhrp_res_stop() - stop the retry of unanswered resolutions for good
 * @m: the device
 *
 * ndo_uninit, process context: the work is not armed again once this
 * returns, nor running.
 */
void nhrp_res_stop(struct mgre_dev *m)
{
	spin_lock_bh(&m->res_retry_lock);
	m->res_retry_off = true;
	spin_unlock_bh(&m->res_retry_lock);
	cancel_delayed_work_sync(&m->res_retry);
}

/* Start resolving dst: an incomplete entry stops repeats until it expires. */
static int nhrp_start_resolution(struct mgre_dev *m,
				 const struct mgre_nhrp_cfg *cfg, __be32 nhs,
				 const struct nhrp_key *dst, bool have_entry,
				 bool first)
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
	nhrp_send_resolution(m, cfg, nhs, dst, first);
	return 0;
}

/**
 * nhrp_res_tx_miss() - transmit found no usable entry for a next hop
 * @m: the device
 * @key: the next hop
 * @e: its unusable entry, or NULL
 *
 * Under rcu_read_lock_bh().  Starts a resolution for a unicast next hop
 * with no entry yet.
 *
 * Return: the NBMA address of the NHS to send the packet through, or 0 to
 * drop it.
 */
__be32 nhrp_res_tx_miss(struct mgre_dev *m, const struct nhrp_key *key,
			struct nhrp_entry *e)
{
	const struct mgre_nhrp_cfg *cfg = rcu_dereference_bh(m->nhrp_cfg);
	__be32 nhs;

	if (!cfg || !cfg->network_id)
		return 0;
	nhs = nhrp_rank_pick(m, cfg);
	if (!nhs)
		return 0;
	/* Unicast next hops are resolved; the rest rides the hub. */
	if (!e && nhrp_addr_unicast(key))
		nhrp_start_resolution(m, cfg, nhs, key, false, true);
	return nhs;
}

/**
 * nhrp_res_tx_refresh() - a resolved entry in use nears its expiry
 * @m: the device
 * @e: the entry
 *
 * Under rcu_read_lock_bh(): ask again, once, through an NHS.
 */
void nhrp_res_tx_refresh(struct mgre_dev *m, struct nhrp_entry *e)
{
	const struct mgre_nhrp_cfg *cfg = rcu_dereference_bh(m->nhrp_cfg);
	struct nhrp_key addr;
	__be32 nhs;

	if (!cfg || !cfg->network_id ||
	    test_bit(NHRP_EB_REFRESHING, &e->ebits))
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
	nhs = nhrp_rank_pick(m, cfg);
	if (!nhs)
		return;
	/* Once per entry and update, whichever CPU gets here first. */
	if (test_and_set_bit(NHRP_EB_REFRESHING, &e->ebits))
		return;
	if (__ratelimit(&m->rl_resolve))
		nhrp_send_resolution(m, cfg, nhs, &addr, true);
}

/**
 * nhrp_res_resolve() - resolve an address now (the operator asked)
 * @m: the device
 * @key: the protocol address
 *
 * Process context.
 *
 * Return: 0, -EOPNOTSUPP (NHRP off), -ENOTCONN (no NHS), -EEXIST (a static
 * or registered entry), -EBUSY (rate-limited) or a cache error.
 */
int nhrp_res_resolve(struct mgre_dev *m, const struct nhrp_key *key)
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
	nhs = nhrp_rank_pick(m, cfg);
	if (!nhs)
		goto out;
	rcu_read_lock();
	e = nhrp_cache_lookup(&m->cache, key);
	if (e && READ_ONCE(e->type) != MGRE_ENTRY_RESOLVED &&
	    READ_ONCE(e->type) != MGRE_ENTRY_NEGATIVE &&
	    READ_ONCE(e->type) != MGRE_ENTRY_INCOMPLETE)
		err = -EEXIST;
	else
		err = nhrp_start_resolution(m, cfg, nhs, key, e, true);
	rcu_read_unlock();
out:
	rcu_read_unlock_bh();
	return err;
}

/**
 * nhrp_res_traffic_indication() - an NHS redirected one of our packets (phase 3)
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 *
 * Softirq.  With "shortcut on", resolve the packet's destination through
 * that NHS: the router in front of the destination answers, and the answer
 * becomes a shortcut.  What we already know or are asking about is left
 * alone, so the indications that follow ours while the answer travels cost
 * nothing.
 */
void nhrp_res_traffic_indication(struct mgre_dev *m,
				 const struct mgre_nhrp_cfg *cfg,
				   const struct nhrp_packet *pkt, __be32 saddr)
{
	struct nhrp_key key;
	bool known;
	__be32 dst;

	if (!cfg->n_nhs || !nhrp_rank_from_nhs(m, saddr) ||
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
	if (!nhrp_addr_unicast4(dst) || nhrp_addr_is_own4(m->dev, dst)) {
		nhrp_drop(m, MGRE_NHRP_DROP_UNSUPPORTED);
		return;
	}
	nhrp_key_init4(&key, dst);
	rcu_read_lock();
	known = nhrp_cache_lookup(&m->cache, &key) ||
		nhrp_cache_lookup_prefix(&m->cache, &key);
	rcu_read_unlock();
	if (!known)
		/* Asked of the NHS that just spoke to us: no retry. */
		nhrp_start_resolution(m, cfg, saddr, &key, false, false);
}
