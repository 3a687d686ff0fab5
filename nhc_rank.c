// SPDX-License-Identifier: GPL-2.0
/*
 * Which of its NHSs a spoke uses.  They rank by priority (0 first, as
 * Cisco's "ip nhrp nhs ... priority"), then in the order configured.
 *
 * With max-connections N (0: all), at most N are in use at a time: up,
 * or registering for the first time since they started.  The others wait
 * in standby and send nothing.  One in use that is declared down is
 * retried with its backoff, so that its return is seen, but no longer
 * counts: the best in standby starts in its place.  When it answers
 * again and more than N are up, the worst ranked ones up are let go
 * (purged and put back in standby) once the surplus has lasted
 * nhs-fallback seconds (Cisco "ip nhrp nhs fallback").
 *
 * nhrp_rank_apply() plans and starts and lets go, under mgre_dev.nhs_lock;
 * nhc.c reports it and purges what was let go.  The lookups read the
 * configuration (RCU) and each slot's state once, locklessly.  Also here:
 * our NHSs' entries flagged for multicast.
 */

#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "nhc_rank.h"
#include "nhrp_addr.h"
#include "nhrp_tx.h"

/**
 * nhrp_rank_order() - the NHSs of a configuration in rank order
 * @cfg: the configuration
 * @order: filled with the first @cfg->n_nhs slot numbers, best first
 *
 * Return: @cfg->n_nhs.
 */
unsigned int nhrp_rank_order(const struct mgre_nhrp_cfg *cfg, u8 *order)
{
	unsigned int i, j;
	u8 s;

	/* Insertion sort, stable: at most MGRE_MAX_NHS slots. */
	for (i = 0; i < cfg->n_nhs; i++) {
		s = i;
		for (j = i; j > 0 &&
		     cfg->nhs[order[j - 1]].priority > cfg->nhs[s].priority; j--)
			order[j] = order[j - 1];
		order[j] = s;
	}
	return cfg->n_nhs;
}

/**
 * nhrp_rank_pick() - the NHS to send through
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 *
 * Return: the NBMA address of the best ranked registered NHS, else of the
 * best ranked one not in standby, or 0 without NHSs.
 */
__be32 nhrp_rank_pick(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg)
{
	u8 order[MGRE_MAX_NHS];
	unsigned int n, i;
	__be32 first = 0;
	u8 state;

	n = nhrp_rank_order(cfg, order);
	for (i = 0; i < n; i++) {
		state = READ_ONCE(m->nhs[order[i]].state);
		if (state == MGRE_NHS_UP)
			return cfg->nhs[order[i]].nbma;
		/* One trying since it started, rather than one down. */
		if (!first && state != MGRE_NHS_STANDBY &&
		    !READ_ONCE(m->nhs[order[i]].probing))
			first = cfg->nhs[order[i]].nbma;
	}
	return first ?: (n ? cfg->nhs[order[0]].nbma : 0);
}

/**
 * nhrp_rank_next() - another NHS to send through
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU)
 * @not: the NBMA address of the NHS not to use
 *
 * Return: the NBMA address of the best ranked registered NHS other than
 * @not, or 0 when there is none.
 */
__be32 nhrp_rank_next(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		      __be32 not)
{
	u8 order[MGRE_MAX_NHS];
	unsigned int n, i;

	n = nhrp_rank_order(cfg, order);
	for (i = 0; i < n; i++)
		if (READ_ONCE(m->nhs[order[i]].state) == MGRE_NHS_UP &&
		    cfg->nhs[order[i]].nbma != not)
			return cfg->nhs[order[i]].nbma;
	return 0;
}

/* Counts toward max-connections: up, or trying since it started. */
static bool in_use(const struct mgre_nhs *nhs)
{
	return nhs->state != MGRE_NHS_STANDBY && !nhs->probing;
}

/*
 * Under nhs_lock: the best ranked in standby start while fewer than
 * max-connections are in use; one declared down with max-connections
 * better ranked up needs no watching and parks in standby; when more than
 * max-connections are up, the worst ranked up go once the surplus has
 * lasted the fallback time, and until then plan->again says when to look
 * again (through plan->wake, the worst ranked one up).
 */
static void rank_plan(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		      struct nhrp_rank_plan *plan)
{
	unsigned int max = READ_ONCE(m->parms.nhs_max_conn);
	unsigned int n, i, used = 0, up = 0, up_better;
	u8 order[MGRE_MAX_NHS];
	unsigned long due;

	n = nhrp_rank_order(cfg, order);
	if (!max || max > n)
		max = n;
	for (i = 0; i < n; i++) {
		const struct mgre_nhs *nhs = &m->nhs[order[i]];

		if (!nhs->active)
			continue;
		used += in_use(nhs);
		up += nhs->state == MGRE_NHS_UP;
	}
	for (i = 0, up_better = 0; i < n; i++) {
		const struct mgre_nhs *nhs = &m->nhs[order[i]];

		if (!nhs->active)
			continue;
		if (nhs->state == MGRE_NHS_STANDBY && used < max) {
			plan->start |= BIT(order[i]);
			used++;
		} else if (nhs->probing && up_better >= max) {
			plan->park |= BIT(order[i]);
		}
		if (nhs->state == MGRE_NHS_UP) {
			up_better++;
			plan->wake = BIT(order[i]);
		}
	}
	if (up <= max) {
		m->nhs_surplus = 0;
		return;
	}
	if (!m->nhs_surplus)
		m->nhs_surplus = jiffies ?: 1;
	due = m->nhs_surplus + READ_ONCE(m->parms.nhs_fallback) * HZ;
	if (time_before(jiffies, due)) {
		plan->again = due;
		return;
	}
	plan->wake = 0;
	for (i = n; i-- > 0 && up > max;) {
		if (m->nhs[order[i]].active &&
		    m->nhs[order[i]].state == MGRE_NHS_UP) {
			plan->release |= BIT(order[i]);
			up--;
		}
	}
	m->nhs_surplus = 0;
}

/**
 * nhrp_rank_standby() - the slots a new configuration starts in standby
 * @m: the device
 * @cfg: the new configuration
 *
 * Return: a mask of the slots ranked below max-connections.
 */
unsigned int nhrp_rank_standby(const struct mgre_dev *m,
			       const struct mgre_nhrp_cfg *cfg)
{
	unsigned int max = READ_ONCE(m->parms.nhs_max_conn), mask = 0, n, i;
	u8 order[MGRE_MAX_NHS];

	n = nhrp_rank_order(cfg, order);
	for (i = max ? max : n; i < n; i++)
		mask |= BIT(order[i]);
	return mask;
}

/**
 * nhrp_rank_apply() - start and let go NHSs as max-connections asks
 * @m: the device; its nhs_lock held
 * @cfg: the device's NHRP configuration (RCU, or RTNL); may be NULL
 * @plan: filled: what was started and let go, and the NHSs to purge
 *
 * One started registers at once.  One let go is put in standby, its work
 * stopped; the caller purges our registration there once the lock is
 * dropped (nhrp_rank_purge()).  While a surplus waits for the fallback
 * time, the work of an NHS up is brought forward to plan again then.
 */
void nhrp_rank_apply(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		     struct nhrp_rank_plan *plan)
{
	struct mgre_nhs *nhs;
	unsigned int i;

	memset(plan, 0, sizeof(*plan));
	if (!cfg)
		return;
	rank_plan(m, cfg, plan);
	for (i = 0; i < MGRE_MAX_NHS; i++) {
		nhs = &m->nhs[i];
		if (plan->start & BIT(i)) {
			nhs->state = MGRE_NHS_REGISTERING;
			nhs->probing = false;
			nhs->waiting = false;
			nhs->backoff = 0;
			nhs->next = jiffies;
			mod_delayed_work(system_wq, &nhs->work, 0);
		} else if (plan->park & BIT(i)) {
			/* Down: nothing registered there to purge. */
			nhs->state = MGRE_NHS_STANDBY;
			nhs->probing = false;
			nhs->waiting = false;
			nhs->backoff = 0;
			nhs->next = 0;
			cancel_delayed_work(&nhs->work);
		} else if (plan->release & BIT(i)) {
			plan->nbma[plan->n] = nhs->nbma;
			plan->dst[plan->n++] = nhs->proto ?: nhs->learnt;
			nhs->state = MGRE_NHS_STANDBY;
			nhs->waiting = false;
			nhs->reqid2 = 0;
			nhs->backoff = 0;
			nhs->next = 0;
			cancel_delayed_work(&nhs->work);
		} else if (plan->again && (plan->wake & BIT(i)) &&
			   !nhs->waiting &&
			   time_before(plan->again, nhs->next)) {
			/* The one to let go plans again when it is time. */
			nhs->next = plan->again;
			mod_delayed_work(system_wq, &nhs->work,
					 time_after(plan->again, jiffies) ?
					 plan->again - jiffies : 0);
		}
	}
}

/**
 * nhrp_rank_purge() - purge our registration at NHSs
 * @m: the device
 * @cfg: the device's NHRP configuration (RCU); may be NULL
 * @n: how many
 * @nbma: their NBMA addresses
 * @dst: their tunnel addresses
 *
 * Bottom halves off, under rcu_read_lock_bh().  A Purge Request for our
 * IPv4 address, no reply wanted: each forgets us now, not at our holdtime.
 */
void nhrp_rank_purge(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		     unsigned int n, const __be32 *nbma, const __be32 *dst)
{
	struct nhrp_key key, to;
	unsigned int i;
	__be32 own;

	if (!n)
		return;
	own = nhrp_addr_own4(m->dev);
	nhrp_key_init4(&key, own);
	for (i = 0; cfg && own && i < n; i++) {
		nhrp_key_init4(&to, dst[i]);
		nhrp_tx_purge_request(m, cfg, nbma[i], &key, &to);
	}
}

/**
 * nhrp_rank_from_nhs() - whether a packet came from one of our NHSs
 * @m: the device
 * @saddr: outer source address: the sender's NBMA address
 *
 * Answers to our resolutions, and purges of what they told us, come back
 * through one of our NHSs (one in standby included).  Lockless: reads
 * each slot once.
 *
 * Return: true if @saddr is the NBMA address of a configured NHS.
 */
bool nhrp_rank_from_nhs(struct mgre_dev *m, __be32 saddr)
{
	unsigned int i;

	for (i = 0; i < MGRE_MAX_NHS; i++)
		if (READ_ONCE(m->nhs[i].active) &&
		    READ_ONCE(m->nhs[i].nbma) == saddr)
			return true;
	return false;
}

struct nhs_addrs {
	unsigned int n;
	__be32 proto[MGRE_MAX_NHS];
	__be32 nbma[MGRE_MAX_NHS];
};

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

/**
 * nhrp_rank_mcast_update() - flag or unflag our NHSs' entries for multicast
 * @m: the device
 *
 * Under RTNL, after the "multicast nhs" parameter changed, so that the
 * entries made from Registration Replies follow it at once.
 */
void nhrp_rank_mcast_update(struct mgre_dev *m)
{
	struct nhs_addrs a = { };
	unsigned int i;

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
