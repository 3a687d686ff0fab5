/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the files of the mgre module. */
#ifndef _MGRE_H
#define _MGRE_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include <net/flow.h>
#include <net/route.h>
#include <net/gro_cells.h>
#include <linux/mgre.h>

#include "nhrp_cache.h"
#include "nhrp_inflight.h"

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
	u32 max_per_nbma;	/* hub: registered entries per NBMA address */
	u16 max_holdtime;	/* hub: longest holdtime granted */
	u16 reg_timeout;	/* spoke: seconds, 0: a third of the holdtime */
	u8 nhs_max_conn;	/* spoke: NHSs in use at a time, 0: all */
	u16 nhs_fallback;	/* spoke: seconds before letting a worse one go */
	bool mcast_dynamic;	/* registrations receive multicast copies */
	bool mcast_nhs;		/* our NHSs receive multicast copies */
	u32 mcast_limit;	/* copies of one packet, at most */
	bool redirect;		/* send Traffic Indications */
	bool shortcut;		/* act on Traffic Indications */
};

struct mgre_pcpu_counters {
	unsigned long cnt[__MGRE_STATS_A_MAX];
};

/* NHRP configuration: replaced whole under RTNL, read under RCU. */
struct mgre_nhrp_cfg {
	u32 network_id;			/* 0: NHRP off */
	u8 auth_len;
	u8 auth[MGRE_AUTH_MAX];
	u8 n_nhs;
	struct {
		__be32 proto;		/* 0: dynamic */
		__be32 nbma;
		u8 priority;		/* 0 ranks first */
	} nhs[MGRE_MAX_NHS];
	struct rcu_head rcu;
};

/* Client side of one configured NHS; guarded by mgre_dev.nhs_lock. */
struct mgre_nhs {
	struct mgre_dev *m;
	struct delayed_work work;
	__be32 proto;			/* configured; 0: dynamic */
	__be32 nbma;
	__be32 learnt;			/* from its Registration Reply */
	__be32 reg_src;			/* the source NBMA address it last took */
	bool active;			/* slot in use */
	bool waiting;			/* a request is unanswered */
	u8 state;			/* enum mgre_nhs_state */
	u8 last_code;
	u16 granted;			/* holdtime its last reply granted */
	u8 rexmits;			/* renewal sent again, unanswered */
	u8 priority;			/* configured; 0 ranks first */
	bool probing;			/* declared down: retried, not in use */
	u32 reqid;
	u32 reqid2;			/* our other family's registration; 0: none out */
	u32 rtt_ms;
	u32 backoff;			/* seconds; 0 while registered */
	u32 registrations;
	u32 failures;
	unsigned long sent;		/* jiffies of the last request */
	unsigned long last_reply;	/* jiffies, 0: never */
	unsigned long next;		/* jiffies the work fires next */
};

/*
 * Hub: a unique registration claimed from another NBMA address, whose
 * holder is being asked whether it still has the address (nhs.c).  By
 * hash of the address; guarded by mgre_dev.probe_lock.
 */
#define MGRE_PROBE_SLOTS	16
#define MGRE_PROBE_RATE		50	/* holders asked a second, at most */

enum mgre_probe_state {
	MGRE_PROBE_FREE,
	MGRE_PROBE_ASKING,	/* a Resolution Request is out to the holder */
	MGRE_PROBE_ALIVE,	/* the holder answered for the address */
	MGRE_PROBE_GONE,	/* the holder answered without it */
};

struct mgre_probe {
	struct nhrp_key key;
	__be32 holder;		/* the NBMA address it is registered at */
	u32 reqid;
	u8 state;		/* enum mgre_probe_state */
	unsigned long asked;	/* jiffies */
};

/* Traffic Indications sent lately, by hash of (source, destination). */
#define MGRE_REDIRECT_SLOTS	256

struct mgre_redirect_slot {
	__be32 src;
	__be32 dst;
	unsigned long sent;	/* jiffies */
};

struct mgre_nhrp_pcpu_stats {
	unsigned long tx[MGRE_NHRP_TYPE_MAX + 1];
	unsigned long rx[MGRE_NHRP_TYPE_MAX + 1];
	unsigned long drop[__MGRE_NHRP_DROP_MAX];
};

/*
 * What an NHS looks like from the client side: a copy taken under the
 * engine's lock, so that readers (netlink, events) need neither.
 */
struct nhrp_nhs_info {
	__be32 proto;			/* configured; 0: dynamic */
	__be32 nbma;
	__be32 learnt;			/* from its Registration Reply */
	u8 state;			/* enum mgre_nhs_state */
	u8 last_code;
	u8 priority;
	u32 rtt_ms;
	u32 registrations;
	u32 failures;
	unsigned long last_reply;	/* jiffies, 0: never */
	unsigned long next;		/* jiffies the next request is due */
};

/*
 * Events go up through these, registered by the layer that reports them
 * (the generic netlink family): no lower file calls an upper one.
 */
struct mgre_event_ops {
	/* A cache entry changed; under the cache lock, bottom halves off. */
	void (*entry)(struct mgre_dev *m, const struct nhrp_entry *e,
		      enum nhrp_event event);
	/*
	 * @count entries (of @type, or any when negative) went through
	 * @event in bulk, not reported one by one; process context, may
	 * sleep, no cache lock held (RTNL may be).
	 */
	void (*summary)(struct mgre_dev *m, enum nhrp_event event, int type,
			unsigned int count);
	/* An NHS went up or down; no lock held, softirq or process context. */
	void (*nhs)(struct mgre_dev *m, const struct nhrp_nhs_info *nhs,
		    u8 cmd);
};

struct mgre_dev {
	struct net_device *dev;
	const struct mgre_event_ops *events;	/* set at ndo_init */
	struct list_head list;		/* mgre_net.devs, RCU */
	struct mgre_parms parms;
	/* The GRE header transmit builds: see mgre_tunnel_set_hdr(). */
	u8 hlen;
	__be32 tx_key;
	struct nhrp_cache cache;
	struct gro_cells gro_cells;
	struct mgre_pcpu_counters __percpu *counters;
	/* The route cache (tunnel.c): a table per CPU, grown by a work. */
	struct mgre_rtc_pcpu __percpu *rtc;
	struct work_struct rtc_grow;
	u32 rtc_gen;			/* bumped when the flow changes */

	/* NHRP engine (nhrp.c, nhc.c, nhs.c, nhrp_res.c) */
	struct mgre_nhrp_cfg __rcu *nhrp_cfg;
	struct mgre_nhrp_pcpu_stats __percpu *nhrp_stats;
	spinlock_t nhs_lock;		/* the NHS client state below */
	struct mgre_nhs nhs[MGRE_MAX_NHS];
	unsigned long nhs_surplus;	/* jiffies more than max-connections
					 * were up since; 0: not
					 */
	struct nhrp_inflight inflight;	/* Resolution Requests awaiting replies */
	/* Asks again, through the next NHS, what one left unanswered. */
	struct delayed_work res_retry;
	spinlock_t res_retry_lock;	/* arming res_retry against its stop */
	bool res_retry_off;		/* set at uninit, under the lock */
	u32 probe_seed;			/* of the probes[] slot hash */
	struct ratelimit_state rl_resolve;
	struct ratelimit_state rl_error;
	struct ratelimit_state rl_redirect;
	struct mgre_redirect_slot redirect_slots[MGRE_REDIRECT_SLOTS];
	spinlock_t probe_lock;		/* probes[] */
	struct ratelimit_state rl_probe;
	struct mgre_probe probes[MGRE_PROBE_SLOTS];
};

/* Per network namespace. */
struct mgre_net {
	struct list_head devs;		/* RTNL writers, RCU readers */
	atomic_t gen;			/* bumped on every cache change */
	unsigned int rx_users;		/* devices using the hook; RTNL */
	atomic_long_t rx_no_tunnel;
	atomic_long_t rx_malformed;
};

static inline void mgre_count(struct mgre_dev *m, int counter)
{
	this_cpu_inc(m->counters->cnt[counter]);
}

static inline void mgre_count_add(struct mgre_dev *m, int counter,
				  unsigned long n)
{
	this_cpu_add(m->counters->cnt[counter], n);
}

#endif /* _MGRE_H */
