// SPDX-License-Identifier: GPL-2.0
/*
 * The multicast list of a cache (see nhrp_mlist.h): nodes join only once
 * readers can no longer stand on them.
 */

#include <linux/rcupdate.h>

#include "nhrp_mlist.h"

/**
 * nhrp_mlist_init() - an empty list
 * @l: the list
 */
void nhrp_mlist_init(struct nhrp_mlist *l)
{
	INIT_HLIST_HEAD(&l->head);
	l->nr = 0;
	l->late = false;
}

/**
 * nhrp_mlist_sync() - put a node on the list or take it off, as wanted
 * @l: the list
 * @n: the node, initialised (INIT_HLIST_NODE()) before its first use
 * @bits: the owner's word of atomic bits (NHRP_MLIST_GP, NHRP_MLIST_LATE)
 * @gp: the owner's grace period state of the node
 * @want: whether the node is to be on the list
 *
 * Under the owner's lock, any context.  A node wanted back before the
 * grace period since it left is over stays off and is marked
 * NHRP_MLIST_LATE (and @l late): the owner calls this again for it once
 * a grace period has passed (synchronize_rcu()).  A node to go away for
 * good leaves with @want false and is freed after a grace period.
 *
 * Return: whether the node is late.
 */
bool nhrp_mlist_sync(struct nhrp_mlist *l, struct hlist_node *n,
		     unsigned long *bits, unsigned long *gp, bool want)
{
	bool on = !hlist_unhashed(n);

	if (!want)
		clear_bit(NHRP_MLIST_LATE, bits);
	if (want == on)
		return false;
	if (on) {
		hlist_del_init_rcu(n);
		l->nr--;
		*gp = get_state_synchronize_rcu();
		set_bit(NHRP_MLIST_GP, bits);
		return false;
	}
	if (test_bit(NHRP_MLIST_GP, bits)) {
		if (!poll_state_synchronize_rcu(*gp)) {
			/*
			 * A later cookie is as safe, and is tested again
			 * within a second, after the owner's
			 * synchronize_rcu(): one kept since the node left,
			 * maybe weeks ago, may have wrapped (32-bit) and
			 * would keep it late for as long again.
			 */
			*gp = get_state_synchronize_rcu();
			set_bit(NHRP_MLIST_LATE, bits);
			WRITE_ONCE(l->late, true);
			return true;
		}
		/* Over: a cookie is not to be kept for weeks. */
		clear_bit(NHRP_MLIST_GP, bits);
	}
	clear_bit(NHRP_MLIST_LATE, bits);
	hlist_add_head_rcu(n, &l->head);
	l->nr++;
	return false;
}
