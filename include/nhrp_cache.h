/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP cache of one mgre device: protocol address -> NBMA address.
 *
 * Readers (the transmit path, dumps) walk it under RCU without taking a
 * lock; writers (netlink, the NHRP engine in softirq, expiry) take the
 * cache's spinlock with bottom halves disabled.  Entries are freed with
 * call_rcu().  The cache knows nothing of packets or netlink.
 */
#ifndef _MGRE_NHRP_CACHE_H
#define _MGRE_NHRP_CACHE_H

#include <linux/rhashtable.h>
#include <linux/xarray.h>
#include <linux/workqueue.h>
#include <linux/in6.h>
#include <linux/bitmap.h>
#include <linux/inetdevice.h>
#include <net/ipv6.h>
#include <linux/mgre.h>

#include "nhrp_mlist.h"
#include "nhrp_nbma.h"
#include "nhrp_prefix.h"
#include "nhrp_wheel.h"

struct nhrp_key {
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
	u8 family;		/* AF_INET or AF_INET6 */
	/*
	 * 0: a mapping of one protocol address (a next hop).  Otherwise a
	 * shortcut: the prefix addr/plen, its host bits zero, which
	 * transmit matches against destinations (longest first).
	 */
	u8 plen;
	u8 pad[2];		/* always zero: the key is hashed as bytes */
};

struct nhrp_entry {
	struct rhash_head node;
	struct nhrp_key key;
	__be32 nbma;
	u8 type;		/* enum mgre_entry_type */
	u8 flags;		/* MGRE_ENTRY_F_*; written under the lock */
	u16 holdtime;		/* seconds; 0 for entries that never expire */
	u32 id;			/* index in the cache's xarray, for dumps */
	unsigned long expires;	/* jiffies; meaningful when holdtime != 0 */
	unsigned long used;	/* jiffies of the last transmit, 0 if never */
	unsigned long created;
	unsigned long updated;
	struct hlist_node wheel;	/* expiry slot, when holdtime != 0 */
	struct hlist_node mcast;	/* on nhrp_cache.mcast, RCU */
	/*
	 * The engine's bits (NHRP_EB_*): transmit sets them without the
	 * lock, so they have a word of their own and atomic bitops.
	 */
	unsigned long ebits;
	union {
		unsigned long mcast_gp;	/* live: see nhrp_mlist.h */
		struct rcu_head rcu;	/* unlinked, to be freed */
	};
};

enum nhrp_event {
	NHRP_EVT_ADD,
	NHRP_EVT_CHANGE,
	NHRP_EVT_DEL,
	NHRP_EVT_EXPIRE,
};

struct nhrp_cache;

struct nhrp_cache_ops {
	/*
	 * Called with the cache lock held and bottom halves disabled.
	 * @quiet: the entry is one of many that a summary reports after a
	 * bulk change: note that the cache changed, report nothing.
	 */
	void (*notify)(struct nhrp_cache *cache, const struct nhrp_entry *e,
		       enum nhrp_event event, bool quiet);
	/*
	 * After a bulk change (a flush, a flag change on many entries, a
	 * mass expiry): @count entries of @type (any type when negative)
	 * went through @event without being reported one by one.  Process
	 * context, may sleep; the cache lock is not held.
	 */
	void (*summary)(struct nhrp_cache *cache, enum nhrp_event event,
			int type, unsigned int count);
};

/* What a writer asks for; the cache fills in the rest. */
struct nhrp_entry_cfg {
	struct nhrp_key key;
	__be32 nbma;
	u8 type;
	u8 flags;
	u16 holdtime;		/* 0: never expires */
};

struct nhrp_cache {
	struct rhashtable ht;
	struct xarray ids;
	spinlock_t lock;		/* writers; readers use RCU */
	u32 next_id;
	unsigned int count;
	unsigned int max_entries;
	/*
	 * Registered entries by NBMA address, for the per-address quota
	 * a hub sets on what it learns; under the lock.
	 */
	struct nhrp_nbma_table nbma_use;
	unsigned int max_per_nbma;
	bool dead;
	struct nhrp_wheel wheel;	/* entries that expire */
	/*
	 * The entries that receive multicast copies (flagged
	 * MGRE_ENTRY_F_MULTICAST, with an NBMA address): transmit replicates
	 * along this list instead of walking the table.
	 */
	struct nhrp_mlist mcast;
	struct nhrp_prefix_set prefixes[2];	/* [0] IPv4, [1] IPv6 */
	struct delayed_work gc_work;
	const struct nhrp_cache_ops *ops;
};

int nhrp_cache_module_init(void);
void nhrp_cache_module_exit(void);
int nhrp_cache_init(struct nhrp_cache *cache, const struct nhrp_cache_ops *ops,
		    unsigned int max_entries, unsigned int max_per_nbma);
void nhrp_cache_shutdown(struct nhrp_cache *cache);
void nhrp_cache_destroy(struct nhrp_cache *cache);

struct nhrp_entry *nhrp_cache_lookup(struct nhrp_cache *cache,
				     const struct nhrp_key *key);
struct nhrp_entry *nhrp_cache_lookup_prefix(struct nhrp_cache *cache,
					    const struct nhrp_key *dst);

/* Whether any shortcut of dst's family exists: transmit's cheap test. */
static inline bool nhrp_cache_has_prefixes(const struct nhrp_cache *cache,
					   u8 family)
{
	return READ_ONCE(cache->prefixes[family == AF_INET6].nr);
}

/* What nhrp_cache_add() does when the key exists already. */
enum nhrp_add_mode {
	NHRP_ADD_EXCL,		/* fail with -EEXIST */
	NHRP_ADD_REPLACE,	/* replace whatever is there */
	/*
	 * What the NHRP engine learns: replace dynamic entries, but never
	 * a static or local one (-EPERM), nor a unique registration from
	 * another NBMA address (-EADDRINUSE); nor a registration beyond
	 * its NBMA address's quota (-EDQUOT).
	 */
	NHRP_ADD_LEARN,
	/*
	 * What the hub does once a unique registration's holder proved
	 * gone: NHRP_ADD_LEARN, but taking the unique registration too.
	 */
	NHRP_ADD_MOVE,
};

/* Engine bits of an entry (nhrp_entry.ebits); never shown to users.  An
 * update of the entry (nhrp_cache_add()) clears them.
 */
#define NHRP_EB_REFRESHING	0	/* a refreshing request is out */
/* Bits 1 and 2 are the multicast list's (NHRP_MLIST_*). */

int nhrp_cache_add(struct nhrp_cache *cache, const struct nhrp_entry_cfg *cfg,
		   enum nhrp_add_mode mode, gfp_t gfp);
int nhrp_cache_del(struct nhrp_cache *cache, const struct nhrp_key *key);
unsigned int nhrp_cache_flush(struct nhrp_cache *cache, int type);
void nhrp_cache_set_limit(struct nhrp_cache *cache, unsigned int max_entries,
			  unsigned int max_per_nbma);
struct nhrp_entry *nhrp_cache_next(struct nhrp_cache *cache, unsigned long *id);
unsigned int nhrp_cache_set_flag(struct nhrp_cache *cache,
				 bool (*match)(const struct nhrp_entry *e,
					       const void *arg),
				 const void *arg, u8 flag, bool on);

/* Multicast targets, under rcu_read_lock(). */
#define nhrp_cache_for_each_mcast(cache, e) \
	hlist_for_each_entry_rcu(e, &(cache)->mcast.head, mcast)

static inline unsigned int nhrp_cache_count(const struct nhrp_cache *cache)
{
	return READ_ONCE(cache->count);
}

/* Usable for transmit as it is: not waiting for, or refused, an answer. */
static inline bool nhrp_entry_usable(const struct nhrp_entry *e)
{
	u8 type = READ_ONCE(e->type);

	return type != MGRE_ENTRY_INCOMPLETE && type != MGRE_ENTRY_NEGATIVE;
}

/* Transmit path: record use without dirtying the line on every packet. */
static inline void nhrp_entry_touch(struct nhrp_entry *e)
{
	unsigned long now = jiffies;

	if (READ_ONCE(e->used) != now)
		WRITE_ONCE(e->used, now);
}

static inline void nhrp_key_init4(struct nhrp_key *key, __be32 addr)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET;
	key->addr.v4 = addr;
}

static inline void nhrp_key_init6(struct nhrp_key *key,
				  const struct in6_addr *addr)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET6;
	key->addr.v6 = *addr;
}

static inline unsigned int nhrp_key_hostlen(const struct nhrp_key *key)
{
	return key->family == AF_INET6 ? 128 : 32;
}

/* The shortcut key of addr/plen: addr with its host bits cleared. */
static inline void nhrp_key_prefix(struct nhrp_key *key,
				   const struct nhrp_key *addr,
				   unsigned int plen)
{
	memset(key, 0, sizeof(*key));
	key->family = addr->family;
	key->plen = plen;
	if (addr->family == AF_INET6)
		ipv6_addr_prefix(&key->addr.v6, &addr->addr.v6, plen);
	else
		key->addr.v4 = addr->addr.v4 & inet_make_mask(plen);
}

#endif /* _MGRE_NHRP_CACHE_H */
