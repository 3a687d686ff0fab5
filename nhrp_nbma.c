// SPDX-License-Identifier: GPL-2.0
/*
 * Counts by NBMA address (see nhrp_nbma.h): an rhashtable of small nodes,
 * made when an address first counts an entry and freed when it counts
 * none.  The owner, serialised, looks nodes up to count; a node still
 * goes after a grace period, as rhashtable wants of what a concurrent
 * rehash may hold, and so nhrp_nbma_holds() may look without the owner's
 * lock.
 */

#include <linux/slab.h>

#include "nhrp_nbma.h"

static const struct rhashtable_params nhrp_nbma_params = {
	.key_len = sizeof(__be32),
	.key_offset = offsetof(struct nhrp_nbma_use, nbma),
	.head_offset = offsetof(struct nhrp_nbma_use, node),
	.automatic_shrinking = true,
};

/**
 * nhrp_nbma_init() - set up an empty table
 * @t: the table
 *
 * Process context, may sleep.
 *
 * Return: 0 or the error of rhashtable_init().
 */
int nhrp_nbma_init(struct nhrp_nbma_table *t)
{
	return rhashtable_init(&t->ht, &nhrp_nbma_params);
}

/**
 * nhrp_nbma_destroy() - free a table
 * @t: the table, empty: every count taken back with nhrp_nbma_put()
 *
 * Process context, may sleep.  Warns if nodes are left.
 */
void nhrp_nbma_destroy(struct nhrp_nbma_table *t)
{
	WARN_ON(atomic_read(&t->ht.nelems));
	rhashtable_destroy(&t->ht);
}

/**
 * nhrp_nbma_get() - the node of an address, made if there is none
 * @t: the table
 * @nbma: the address
 *
 * Atomic context allowed (GFP_ATOMIC); the caller serialises.  A node
 * made here counts 0: the caller counts it up, or gives it back with
 * nhrp_nbma_drop().
 *
 * Return: the node, or NULL when it could not be allocated or inserted.
 */
struct nhrp_nbma_use *nhrp_nbma_get(struct nhrp_nbma_table *t, __be32 nbma)
{
	struct nhrp_nbma_use *use;

	use = rhashtable_lookup_fast(&t->ht, &nbma, nhrp_nbma_params);
	if (use)
		return use;
	use = kzalloc(sizeof(*use), GFP_ATOMIC);
	if (!use)
		return NULL;
	use->nbma = nbma;
	if (rhashtable_insert_fast(&t->ht, &use->node, nhrp_nbma_params)) {
		kfree(use);
		return NULL;
	}
	return use;
}

/**
 * nhrp_nbma_holds() - whether an address holds any counted entry
 * @t: the table
 * @nbma: the address
 *
 * Any context, no lock needed (RCU): the answer may be a moment old.
 *
 * Return: true when @nbma has a node, which it has while it counts an
 * entry (and, for a moment, under the owner's lock, while one is made).
 */
bool nhrp_nbma_holds(struct nhrp_nbma_table *t, __be32 nbma)
{
	bool ret;

	rcu_read_lock();
	ret = rhashtable_lookup(&t->ht, &nbma, nhrp_nbma_params);
	rcu_read_unlock();
	return ret;
}

/**
 * nhrp_nbma_drop() - free a node if it counts nothing
 * @t: the table
 * @use: a node of @t, from nhrp_nbma_get()
 *
 * Atomic context allowed; the caller serialises.  @use may not be used
 * after this unless it still counts something.
 */
void nhrp_nbma_drop(struct nhrp_nbma_table *t, struct nhrp_nbma_use *use)
{
	if (use->count)
		return;
	rhashtable_remove_fast(&t->ht, &use->node, nhrp_nbma_params);
	kfree_rcu(use, rcu);
}

/**
 * nhrp_nbma_put() - count one entry less under an address
 * @t: the table
 * @nbma: an address that counts at least one entry
 *
 * Atomic context allowed; the caller serialises.
 */
void nhrp_nbma_put(struct nhrp_nbma_table *t, __be32 nbma)
{
	struct nhrp_nbma_use *use;

	use = rhashtable_lookup_fast(&t->ht, &nbma, nhrp_nbma_params);
	/* Every counted entry has a node: made before it was counted. */
	if (WARN_ON_ONCE(!use || !use->count))
		return;
	use->count--;
	nhrp_nbma_drop(t, use);
}

/**
 * nhrp_nbma_charge() - the cost of an entry's change to its new address
 * @t: the table
 * @was: the address the entry counts under now; 0: none
 * @will: the address it is to count under; 0: none
 * @max: the quota of an address; 0: not enforced
 * @usep: set to the node of @will when the entry is to count there and
 *	does not yet (the count not taken: nhrp_nbma_move() takes it, or
 *	nhrp_nbma_drop() gives the node back), else to NULL
 *
 * Atomic context allowed; the caller serialises.
 *
 * Return: 0; -EDQUOT when @will counts @max entries already; -ENOMEM.
 */
int nhrp_nbma_charge(struct nhrp_nbma_table *t, __be32 was, __be32 will,
		     unsigned int max, struct nhrp_nbma_use **usep)
{
	struct nhrp_nbma_use *use;

	*usep = NULL;
	if (!will || will == was)
		return 0;
	use = nhrp_nbma_get(t, will);
	if (!use)
		return -ENOMEM;
	if (max && use->count >= max) {
		nhrp_nbma_drop(t, use);
		return -EDQUOT;
	}
	*usep = use;
	return 0;
}

/**
 * nhrp_nbma_move() - count an entry under its new address
 * @t: the table
 * @was: the address it counted under; 0: none
 * @will: the address it counts under now; 0: none
 * @use: what nhrp_nbma_charge() said of this change
 *
 * Atomic context allowed; the caller serialises.
 */
void nhrp_nbma_move(struct nhrp_nbma_table *t, __be32 was, __be32 will,
		    struct nhrp_nbma_use *use)
{
	if (use) {
		if (was)
			nhrp_nbma_put(t, was);
		use->count++;
	} else if (was && !will) {
		nhrp_nbma_put(t, was);
	}
}
