/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhc_rank.c: which of its NHSs a spoke uses, and through which it asks:
 * priority, max-connections and fallback.
 */
#ifndef _MGRE_NHC_RANK_H
#define _MGRE_NHC_RANK_H

#include "mgre.h"

struct nhrp_rank_plan {
	unsigned int start;		/* slots taken out of standby */
	unsigned int release;		/* slots let go, into standby */
	unsigned int park;		/* slots down, into standby */
	unsigned int wake;		/* the slot to plan again */
	unsigned long again;		/* jiffies to plan again; 0: no need */
	unsigned int n;			/* NHSs let go, to purge */
	__be32 nbma[MGRE_MAX_NHS];
	__be32 dst[MGRE_MAX_NHS];
};

unsigned int nhrp_rank_order(const struct mgre_nhrp_cfg *cfg, u8 *order);
__be32 nhrp_rank_pick(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg);
__be32 nhrp_rank_next(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		      __be32 not);
void nhrp_rank_apply(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		     struct nhrp_rank_plan *plan);
void nhrp_rank_purge(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		     unsigned int n, const __be32 *nbma, const __be32 *dst);
bool nhrp_rank_from_nhs(struct mgre_dev *m, __be32 saddr);
void nhrp_rank_mcast_update(struct mgre_dev *m);
unsigned int nhrp_rank_standby(const struct mgre_dev *m,
			       const struct mgre_nhrp_cfg *cfg);

#endif /* _MGRE_NHC_RANK_H */
