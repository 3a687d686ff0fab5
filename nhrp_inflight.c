// SPDX-License-Identifier: GPL-2.0
/*
 * Requests in flight (see nhrp_inflight.h).  Replies are matched by what
 * the replier cannot choose freely: the random request ID we sent (or the
 * one we passed on, with its asker), the address asked about, and the
 * NBMA address the request went to, which the reply must come from.  A
 * reply matched retires its request: a second copy is unexpected.
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "nhrp_inflight.h"

static struct nhrp_inflight_req *bucket(struct nhrp_inflight *t,
					const struct nhrp_inflight_id *id)
{
	u32 h = jhash2((const u32 *)&id->src, sizeof(id->src) / sizeof(u32),
		       t->seed ^ id->reqid);

	return &t->reqs[(h % NHRP_INFLIGHT_BUCKETS) * NHRP_INFLIGHT_WAYS];
}

/*
 * How many requests passed on for this asker (and its slot's) wait; for a
 * stranger, how many for all strangers.
 */
static u8 *asker_passed(struct nhrp_inflight *t, __be32 from, bool stranger)
{
	if (stranger)
		return &t->strangers;
	return &t->passed[jhash_1word((__force u32)from, t->seed) %
			  NHRP_INFLIGHT_ASKERS];
}

static void req_retire(struct nhrp_inflight *t, struct nhrp_inflight_req *r)
{
	if (r->from)
		(*asker_passed(t, r->from, r->stranger))--;
	r->busy = false;
}

/* Whether r still waits; one that no longer does is freed on sight. */
static bool req_live(struct nhrp_inflight *t, struct nhrp_inflight_req *r,
		     unsigned long now)
{
	if (r->busy && !time_in_range(now, r->sent,
				      r->sent + NHRP_INFLIGHT_SECS * HZ))
		req_retire(t, r);
	return r->busy;
}

/* Frees every request that no longer waits: the counts are exact after. */
static void sweep(struct nhrp_inflight *t, unsigned long now)
{
	int i;

	for (i = 0; i < NHRP_INFLIGHT_BUCKETS * NHRP_INFLIGHT_WAYS; i++)
		req_live(t, &t->reqs[i], now);
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
	memset(t->passed, 0, sizeof(t->passed));
	t->strangers = 0;
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
 * @id: its request ID, asker and the address it asks about
 * @to: the NBMA address it goes to, which the reply is to come from
 * @from: for a request passed on, the NBMA address it came from (where
 *	the reply goes back to); 0 for our own
 * @flags: NHRP_INFLIGHT_MEMBER: @from is a member's (it registered here):
 *	it has a budget of its own, otherwise it shares the strangers' one;
 *	NHRP_INFLIGHT_RETRY: our own request, to be handed out once by
 *	nhrp_inflight_due() if it is not answered in time
 *
 * Any context; takes the table's lock with bottom halves off.  A full
 * bucket gives up its oldest request, whose answer will then be refused.
 *
 * Return: 0, or -EBUSY when @from (or, for a stranger, the strangers)
 * has NHRP_INFLIGHT_PER_ASKER requests passed on waiting already (the
 * request is not remembered: do not pass it on).
 */
int nhrp_inflight_add(struct nhrp_inflight *t,
		      const struct nhrp_inflight_id *id, __be32 to, __be32 from,
		      unsigned int flags)
{
	struct nhrp_inflight_req *b = bucket(t, id), *r = b;
	bool stranger = from && !(flags & NHRP_INFLIGHT_MEMBER);
	unsigned long now = jiffies;
	int i;

	spin_lock_bh(&t->lock);
	if (from && *asker_passed(t, from, stranger) >=
		    NHRP_INFLIGHT_PER_ASKER) {
		/* Counts go down lazily, as expired requests are seen. */
		sweep(t, now);
		if (*asker_passed(t, from, stranger) >=
		    NHRP_INFLIGHT_PER_ASKER) {
			spin_unlock_bh(&t->lock);
			return -EBUSY;
		}
	}
	for (i = 0; i < NHRP_INFLIGHT_WAYS; i++) {
		if (!req_live(t, &b[i], now)) {
			r = &b[i];
			break;
		}
		if (time_before(b[i].sent, r->sent))
			r = &b[i];
	}
	if (req_live(t, r, now))
		req_retire(t, r);	/* the oldest gives way */
	if (from)
		(*asker_passed(t, from, stranger))++;
	r->id = *id;
	r->to = to;
	r->from = from;
	r->stranger = stranger;
	r->retry = (flags & NHRP_INFLIGHT_RETRY) && !from;
	r->sent = now;
	r->busy = true;
	spin_unlock_bh(&t->lock);
	return 0;
}

/**
 * nhrp_inflight_take() - find and retire the request a reply answers
 * @t: the table
 * @id: the reply's request ID, source (the asker) and destination
 *	protocol addresses
 * @sender: the NBMA address the reply came from
 * @from: set to the request's @from: 0 for our own request, else where to
 *	pass the reply back to
 *
 * Any context; takes the table's lock with bottom halves off.
 *
 * Return: whether a request waiting for this answer was found (and is
 * now retired).
 */
bool nhrp_inflight_take(struct nhrp_inflight *t,
			const struct nhrp_inflight_id *id, __be32 sender,
			__be32 *from)
{
	struct nhrp_inflight_req *b = bucket(t, id);
	unsigned long now = jiffies;
	bool found = false;
	int i;

	spin_lock_bh(&t->lock);
	for (i = 0; i < NHRP_INFLIGHT_WAYS; i++) {
		struct nhrp_inflight_req *r = &b[i];

		if (!req_live(t, r, now) || r->to != sender ||
		    memcmp(&r->id, id, sizeof(*id)))
			continue;
		*from = r->from;
		req_retire(t, r);
		found = true;
		break;
	}
	spin_unlock_bh(&t->lock);
	return found;
}

/**
 * nhrp_inflight_due() - our requests unanswered for a while
 * @t: the table
 * @after: how long a request may wait before it is due, in jiffies (less
 *	than NHRP_INFLIGHT_SECS)
 * @due: filled with the requests due
 * @max: room in @due
 * @pending: set to whether requests of ours that may fall due later wait
 *
 * Each request added with retry is handed out once, when due: the caller
 * asks again elsewhere.  The request itself stays in the table, so that a
 * late answer to it is still taken.  Any context; takes the table's lock
 * with bottom halves off.
 *
 * Return: how many requests were put in @due.
 */
unsigned int nhrp_inflight_due(struct nhrp_inflight *t, unsigned long after,
			       struct nhrp_inflight_due *due, unsigned int max,
			       bool *pending)
{
	unsigned long now = jiffies;
	unsigned int n = 0;
	int i;

	*pending = false;
	spin_lock_bh(&t->lock);
	for (i = 0; i < NHRP_INFLIGHT_BUCKETS * NHRP_INFLIGHT_WAYS; i++) {
		struct nhrp_inflight_req *r = &t->reqs[i];

		if (!r->retry || !req_live(t, r, now))
			continue;
		if (n == max || time_before(now, r->sent + after)) {
			*pending = true;
			continue;
		}
		due[n].id = r->id;
		due[n].to = r->to;
		n++;
		r->retry = false;
	}
	spin_unlock_bh(&t->lock);
	return n;
}
