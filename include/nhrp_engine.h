/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP protocol engine of an mgre device: NHS (hub) and NHC (spoke)
 * behaviour on top of the wire codec (nhrp_proto.c) and the cache.
 */
#ifndef _MGRE_NHRP_ENGINE_H
#define _MGRE_NHRP_ENGINE_H

#include "mgre.h"

int mgre_nhrp_init(struct mgre_dev *m);
void mgre_nhrp_uninit(struct mgre_dev *m);
void mgre_nhrp_free(struct mgre_dev *m);

/* Under RTNL.  Takes ownership of cfg. */
void mgre_nhrp_set_cfg(struct mgre_dev *m, struct mgre_nhrp_cfg *cfg);
void mgre_nhrp_open(struct mgre_dev *m);
/* Under RTNL: the multicast parameters changed. */
void mgre_nhrp_mcast_update(struct mgre_dev *m);
void mgre_nhrp_stop(struct mgre_dev *m);

/* Softirq: an NHRP packet arrived (GRE header already pulled). */
void mgre_nhrp_rcv(struct mgre_dev *m, struct sk_buff *skb, __be32 saddr,
		   __be32 daddr);

/*
 * Transmit path, under rcu_read_lock_bh(): no usable entry for the next
 * hop.  Returns the NBMA address of the NHS to send the packet through
 * (starting a resolution when that makes sense), or 0 to drop it.
 */
__be32 mgre_nhrp_tx_miss(struct mgre_dev *m, const struct nhrp_key *key,
			 struct nhrp_entry *e);
/* Transmit path: a resolved entry is in use and nearing its expiry. */
void mgre_nhrp_tx_refresh(struct mgre_dev *m, struct nhrp_entry *e);

int mgre_nhrp_resolve(struct mgre_dev *m, const struct nhrp_key *key);

/*
 * Transmit path: this node forwards skb from the tunnel back into it.
 * Tells the packet's sender with a Traffic Indication, rate-limited.
 * Does not consume skb.
 */
void mgre_nhrp_tx_redirect(struct mgre_dev *m, const struct sk_buff *skb);

/* The NHRP counters of a device, summed over CPUs. */
struct mgre_nhrp_stats {
	u64 tx[MGRE_NHRP_TYPE_MAX + 1];		/* by packet type */
	u64 rx[MGRE_NHRP_TYPE_MAX + 1];
	u64 drop[__MGRE_NHRP_DROP_MAX];		/* by reason */
};

void mgre_nhrp_stats_read(const struct mgre_dev *m, struct mgre_nhrp_stats *s);
bool nhrp_nhc_nhs_info(struct mgre_dev *m, unsigned int i,
		       struct nhrp_nhs_info *info);

#endif /* _MGRE_NHRP_ENGINE_H */
