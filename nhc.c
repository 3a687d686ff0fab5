// SPDX-License-Identifier: GPL-2.0
/*
 * The spoke (NHC) role: one registration state machine per configured
 * NHS, run from a delayed work each: registered, it renews 3 s before the
 * registration timeout (a third of the holdtime by default), sends an
 * unanswered renewal again at 1 s and 2 s and declares the NHS down at 3 s;
 * down, it backs off 1 s doubling to 64 s.  Registration Replies and Error
 * Indications about our requests; purges when the link goes down.
 *
 * The NHS slots are guarded by mgre_dev.nhs_lock (taken plain in
 * softirq and in the work, which runs with bottom halves off, and with
 * _bh elsewhere).  State changes are raised as events after the lock is
 * dropped.
 */

#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "nhc.h"
#include "nhc_rank.h"
#include "nhrp_addr.h"
#include "nhrp_tx.h"

#define NHRP_REG_HOPCNT		1	/* registrations go to the next hop */
#define NHRP_BACKOFF_MAX	64	/* seconds */
#define NHC_REXMITS		2	/* a renewal is sent again twice */
#define NHC_WINDOW		(3 * HZ)	/* for a renewal, at most */

/*
 * The registration timeout, in jiffies: an NHS that answers nothing is
 * declared down this long after its last answer.  At most the holdtime
 * (ours, or the shorter one the NHS granted: a hub may cut it), a third
 * of it by default.
 */
static unsigned long nhc_timeout(const struct mgre_dev *m,
				 const struct mgre_nhs *nhs)
{
	unsigned long holdtime = READ_ONCE(m->parms.holdtime);
	unsigned long t = READ_ONCE(m->parms.reg_timeout) * HZ;

	if (nhs->granted && nhs->granted < holdtime)
		holdtime = nhs->granted;
	if (!t)
		t = holdtime * HZ / 3;
	return clamp_t(unsigned long, t, HZ, holdtime * HZ);
}

/* For the renewal and its two retransmissions: 3 s, half a short timeout. */
static unsigned long nhc_window(const struct mgre_dev *m,
				const struct mgre_nhs *nhs)
{
	return min_t(unsigned long, NHC_WINDOW, nhc_timeout(m, nhs) / 2);
}

/* From an answer to the next renewal. */
static unsigned long nhc_renew(const struct mgre_dev *m,
			       const struct mgre_nhs *nhs)
{
	return nhc_timeout(m, nhs) - nhc_window(m, nhs);
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
	nhrp_tx_put_request_exts(&tx.b, cfg);
	nhrp_tx_end(m, &tx, NHRP_REGISTRATION_REQUEST, nhrp_tx_ttl(m));
}

#define NHC_MOVED_PEERS		64	/* peers told of a move, at most */
#define NHC_MOVED_SCAN		4096	/* cache entries looked at for them */

/*
 * Our NBMA address changed and an NHS took the new one.  The peers we
 * talk to directly have our old address resolved: tell each, from the
 * new address, to forget our mapping (a node may withdraw its own, see
 * nhrp_nhs_purge_request()); they resolve us again through the NHS,
 * which has the new one.  The peers are those we have resolved: traffic
 * goes both ways.  Softirq.
 */
static void nhc_tell_peers(struct mgre_dev *m)
{
	const struct mgre_nhrp_cfg *cfg;
	__be32 peers[NHC_MOVED_PEERS], nbma;
	unsigned int n = 0, i, f, seen = 0;
	struct nhrp_key own[2];
	unsigned long id = 0;
	struct nhrp_entry *e;
	bool have[2];

	rcu_read_lock_bh();
	cfg = rcu_dereference_bh(m->nhrp_cfg);
	if (!cfg)
		goto out;
	while (n < NHC_MOVED_PEERS && seen++ < NHC_MOVED_SCAN &&
	       (e = nhrp_cache_next(&m->cache, &id))) {
		id++;
		nbma = READ_ONCE(e->nbma);
		if (READ_ONCE(e->type) != MGRE_ENTRY_RESOLVED || !nbma ||
		    nhrp_rank_from_nhs(m, nbma))
			continue;
		for (i = 0; i < n && peers[i] != nbma; i++)
			;
		if (i == n)
			peers[n++] = nbma;
	}
	have[0] = nhrp_addr_own_key(m->dev, AF_INET, &own[0]);
	have[1] = nhrp_addr_own_key(m->dev, AF_INET6, &own[1]);
	for (i = 0; i < n; i++)
		for (f = 0; f < 2; f++)
			if (have[f])
				nhrp_tx_purge_request(m, cfg, peers[i],
						      &own[f], &own[f]);
out:
	rcu_read_unlock_bh();
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
	info->priority = nhs->priority;
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
	nhs->probing = true;
	if (old == MGRE_NHS_UP)
		nhs_event_set(ev, nhs, MGRE_CMD_EVT_NHS_DOWN);
}

/* What a new plan (nhc_rank.c) changed, to report once nhs_lock is dropped. */
struct nhc_changes {
	struct nhs_event ev[MGRE_MAX_NHS];
	struct nhrp_rank_plan plan;
};

/* Under nhs_lock: start and let go NHSs (nhc_rank.c); events for those let go. */
static void nhc_replan(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		       struct nhc_changes *chg)
{
	unsigned int i;

	nhrp_rank_apply(m, cfg, &chg->plan);
	for (i = 0; i < MGRE_MAX_NHS; i++)
		if (chg->plan.release & BIT(i))
			nhs_event_set(&chg->ev[i], &m->nhs[i],
				      MGRE_CMD_EVT_NHS_DOWN);
}

/* Without nhs_lock, under RCU: report what nhc_replan() changed. */
static void nhc_changed(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
			const struct nhc_changes *chg)
{
	unsigned int i;

	for (i = 0; i < MGRE_MAX_NHS; i++)
		nhs_event_raise(m, &chg->ev[i]);
	nhrp_rank_purge(m, cfg, chg->plan.n, chg->plan.nbma, chg->plan.dst);
}

static void nhs_work(struct work_struct *work)
{
	struct mgre_nhs *nhs = container_of(to_delayed_work(work),
					    struct mgre_nhs, work);
	struct mgre_dev *m = nhs->m;
	const struct mgre_nhrp_cfg *cfg;
	struct nhc_changes chg = { };
	struct nhs_event ev = { };
	struct nhrp_key own, own2;
	bool have, have2, rexmit = false;
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
	have = nhrp_addr_own_key(m->dev, AF_INET, &own);
	have2 = nhrp_addr_own_key(m->dev, AF_INET6, &own2);
	if (!have && have2) {
		own = own2;
		have = true;
		have2 = false;
	}
	spin_lock(&m->nhs_lock);
	if (!nhs->active || nhs->state == MGRE_NHS_STANDBY) {
		spin_unlock(&m->nhs_lock);
		goto out;
	}
	if (nhs->waiting && nhs->state == MGRE_NHS_UP &&
	    nhs->rexmits < NHC_REXMITS && have) {
		/*
		 * A renewal unanswered: the same request again (any of
		 * them answered will do), before declaring the NHS down
		 * at the end of the window.
		 */
		nhs->rexmits++;
		rexmit = true;
		reqid = nhs->reqid;
		reqid2 = have2 ? nhs->reqid2 : 0;
		delay = nhc_window(m, nhs) / (NHC_REXMITS + 1);
		goto send;
	}
	if (nhs->waiting)
		nhs_failed(nhs, &ev);
	/* One failed, or the fallback time is up: maybe this one goes. */
	nhc_replan(m, cfg, &chg);
	if (nhs->state == MGRE_NHS_STANDBY) {
		spin_unlock(&m->nhs_lock);
		nhs_event_raise(m, &ev);
		nhc_changed(m, cfg, &chg);
		goto out;
	}
	if (!have) {
		/* No tunnel address yet: look again shortly. */
		delay = HZ;
		nhs->next = jiffies + delay;
		spin_unlock(&m->nhs_lock);
		nhs_event_raise(m, &ev);
		nhc_changed(m, cfg, &chg);
		mod_delayed_work(system_wq, &nhs->work, delay);
		goto out;
	}
	if (nhs->state != MGRE_NHS_UP) {
		if (nhs->state == MGRE_NHS_DOWN && !nhs->failures)
			nhs->state = MGRE_NHS_REGISTERING;
		/* Wait this long for an answer before trying again. */
		delay = (nhs->backoff ?: 1) * HZ;
	} else {
		/* Renewing: answered, or sent again, within the window. */
		delay = nhc_window(m, nhs) / (NHC_REXMITS + 1);
	}
	reqid = nhrp_tx_reqid();
	nhs->reqid = reqid;
	nhs->waiting = true;
	nhs->rexmits = 0;
	if (have2)
		reqid2 = nhrp_tx_reqid();
	nhs->reqid2 = reqid2;
	nhs->sent = jiffies;
send:
	nhs->next = jiffies + delay;
	/* Armed before the answer can come, which arms it for the renewal. */
	mod_delayed_work(system_wq, &nhs->work, delay);
	spin_unlock(&m->nhs_lock);
	nhs_event_raise(m, &ev);
	nhc_changed(m, cfg, &chg);

	if (rexmit)
		mgre_count(m, MGRE_STATS_A_REG_RETRANSMITS);
	nhc_send_registration(m, cfg, nhs, &own, reqid);
	if (reqid2)
		nhc_send_registration(m, cfg, nhs, &own2, reqid2);
out:
	rcu_read_unlock_bh();
}

/**
 * nhrp_nhc_registration_reply() - an NHS answered one of our Registration Requests
 * @m: the device
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 *
 * Softirq.  Success brings the NHS up and schedules the renewal, a refusal
 * counts as a failure and backs off.  Either family's answer installs the
 * NHS's own mapping, reachable directly.
 */
void nhrp_nhc_registration_reply(struct mgre_dev *m,
				 const struct nhrp_packet *pkt, __be32 saddr)
{
	struct nhrp_entry_cfg ec = {
		.type = MGRE_ENTRY_RESOLVED,
		.flags = MGRE_ENTRY_F_ROUTER,
	};
	const struct mgre_nhrp_cfg *cfg = rcu_dereference_bh(m->nhrp_cfg);
	u8 family = nhrp_pkt_family(pkt);
	struct mgre_nhs *nhs = NULL, *n;
	struct nhc_changes chg = { };
	struct nhs_event ev = { };
	struct nhrp_key learnt = { };
	bool second = false, up, moved = false;
	__be32 src;
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
		if (!n->waiting && n->reqid == pkt->reqid) {
			/* A retransmission's answer, after the first. */
			spin_unlock(&m->nhs_lock);
			return;
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
		nhs->probing = false;
		nhs->backoff = 0;
		nhs->registrations++;
		nhs->last_reply = jiffies;
		/* Which copy was answered is unknown after a retransmission. */
		if (!nhs->rexmits)
			nhs->rtt_ms = jiffies_to_msecs(jiffies - nhs->sent);
		/* The source we sent from, as the reply repeats it. */
		src = nhrp_addr(pkt->src_nbma);
		if (nhs->reg_src != src) {
			moved = nhs->reg_src != 0;
			nhs->reg_src = src;
		}
		/* A dynamic NHS tells us who it is (FRR does the same). */
		nhrp_key_from(&learnt, family, pkt->dst_proto);
		if (family == AF_INET) {
			nhs->learnt = learnt.addr.v4;
			if (nhs->proto)
				learnt.addr.v4 = nhs->proto;
		}
		nhs->granted = pkt->cies[0].holdtime;
		nhs->next = jiffies + nhc_renew(m, nhs);
		mod_delayed_work(system_wq, &nhs->work, nhc_renew(m, nhs));
		if (up)
			nhs_event_set(&ev, nhs, MGRE_CMD_EVT_NHS_UP);
	} else {
		/* Refused (e.g. 14: someone else holds our address). */
		nhs_failed(nhs, &ev);
		nhs->next = jiffies + nhs->backoff * HZ;
		mod_delayed_work(system_wq, &nhs->work, nhs->backoff * HZ);
	}
	/* Up again, or refused: maybe another starts, or goes. */
	nhc_replan(m, cfg, &chg);
	spin_unlock(&m->nhs_lock);
	nhs_event_raise(m, &ev);
	nhc_changed(m, cfg, &chg);
	if (moved)
		nhc_tell_peers(m);

map:
	/* The hub's own tunnel address is reachable directly. */
	if (learnt.family && nhrp_addr_unicast(&learnt)) {
		if (READ_ONCE(m->parms.mcast_nhs) &&
		    nhrp_addr_mcast_family(m, family))
			ec.flags |= MGRE_ENTRY_F_MULTICAST;
		ec.key = learnt;
		ec.nbma = saddr;
		ec.holdtime = READ_ONCE(m->parms.holdtime);
		nhrp_cache_add(&m->cache, &ec, NHRP_ADD_LEARN, GFP_ATOMIC);
	}
}

/**
 * nhrp_nhc_error_indication() - an Error Indication arrived
 * @m: the device
 * @pkt: the parsed NHRP packet
 * @saddr: outer source address: the sender's NBMA address
 *
 * Softirq.  One about a Registration Request of ours counts as a refusal of
 * it.
 */
void nhrp_nhc_error_indication(struct mgre_dev *m,
			       const struct nhrp_packet *pkt, __be32 saddr)
{
	const struct mgre_nhrp_cfg *cfg = rcu_dereference_bh(m->nhrp_cfg);
	struct nhs_event ev[MGRE_MAX_NHS] = { };
	struct nhc_changes chg = { };
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
	nhc_replan(m, cfg, &chg);
	spin_unlock(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++)
		nhs_event_raise(m, &ev[i]);
	nhc_changed(m, cfg, &chg);
}

/* Under RTNL, with every NHS work stopped. */
static void nhs_reset_slots(struct mgre_dev *m,
			    const struct mgre_nhrp_cfg *cfg)
{
	unsigned int i, standby = cfg ? nhrp_rank_standby(m, cfg) : 0;

	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		struct mgre_nhs *nhs = &m->nhs[i];

		nhs->active = cfg && i < cfg->n_nhs;
		nhs->proto = nhs->active ? cfg->nhs[i].proto : 0;
		nhs->nbma = nhs->active ? cfg->nhs[i].nbma : 0;
		nhs->priority = nhs->active ? cfg->nhs[i].priority : 0;
		nhs->learnt = 0;
		nhs->reg_src = 0;
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
		nhs->probing = false;
		if (cfg && (standby & BIT(i)))
			nhs->state = MGRE_NHS_STANDBY;
	}
	m->nhs_surplus = 0;
	spin_unlock_bh(&m->nhs_lock);
}

static void nhrp_nhc_cancel(struct mgre_dev *m)
{
	unsigned int i;

	for (i = 0; i < MGRE_MAX_NHS; i++)
		cancel_delayed_work_sync(&m->nhs[i].work);
}

/**
 * nhrp_nhc_open() - the link came up: start registering with every NHS
 * @m: the device
 *
 * Under RTNL.
 */
void nhrp_nhc_open(struct mgre_dev *m)
{
	const struct mgre_nhrp_cfg *cfg = rtnl_dereference(m->nhrp_cfg);
	unsigned int i, standby = cfg ? nhrp_rank_standby(m, cfg) : 0;
	struct mgre_nhs *nhs;

	if (!netif_running(m->dev))
		return;
	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		nhs = &m->nhs[i];
		if (!nhs->active || nhs->state == MGRE_NHS_UP)
			continue;
		/* max-connections may have changed while the link was down. */
		nhs->state = standby & BIT(i) ? MGRE_NHS_STANDBY :
						MGRE_NHS_DOWN;
		if (nhs->state != MGRE_NHS_STANDBY)
			mod_delayed_work(system_wq, &nhs->work, 0);
	}
	spin_unlock_bh(&m->nhs_lock);
}

/**
 * nhrp_nhc_kick() - an underlay or tunnel address came or went: register now
 * @m: the device
 *
 * Any context but hard interrupts.  Every NHS gets a Registration Request
 * at once, from the source the route now picks and for the tunnel
 * addresses the device now has, instead of at its renewal or after its
 * backoff (up to 64 s): a spoke whose address changed tells its hubs
 * within a round trip.  A request still unanswered is not counted as the
 * NHS's failure: the new one replaces it.  A device being deleted is
 * down, or its slots inactive, so nothing is queued after
 * nhrp_nhc_stop_all().
 */
void nhrp_nhc_kick(struct mgre_dev *m)
{
	const struct mgre_nhrp_cfg *cfg;
	struct nhc_changes chg = { };
	unsigned int i;

	if (!netif_running(m->dev))
		return;
	rcu_read_lock_bh();
	cfg = rcu_dereference_bh(m->nhrp_cfg);
	spin_lock(&m->nhs_lock);
	/* max-connections or the fallback time may have changed. */
	nhc_replan(m, cfg, &chg);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		struct mgre_nhs *nhs = &m->nhs[i];

		if (!nhs->active || nhs->state == MGRE_NHS_STANDBY)
			continue;
		nhs->waiting = false;
		nhs->backoff = 0;
		mod_delayed_work(system_wq, &nhs->work, 0);
	}
	spin_unlock(&m->nhs_lock);
	nhc_changed(m, cfg, &chg);
	rcu_read_unlock_bh();
}

/**
 * nhrp_nhc_nhs_info() - a copy of one NHS's client state
 * @m: the device
 * @i: the NHS slot, below MGRE_MAX_NHS
 * @info: filled when the slot is in use
 *
 * Any context but hard interrupts; takes the NHS lock with bottom halves
 * off.
 *
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

/**
 * nhrp_nhc_init() - set up the NHS slots of a new device
 * @m: the device, not yet registered
 */
void nhrp_nhc_init(struct mgre_dev *m)
{
	unsigned int i;

	spin_lock_init(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		m->nhs[i].m = m;
		INIT_DELAYED_WORK(&m->nhs[i].work, nhs_work);
	}
}

/**
 * nhrp_nhc_stop_all() - forget every NHS and stop its work
 * @m: the device
 *
 * Under RTNL (or ndo_uninit): no NHS work runs or is queued after this.
 */
void nhrp_nhc_stop_all(struct mgre_dev *m)
{
	unsigned int i;

	/* Inactive first (nothing queues a work for an inactive slot),
	 * then the works stopped, then the slots cleared: cleared under a
	 * running work, one would register with 0.0.0.0 (REVIEW.md 11).
	 */
	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++)
		m->nhs[i].active = false;
	spin_unlock_bh(&m->nhs_lock);
	nhrp_nhc_cancel(m);
	nhs_reset_slots(m, NULL);
}

/**
 * nhrp_nhc_start_all() - take the NHSs of a new configuration
 * @m: the device, its NHS work stopped (nhrp_nhc_stop_all())
 * @cfg: the configuration now in force
 *
 * Under RTNL.  Registration starts at once if the device is up.
 */
void nhrp_nhc_start_all(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg)
{
	nhs_reset_slots(m, cfg);
	nhrp_nhc_open(m);
}

/**
 * nhrp_nhc_stop() - link down: purge our registrations, stop registering
 * @m: the device
 *
 * Under RTNL.  Every NHS we were registered with gets a Purge Request
 * (no reply wanted) so that it forgets us now, not at our holdtime.
 */
void nhrp_nhc_stop(struct mgre_dev *m)
{
	const struct mgre_nhrp_cfg *cfg = rtnl_dereference(m->nhrp_cfg);
	unsigned int i, n = 0, standby = cfg ? nhrp_rank_standby(m, cfg) : 0;
	__be32 nbma[MGRE_MAX_NHS], dst[MGRE_MAX_NHS];
	struct nhs_event ev[MGRE_MAX_NHS] = { };

	nhrp_nhc_cancel(m);
	spin_lock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		struct mgre_nhs *nhs = &m->nhs[i];

		if (nhs->active && nhs->state == MGRE_NHS_UP) {
			nbma[n] = nhs->nbma;
			dst[n++] = nhs->proto ?: nhs->learnt;
			nhs_event_set(&ev[i], nhs, MGRE_CMD_EVT_NHS_DOWN);
		}
		/* Back up, the best ranked start again. */
		nhs->state = standby & BIT(i) ? MGRE_NHS_STANDBY :
						MGRE_NHS_DOWN;
		nhs->probing = false;
		nhs->waiting = false;
		nhs->backoff = 0;
	}
	m->nhs_surplus = 0;
	spin_unlock_bh(&m->nhs_lock);
	for (i = 0; i < MGRE_MAX_NHS; i++)
		nhs_event_raise(m, &ev[i]);
	rcu_read_lock_bh();
	nhrp_rank_purge(m, cfg, n, nbma, dst);
	rcu_read_unlock_bh();
}
