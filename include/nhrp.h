/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhrp.c: the NHRP engine's front, what the device and link layers call.
 */
#ifndef _MGRE_NHRP_H
#define _MGRE_NHRP_H

#include "mgre.h"

/* The NHRP counters of a device, summed over CPUs. */
struct mgre_nhrp_stats {
	u64 tx[MGRE_NHRP_TYPE_MAX + 1];		/* by packet type */
	u64 rx[MGRE_NHRP_TYPE_MAX + 1];
	u64 drop[__MGRE_NHRP_DROP_MAX];		/* by reason */
};

int mgre_nhrp_init(struct mgre_dev *m);
void mgre_nhrp_uninit(struct mgre_dev *m);
void mgre_nhrp_free(struct mgre_dev *m);
void mgre_nhrp_set_cfg(struct mgre_dev *m, struct mgre_nhrp_cfg *cfg);
void mgre_nhrp_open(struct mgre_dev *m);
void mgre_nhrp_mcast_update(struct mgre_dev *m);
void mgre_nhrp_stop(struct mgre_dev *m);
void mgre_nhrp_rcv(struct mgre_dev *m, struct sk_buff *skb, __be32 saddr,
		   __be32 daddr);
void mgre_nhrp_stats_read(const struct mgre_dev *m, struct mgre_nhrp_stats *s);

#endif /* _MGRE_NHRP_H */
