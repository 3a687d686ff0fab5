// SPDX-License-Identifier: GPL-2.0
/*
 * Requests in flight (see nhrp_inflight.h).  Replies are matched by what
 * the replier cannot choose freely: the random request ID we sent (or the
 * one we passed on), the address asked about, and the NBMA address the
 * request went to, which the reply must come from.  A reply matched
 * retires its request: a second copy is unexpected.
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "nhrp_inflight.h"

static struct nhrp_inflight_req *bucket(struct nhrp_inflight *t, u32 reqid)
{
	return &t->reqs[(jhash_1word(reqid, t->seed) %
			 NHRP_INFLIGHT_BUCKETS) * NHRP_INFLIGHT_WAYS];
}

static bool req_live(const struct nhrp_inflight_req *r, unsigned long now)
{
	return r->busy &&
	       time_before(now, r->sent + NHRP_INFLIGHT_SECS * HZ);
}

/**
 * nhrp_inflight_init() - an empty table
 * @t: the table
 *
 * Process context, may sleep.
 *
 * Return: 0, or -ENOMEM.
 */
int nhrp_inflight_init(struct nhrp_inflight *t)
{
	t->reqs = kvcalloc(NHRP_INFLIGHT_BUCKETS * NHRP_INFLIGHT_WAYS,
			   sizeof(*t->reqs), GFP_KERNEL);
	if (!t->reqs)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	t->seed = get_random_u32();
	return 0;
}

/**
 * nhrp_inflight_free() - free a table nobody uses any more
 * @t: the table
 *
 * Process context.
 */
void nhrp_inflight_free(struct nhrp_inflight *t)
{
	kvfree(t->reqs);
	t->reqs = NULL;
}

/**
 * nhrp_inflight_add() - remember a request sent or passed on
 * @t: the table
 * @reqid: its request ID
 * @to: the NBMA address it goes to, which the reply is to come from
 * @from: for a request passed on, the NBMA address it came from (where
 *	the reply goes back to); 0 for our own
 * @dst: the address it asks about
 *
 * Any context; takes the table's lock with bottom halves off.  A full
 * bucket gives up its oldest request, whose answer will then be refused.
 *
 * Return: whether a request still waiting had to give way.
 */
bool nhrp_inflight_add(struct nhrp_inflight *t, u32 reqid, __be32 to,
		       __be32 from, const struct nhrp_key *dst)
{
	struct nhrp_inflight_req *b = bucket(t, reqid), *r = b;
	unsigned long now = jiffies;
	bool evicted;
	int i;

	spin_lock_bh(&t->lock);
	for (i = 0; i < NHRP_INFLIGHT_WAYS; i++) {
		if (!req_live(&b[i], now)) {
			r = &b[i];
			break;
		}
		if (time_before(b[i].sent, r->sent))
			r = &b[i];
	}
	evicted = req_live(r, now);
	r->dst = *dst;
	r->reqid = reqid;
	r->to = to;
	r->from = from;
	r->sent = now;
	r->busy = true;
	spin_unlock_bh(&t->lock);
	return evicted;
}

/**
 * nhrp_inflight_take() - find and retire the request a reply answers
 * @t: the table
 * @reqid: the reply's request ID
 * @sender: the NBMA address the reply came from
 * @dst: the address the reply is about (its destination protocol address)
 * @from: set to the request's @from: 0 for our own request, else where to
 *	pass the reply back to
 *
 * Any context; takes the table's lock with bottom halves off.
 *
 * Return: whether a request waiting for this answer was found (and is
 * now retired).
 */
bool nhrp_inflight_take(struct nhrp_inflight *t, u32 reqid, __be32 sender,
			const struct nhrp_key *dst, __be32 *from)
{
	struct nhrp_inflight_req *b = bucket(t, reqid);
	unsigned long now = jiffies;
	bool found = false;
	int i;

	spin_lock_bh(&t->lock);
	for (i = 0; i < NHRP_INFLIGHT_WAYS; i++) {
		struct nhrp_inflight_req *r = &b[i];

		if (!req_live(r, now) || r->reqid != reqid ||
		    r->to != sender || memcmp(&r->dst, dst, sizeof(*dst)))
			continue;
		*from = r->from;
		r->busy = false;
		found = true;
		break;
	}
	spin_unlock_bh(&t->lock);
	return found;
}
