/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The multicast list of a cache: an RCU hlist that transmit walks without
 * a lock, whose nodes leave and join again as entries' flags and states
 * change.  A node that left may still hold a reader; joined again at once
 * it would send that reader back to the head (copies sent twice), so a
 * node joins again only after the grace period that began when it left.
 * Writers hold the owner's lock.
 *
 * Each node's owner keeps, beside the node, a word of atomic bits (bits
 * NHRP_MLIST_GP and NHRP_MLIST_LATE are ours) and the grace period state
 * (valid while NHRP_MLIST_GP is set).
 */
#ifndef _MGRE_NHRP_MLIST_H
#define _MGRE_NHRP_MLIST_H

#include <linux/rculist.h>

#define NHRP_MLIST_GP		1	/* the node left; *gp says when */
#define NHRP_MLIST_LATE		2	/* wanted back within that period */

struct nhrp_mlist {
	struct hlist_head head;
	unsigned int nr;	/* nodes on the list */
	bool late;		/* some node is NHRP_MLIST_LATE */
};

void nhrp_mlist_init(struct nhrp_mlist *l);
bool nhrp_mlist_sync(struct nhrp_mlist *l, struct hlist_node *n,
		     unsigned long *bits, unsigned long *gp, bool want);

#endif /* _MGRE_NHRP_MLIST_H */
