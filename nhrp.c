// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP engine's front: what an mgre device does with NHRP.  Received
 * packets are parsed, authenticated and dispatched by type to the hub
 * role (nhs.c), the spoke role (nhc.c) or resolution (nhrp_res.c); the
 * per-device configuration is swapped under RTNL and read under RCU; the
 * counters are summed here.
 */

#include <linux/skbuff.h>

#include "nhrp.h"
#include "nhc.h"
#include "nhrp_addr.h"
#include "nhs.h"
#include "nhrp_res.h"
#include "nhrp_tx.h"

/* Parse errors count as drops under the same numbers. */
static_assert((int)MGRE_NHRP_DROP_HOPCNT_ZERO == (int)NHRP_PARSE_HOPCNT_ZERO);

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

/**
 * mgre_nhrp_rcv() - an NHRP packet arrived
 * @m: the device
 * @skb: the NHRP packet, consumed
 * @saddr: outer source address: the sender's NBMA address
 * @daddr: outer destination address: our NBMA address it came to
 *
 * Softirq, under rcu_read_lock(), the GRE header already pulled.  Parses,
 * counts, authenticates and dispatches @skb by type; consumes it.
 */
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
			nhrp_tx_error(m, skb->data, skb->len, &pkt,
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
	/*
	 * Everything is authenticated when the device has a secret, Error
	 * Indications too (REVIEW.md item 10: one about our registration
	 * marks the NHS failed, so an unauthenticated one would let anyone
	 * keep an NHS down).  FRR lets code 11 through unauthenticated, to
	 * log it; here it is dropped like the rest and counted as auth,
	 * which is where a secret that differs shows either way.  RFC 2332
	 * gives Error Indications no extensions, so with a secret only a
	 * peer that authenticates them anyway is heard; the rest fail an
	 * NHS by its timeout instead.  Never answered: nhrp_tx_error() says
	 * nothing about an Error Indication.
	 */
	if (!nhrp_auth_ok(cfg, &pkt)) {
		nhrp_drop(m, MGRE_NHRP_DROP_AUTH);
		nhrp_tx_error(m, skb->data, skb->len, &pkt,
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
		nhrp_nhs_registration_request(m, cfg, &pkt, saddr, daddr);
		break;
	case NHRP_REGISTRATION_REPLY:
		nhrp_nhc_registration_reply(m, &pkt, saddr);
		break;
	case NHRP_RESOLUTION_REQUEST:
		nhrp_res_request(m, cfg, &pkt, saddr, daddr);
		break;
	case NHRP_RESOLUTION_REPLY:
		/* The hub's question to a contested address's holder. */
		if (!nhrp_nhs_probe_reply(m, &pkt, saddr))
			nhrp_res_reply(m, &pkt, saddr);
		break;
	case NHRP_PURGE_REQUEST:
		nhrp_nhs_purge_request(m, cfg, &pkt, saddr);
		break;
	case NHRP_ERROR_INDICATION:
		nhrp_nhc_error_indication(m, &pkt, saddr);
		break;
	case NHRP_TRAFFIC_INDICATION:
		nhrp_res_traffic_indication(m, cfg, &pkt, saddr);
		break;
	case NHRP_PURGE_REPLY:
		/* Counted; nothing waits for them. */
		break;
	}
out:
	kfree_skb(skb);
}

/**
 * mgre_nhrp_init() - set up the engine of a new device
 * @m: the device
 *
 * ndo_init: counters, the table of requests in flight, NHS slots and
 * rate limits.
 *
 * Return: 0 or -ENOMEM.
 */
int mgre_nhrp_init(struct mgre_dev *m)
{
	m->nhrp_stats = alloc_percpu(struct mgre_nhrp_pcpu_stats);
	if (!m->nhrp_stats)
		return -ENOMEM;
	if (nhrp_inflight_init(&m->inflight)) {
		free_percpu(m->nhrp_stats);
		return -ENOMEM;
	}
	nhrp_nhc_init(m);
	nhrp_res_init(m);
	spin_lock_init(&m->probe_lock);
	m->probe_seed = get_random_u32();
	ratelimit_state_init(&m->rl_probe, HZ, MGRE_PROBE_RATE);
	ratelimit_set_flags(&m->rl_probe, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&m->rl_resolve, HZ, 100);
	ratelimit_set_flags(&m->rl_resolve, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&m->rl_error, HZ, 10);
	ratelimit_set_flags(&m->rl_error, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&m->rl_redirect, HZ, MGRE_REDIRECT_RATE);
	ratelimit_set_flags(&m->rl_redirect, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

/**
 * mgre_nhrp_uninit() - stop the engine's work
 * @m: the device
 *
 * ndo_uninit: no work may run or be queued after this.
 */
void mgre_nhrp_uninit(struct mgre_dev *m)
{
	nhrp_nhc_stop_all(m);
	nhrp_res_stop(m);
}

/**
 * mgre_nhrp_free() - free what the engine holds
 * @m: the device
 *
 * After the last reference to the device.
 */
void mgre_nhrp_free(struct mgre_dev *m)
{
	kfree(rcu_dereference_protected(m->nhrp_cfg, true));
	nhrp_inflight_free(&m->inflight);
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

/**
 * mgre_nhrp_set_cfg() - put a new NHRP configuration in force
 * @m: the device
 * @cfg: the new configuration, or NULL
 *
 * Under RTNL; takes ownership of @cfg.  Registration restarts only when the
 * NHSs or the network id changed.
 */
void mgre_nhrp_set_cfg(struct mgre_dev *m, struct mgre_nhrp_cfg *cfg)
{
	struct mgre_nhrp_cfg *old = rtnl_dereference(m->nhrp_cfg);
	bool restart = !nhrp_cfg_same_nhs(old, cfg);

	if (restart)
		nhrp_nhc_stop_all(m);
	rcu_assign_pointer(m->nhrp_cfg, cfg);
	if (old)
		kfree_rcu(old, rcu);
	if (restart && cfg && cfg->network_id)
		nhrp_nhc_start_all(m, cfg);
}

/**
 * mgre_nhrp_mcast_update() - the multicast parameters changed
 * @m: the device
 *
 * Under RTNL: flag or unflag the entries they cover now rather than at each
 * one's next registration.
 */
void mgre_nhrp_mcast_update(struct mgre_dev *m)
{
	nhrp_nhs_mcast_update(m);
	nhrp_rank_mcast_update(m);
}

/**
 * mgre_nhrp_open() - the link came up
 * @m: the device
 *
 * Under RTNL: the client side starts registering.
 */
void mgre_nhrp_open(struct mgre_dev *m)
{
	nhrp_nhc_open(m);
}

/**
 * mgre_nhrp_stop() - the link goes down
 * @m: the device
 *
 * Under RTNL: our NHSs are told to forget us and the client side stops.
 */
void mgre_nhrp_stop(struct mgre_dev *m)
{
	nhrp_nhc_stop(m);
}
