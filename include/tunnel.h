/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tunnel.c: the route to an NBMA address, the per-CPU route cache, and
 * GRE/IPv4 encapsulation.  Callers: transmit (data) and nhrp_tx.c
 * (NHRP), bottom halves off; device.c and rtnl.c for the cache's life.
 */
#ifndef _MGRE_TUNNEL_H
#define _MGRE_TUNNEL_H

#include <linux/ip.h>

#include "mgre.h"

#define MGRE_OUTER_HLEN	sizeof(struct iphdr)

/* The GRE header we build: flags and protocol, and the key if any. */
static inline u8 mgre_tunnel_hlen(const struct mgre_parms *p)
{
	return 4 + (p->has_key ? 4 : 0);
}

/*
 * Publish the header of parameters p to transmit, which reads the length
 * once (acquire) and then the key, while changelink may be rewriting
 * them: a new key is in place before a length that carries it, and a key
 * taken away stays in tx_key (a keyless header never reads it).  So every
 * packet's header is that of one configuration, never one's length with
 * another's key.  Under RTNL.
 */
static inline void mgre_tunnel_set_hdr(struct mgre_dev *m,
				       const struct mgre_parms *p)
{
	if (p->has_key)
		WRITE_ONCE(m->tx_key, p->key);
	/* Pairs with smp_load_acquire() in mgre_tunnel_xmit(). */
	smp_store_release(&m->hlen, mgre_tunnel_hlen(p));
}

/*
 * One slot of the route cache: the route last used for a flow, and the
 * flow.  Per CPU, so only that CPU's transmit path touches it (bottom
 * halves off), and only while the device is up.  32 bytes: two ways of a
 * bucket share a 64-byte line.
 */
struct mgre_rtc_slot {
	struct rtable *rt;	/* holds a reference; NULL: empty */
	__be32 nbma;
	__be32 saddr;		/* the source the route chose */
	u32 mark;
	u32 gen;		/* mgre_dev.rtc_gen when filled */
	u8 tos;
	u8 victim;		/* way[0] only: the way a miss refills */
};

struct mgre_rtc_bucket {
	struct mgre_rtc_slot way[2];
};

/* One CPU's table: BIT(bits) buckets. */
struct mgre_rtc_table {
	struct mgre_rtc_bucket *b;
	struct mgre_rtc_table *next;	/* the grow work's list to free */
	unsigned int bits;
};

/*
 * Per CPU: the table, and the misses of the current window, which decide
 * whether the table is too small for the flows this CPU sends.
 */
struct mgre_rtc_pcpu {
	struct mgre_rtc_table __rcu *table;
	unsigned int lookups;	/* in this window: hits and misses */
	unsigned int misses;
	u8 grow;		/* bits the grow work is asked to add; 0: none */
};

/* 128 buckets, 256 slots (8 KiB) to begin with; at most 2^17 slots. */
#define MGRE_RTC_MIN_BITS	7
#define MGRE_RTC_MAX_BITS	16
/* A table grows at most 2^4 times at once. */
#define MGRE_RTC_MAX_GROW	4
/* Never more slots than this many per cache entry. */
#define MGRE_RTC_SLOTS_PER_ENTRY	4

int mgre_tunnel_rtc_alloc(struct mgre_dev *m);
void mgre_tunnel_rtc_flush(struct mgre_dev *m);
void mgre_tunnel_rtc_free(struct mgre_dev *m);
void mgre_tunnel_rtc_reset(struct mgre_dev *m);
struct rtable *mgre_tunnel_route_cached(struct mgre_dev *m, __be32 nbma,
					u8 tos, u32 mark,
					struct flowi4 *fl4);
struct rtable *mgre_tunnel_route(struct mgre_dev *m, __be32 nbma, u8 tos,
				 u32 mark, struct flowi4 *fl4);
void mgre_tunnel_xmit(struct mgre_dev *m, struct sk_buff *skb,
		      struct rtable *rt, const struct flowi4 *fl4, __be16 proto,
		      u8 tos, u8 ttl);

#endif /* _MGRE_TUNNEL_H */
