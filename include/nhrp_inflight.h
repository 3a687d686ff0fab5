/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests in flight: the Resolution Requests a node sent or passed on,
 * so that a Resolution Reply is taken only as the answer to one of them
 * (its request ID, asker, the address asked about and the NBMA address it
 * comes from all match), once.  A bounded table: a bucket per seeded hash
 * of the request ID and the asker (other makes number their requests 1,
 * 2, 3...), NHRP_INFLIGHT_WAYS requests a bucket, the oldest giving way
 * when all are taken; a request waits NHRP_INFLIGHT_SECS for its answer.
 * Requests passed on for one asker (by its NBMA address) are at most
 * NHRP_INFLIGHT_PER_ASKER at a time, so that one member cannot push
 * everyone else's out; askers are counted in seeded-hash slots, so two
 * may share a budget, rarely and unpredictably from outside.  An asker
 * that is not a member (no registration from its NBMA address here) has
 * no budget of its own: all strangers share one, so that a flood from
 * forged outer sources cannot take the table either.
 * Any context that may transmit; takes its own lock with bottom halves
 * off.
 */
#ifndef _MGRE_NHRP_INFLIGHT_H
#define _MGRE_NHRP_INFLIGHT_H

#include <linux/bits.h>
#include <linux/spinlock.h>

#include "nhrp_cache.h"

#define NHRP_INFLIGHT_BUCKETS	128
#define NHRP_INFLIGHT_WAYS	4
#define NHRP_INFLIGHT_SECS	5
#define NHRP_INFLIGHT_PER_ASKER	32
#define NHRP_INFLIGHT_ASKERS	1024	/* slots of the per-asker count */

/* nhrp_inflight_add()'s flags */
#define NHRP_INFLIGHT_MEMBER	BIT(0)	/* passed on for a member */
#define NHRP_INFLIGHT_RETRY	BIT(1)	/* ours: ask again elsewhere if unanswered */

/* What a request and its reply both carry, and so match by. */
struct nhrp_inflight_id {
	struct nhrp_key src;	/* the asker's protocol address */
	struct nhrp_key dst;	/* the address asked about */
	u32 reqid;
};

struct nhrp_inflight_req {
	struct nhrp_inflight_id id;
	__be32 to;		/* the NBMA address it went to */
	__be32 from;		/* passed on: where it came from; 0: ours */
	bool busy;
	bool stranger;		/* from counts in strangers, not passed[] */
	bool retry;		/* ours, to ask again elsewhere if unanswered */
	unsigned long sent;	/* jiffies */
};

struct nhrp_inflight {
	spinlock_t lock;		/* reqs[] */
	u32 seed;		/* of the bucket hash */
	struct nhrp_inflight_req *reqs;	/* BUCKETS x WAYS */
	/* Requests passed on still waiting, by asker's slot; under lock. */
	u8 passed[NHRP_INFLIGHT_ASKERS];
	u8 strangers;		/* the same, for every non-member together */
};

/* A request of ours left unanswered, to ask again through another NHS. */
struct nhrp_inflight_due {
	struct nhrp_inflight_id id;
	__be32 to;
};

int nhrp_inflight_init(struct nhrp_inflight *t);
void nhrp_inflight_free(struct nhrp_inflight *t);
int nhrp_inflight_add(struct nhrp_inflight *t,
		      const struct nhrp_inflight_id *id, __be32 to, __be32 from,
		      unsigned int flags);
unsigned int nhrp_inflight_due(struct nhrp_inflight *t, unsigned long after,
			       struct nhrp_inflight_due *due, unsigned int max,
			       bool *pending);
bool nhrp_inflight_take(struct nhrp_inflight *t,
			const struct nhrp_inflight_id *id, __be32 sender,
			__be32 *from);

#endif /* _MGRE_NHRP_INFLIGHT_H */
