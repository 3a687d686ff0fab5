/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counts by NBMA address: how many registered entries each address holds
 * at a hub, for the per-address quota (max-per-nbma).  One node per
 * address holding any.  The owner serialises every call (the NHRP cache
 * does so under its lock) but nhrp_nbma_holds(); nothing here sleeps.
 */
#ifndef _MGRE_NHRP_NBMA_H
#define _MGRE_NHRP_NBMA_H

#include <linux/rhashtable.h>

struct nhrp_nbma_use {
	struct rhash_head node;
	__be32 nbma;
	u32 count;		/* entries counted under nbma */
	struct rcu_head rcu;
};

struct nhrp_nbma_table {
	struct rhashtable ht;
};

int nhrp_nbma_init(struct nhrp_nbma_table *t);
void nhrp_nbma_destroy(struct nhrp_nbma_table *t);
struct nhrp_nbma_use *nhrp_nbma_get(struct nhrp_nbma_table *t, __be32 nbma);
bool nhrp_nbma_holds(struct nhrp_nbma_table *t, __be32 nbma);
void nhrp_nbma_drop(struct nhrp_nbma_table *t, struct nhrp_nbma_use *use);
void nhrp_nbma_put(struct nhrp_nbma_table *t, __be32 nbma);
int nhrp_nbma_charge(struct nhrp_nbma_table *t, __be32 was, __be32 will,
		     unsigned int max, struct nhrp_nbma_use **usep);
void nhrp_nbma_move(struct nhrp_nbma_table *t, __be32 was, __be32 will,
		    struct nhrp_nbma_use *use);

#endif /* _MGRE_NHRP_NBMA_H */
