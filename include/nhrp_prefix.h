/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The prefix lengths in use by shortcuts of one family, so that a lookup
 * tries only those: a spoke holds a handful of lengths, not 32 or 128.
 * The owner serialises the writers (the NHRP cache does so under its
 * lock); readers go without it and may see a length a moment late.
 */
#ifndef _MGRE_NHRP_PREFIX_H
#define _MGRE_NHRP_PREFIX_H

#include <linux/bitmap.h>
#include <linux/types.h>

struct nhrp_prefix_set {
	unsigned int nr;			/* shortcuts of this family */
	DECLARE_BITMAP(lens, 129);		/* bit n: some have length n */
	u32 count[129];
};

void nhrp_prefix_account(struct nhrp_prefix_set *ps, unsigned int plen,
			 bool add);
unsigned int nhrp_prefix_below(const struct nhrp_prefix_set *ps,
			       unsigned int size);

#endif /* _MGRE_NHRP_PREFIX_H */
