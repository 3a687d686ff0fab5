/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the files of the mgre module. */
#ifndef _MGRE_H
#define _MGRE_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <net/gro_cells.h>
#include <linux/mgre.h>

#include "nhrp_cache.h"

/* GRE protocol type of NHRP packets (RFC 2332 over GRE). */
#define MGRE_ETH_P_NHRP	0x2001

/* Link parameters; written under RTNL, read locklessly on receive. */
struct mgre_parms {
	__be32 local;		/* 0: any */
	__be32 key;		/* valid when has_key */
	bool has_key;
	u8 ttl;			/* 0: inherit */
	u8 tos;			/* MGRE_TOS_INHERIT: inherit */
	u16 holdtime;
	int link;		/* underlay ifindex, 0: none */
	u32 max_entries;
};

struct mgre_pcpu_counters {
	unsigned long cnt[__MGRE_STATS_A_MAX];
};

struct mgre_dev {
	struct net_device *dev;
	struct list_head list;		/* mgre_net.devs, RCU */
	struct mgre_parms parms;
	u8 hlen;			/* GRE header length */
	struct nhrp_cache cache;
	struct gro_cells gro_cells;
	struct mgre_pcpu_counters __percpu *counters;
};

/* Per network namespace. */
struct mgre_net {
	struct list_head devs;		/* RTNL writers, RCU readers */
	atomic_t gen;			/* bumped on every cache change */
	atomic_long_t rx_no_tunnel;
	atomic_long_t rx_malformed;
};

static inline void mgre_count(struct mgre_dev *m, int counter)
{
	this_cpu_inc(m->counters->cnt[counter]);
}

u64 mgre_counter_sum(const struct mgre_dev *m, int counter);
struct mgre_net *mgre_net(struct net *net);
bool netif_is_mgre(const struct net_device *dev);

int mgre_genl_init(void);
void mgre_genl_uninit(void);
void mgre_nl_notify(struct mgre_dev *m, const struct nhrp_entry *e,
		    enum nhrp_event event);

#endif /* _MGRE_H */
