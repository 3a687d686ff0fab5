// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP cache: an rhashtable for lookups, an xarray that gives every entry a
 * stable index so that dumps can resume where they stopped, and a wheel of
 * one-second expiry slots (nhrp_wheel.c) so that expiry touches only the
 * entries whose second has come instead of rescanning the table.
 */

#include <linux/slab.h>
#include <linux/jiffies.h>

#include "nhrp_cache.h"

/*
 * Entries have their own slab cache, "mgre_entry" (128 bytes an entry),
 * so that /proc/slabinfo shows them apart when
 * the kernel does not merge it with a cache of the same size (slab_nomerge
 * on the kernel command line; the selftest VMs boot with it).
 */
static struct kmem_cache *nhrp_entry_slab;

static const struct rhashtable_params nhrp_rht_params = {
	.key_len = sizeof(struct nhrp_key),
	.key_offset = offsetof(struct nhrp_entry, key),
	.head_offset = offsetof(struct nhrp_entry, node),
	.automatic_shrinking = true,
};

/* What the quota counts: registrations, under the address they came from. */
static __be32 entry_quota_nbma(u8 type, __be32 nbma)
{
	return type == MGRE_ENTRY_REGISTERED ? nbma : 0;
}

static void gc_schedule(struct nhrp_cache *cache)
{
	unsigned long now = jiffies;
	unsigned long next = (now / HZ + 1) * HZ;

	mod_delayed_work(system_power_efficient_wq, &cache->gc_work,
			 next - now);
}

static void entry_arm(struct nhrp_cache *cache, struct nhrp_entry *e)
{
	lockdep_assert_held(&cache->lock);

	e->expires = jiffies + (unsigned long)e->holdtime * HZ;
	if (nhrp_wheel_arm(&cache->wheel, &e->wheel, e->expires))
		gc_schedule(cache);
}

static void entry_disarm(struct nhrp_cache *cache, struct nhrp_entry *e)
{
	lockdep_assert_held(&cache->lock);

	if (e->holdtime)
		nhrp_wheel_disarm(&cache->wheel, &e->wheel);
}

/* Multicast copies go to flagged entries that have somewhere to go. */
static bool entry_wants_mcast(const struct nhrp_entry *e)
{
	return (e->flags & MGRE_ENTRY_F_MULTICAST) && e->nbma &&
	       nhrp_entry_usable(e);
}

/*
 * Membership follows the flag.  A node wanted back too soon after it left
 * (nhrp_mlist.h) joins from the expiry work, after a grace period.
 */
static void entry_mcast_sync(struct nhrp_cache *cache, struct nhrp_entry *e)
{
	lockdep_assert_held(&cache->lock);

	if (nhrp_mlist_sync(&cache->mcast, &e->mcast, &e->ebits, &e->mcast_gp,
			    entry_wants_mcast(e)))
		gc_schedule(cache);
}

/* Shortcuts: keep the set of prefix lengths in use up to date. */
static void entry_prefix_account(struct nhrp_cache *cache,
				 const struct nhrp_entry *e, bool add)
{
	lockdep_assert_held(&cache->lock);

	if (e->key.plen)
		nhrp_prefix_account(&cache->prefixes[e->key.family == AF_INET6],
				    e->key.plen, add);
}

static void entry_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(nhrp_entry_slab,
			container_of(head, struct nhrp_entry, rcu));
}

/*
 * A walk reports this many entries one by one, the rest in one summary
 * after it: one flag change is an event of its own, a million are not a
 * million events sent with bottom halves off.
 */
#define NHRP_CACHE_LOUD		256

static void cache_notify(struct nhrp_cache *cache, const struct nhrp_entry *e,
			 enum nhrp_event event, bool quiet)
{
	/* A cache being shut down goes quietly: its owner is going away. */
	if (cache->ops->notify && !cache->dead)
		cache->ops->notify(cache, e, event, quiet);
}

static void cache_summary(struct nhrp_cache *cache, enum nhrp_event event,
			  int type, unsigned int count)
{
	if (count && cache->ops->summary && !READ_ONCE(cache->dead))
		cache->ops->summary(cache, event, type, count);
}

static void entry_unlink(struct nhrp_cache *cache, struct nhrp_entry *e,
			 enum nhrp_event event, bool quiet)
{
	lockdep_assert_held(&cache->lock);

	rhashtable_remove_fast(&cache->ht, &e->node, nhrp_rht_params);
	xa_erase(&cache->ids, e->id);
	entry_disarm(cache, e);
	nhrp_mlist_sync(&cache->mcast, &e->mcast, &e->ebits, &e->mcast_gp,
			false);
	entry_prefix_account(cache, e, false);
	if (entry_quota_nbma(e->type, e->nbma))
		nhrp_nbma_put(&cache->nbma_use, e->nbma);
	cache->count--;
	cache_notify(cache, e, event, quiet);
	/* Not kfree_rcu(): rcu_barrier() must be able to wait for it before
	 * the slab cache is destroyed at module unload.
	 */
	call_rcu(&e->rcu, entry_free_rcu);
}

/*
 * Entries a writer that walks the cache handles under the lock before it
 * lets bottom halves, and the other CPUs waiting for the lock, in: a
 * flush, a device delete, a multicast flag change or a mass expiry at a
 * million entries is thousands of short holds, not one of seconds.
 */
#define NHRP_CACHE_BATCH	256

/*
 * Expires a batch of the slot's due entries, *@n counting those of this
 * pass: returns whether some are left.
 */
static bool expire_slot(struct nhrp_cache *cache, unsigned long sec,
			unsigned int *n)
{
	struct hlist_node *tmp;
	struct nhrp_entry *e;
	unsigned int done = 0;

	hlist_for_each_entry_safe(e, tmp, nhrp_wheel_slot(&cache->wheel, sec), wheel) {
		if (done++ == NHRP_CACHE_BATCH)
			return true;
		/* Due a turn (or more) ahead: deferred, counted in the batch. */
		if (time_before(jiffies, e->expires)) {
			nhrp_wheel_defer(&cache->wheel, &e->wheel, e->expires, sec);
			continue;
		}
		entry_unlink(cache, e, NHRP_EVT_EXPIRE,
			     (*n)++ >= NHRP_CACHE_LOUD);
	}
	return false;
}

/* What a walk does to each entry, under the lock, reporting it unless
 * @quiet: returns whether it counts (deleted, changed).
 */
typedef bool (*cache_walk_fn)(struct nhrp_cache *cache, struct nhrp_entry *e,
			      const void *arg, bool quiet);

/*
 * Every entry, in index order, NHRP_CACHE_BATCH at a time with the lock
 * dropped (and the CPU offered) between batches.  Entries added meanwhile
 * behind the walk's index are not seen.  The first @loud entries that
 * count are reported one by one, the rest are left to a summary.  Process
 * context.
 */
static unsigned int cache_walk(struct nhrp_cache *cache, cache_walk_fn fn,
			       const void *arg, unsigned int loud)
{
	unsigned long id = 0, i;
	unsigned int n = 0, done;
	struct nhrp_entry *e;
	bool more;

	might_sleep();
	do {
		more = false;
		done = 0;
		spin_lock_bh(&cache->lock);
		xa_for_each_start(&cache->ids, i, e, id) {
			if (done++ == NHRP_CACHE_BATCH) {
				id = i;
				more = true;
				break;
			}
			n += fn(cache, e, arg, n >= loud);
		}
		spin_unlock_bh(&cache->lock);
		cond_resched();
	} while (more);
	return n;
}

static bool mcast_late_one(struct nhrp_cache *cache, struct nhrp_entry *e,
			   const void *arg, bool quiet)
{
	if (!test_bit(NHRP_MLIST_LATE, &e->ebits))
		return false;
	entry_mcast_sync(cache, e);
	return true;
}

static void nhrp_gc_work(struct work_struct *work)
{
	struct nhrp_cache *cache = container_of(to_delayed_work(work),
						struct nhrp_cache, gc_work);
	unsigned long now_sec, sec, n;
	unsigned int expired = 0;
	bool more;

	/* Rare: a flag or state flapping within a grace period. */
	if (READ_ONCE(cache->mcast.late) && !READ_ONCE(cache->dead)) {
		WRITE_ONCE(cache->mcast.late, false);
		synchronize_rcu();
		cache_walk(cache, mcast_late_one, NULL, 0);
	}
	spin_lock_bh(&cache->lock);
	if (cache->dead || !cache->wheel.nr)
		goto out;

	now_sec = jiffies / HZ;
	/* After a long stall every slot is due at most once. */
	n = min_t(unsigned long, now_sec - cache->wheel.sec + 1,
		  NHRP_WHEEL_SLOTS);
	sec = now_sec + 1 - n;
	while (sec != now_sec + 1) {
		more = expire_slot(cache, sec, &expired);
		if (!more)
			sec++;
		if (sec != now_sec + 1 && (more || need_resched())) {
			/* A hub expiring thousands of entries at once
			 * must not hog the CPU with bottom halves off.
			 */
			cache->wheel.sec = sec;
			spin_unlock_bh(&cache->lock);
			cond_resched();
			spin_lock_bh(&cache->lock);
			if (cache->dead)
				goto out;
		}
	}
	cache->wheel.sec = now_sec + 1;
	if (cache->wheel.nr)
		gc_schedule(cache);
out:
	spin_unlock_bh(&cache->lock);
	if (expired > NHRP_CACHE_LOUD)
		cache_summary(cache, NHRP_EVT_EXPIRE, -1,
			      expired - NHRP_CACHE_LOUD);
}

static bool flush_one(struct nhrp_cache *cache, struct nhrp_entry *e,
		      const void *arg, bool quiet)
{
	int type = *(const int *)arg;

	if (type >= 0 && e->type != type)
		return false;
	entry_unlink(cache, e, NHRP_EVT_DEL, quiet);
	return true;
}

/**
 * nhrp_cache_module_init() - create the slab cache of the entries
 *
 * Context: module load, process context.  (Why a slab cache of their own:
 * see nhrp_entry_slab.)
 *
 * Return: 0, or -ENOMEM when the slab cache cannot be created.
 */
int __init nhrp_cache_module_init(void)
{
	nhrp_entry_slab = kmem_cache_create("mgre_entry",
					    sizeof(struct nhrp_entry),
					    __alignof__(struct nhrp_entry),
					    0, NULL);
	return nhrp_entry_slab ? 0 : -ENOMEM;
}

/**
 * nhrp_cache_module_exit() - destroy the slab cache of the entries
 *
 * Module unload, process context, and only after rcu_barrier(): every
 * entry's RCU callback must have run, since those free into this cache
 * (which is why entries go with call_rcu(), not kfree_rcu()).
 */
void nhrp_cache_module_exit(void)
{
	kmem_cache_destroy(nhrp_entry_slab);
}

/**
 * nhrp_cache_init() - set up an empty cache for one device
 * @cache: the device's cache, to initialise
 * @ops: the owner's callbacks; @ops->notify may be NULL
 * @max_entries: how many entries the cache accepts before refusing new ones
 * @max_per_nbma: how many registered entries one NBMA address may hold,
 *	when the engine learns them (NHRP_ADD_LEARN, NHRP_ADD_MOVE)
 *
 * Process context, may sleep (GFP_KERNEL allocations).  Nothing else may
 * use @cache before this returns 0.
 *
 * Return: 0, -ENOMEM when the expiry wheel cannot be allocated, or the
 * error of rhashtable_init() (for either table).
 */
int nhrp_cache_init(struct nhrp_cache *cache, const struct nhrp_cache_ops *ops,
		    unsigned int max_entries, unsigned int max_per_nbma)
{
	int err;

	err = nhrp_wheel_init(&cache->wheel);
	if (err)
		return err;
	err = rhashtable_init(&cache->ht, &nhrp_rht_params);
	if (err)
		goto err_wheel;
	err = nhrp_nbma_init(&cache->nbma_use);
	if (err)
		goto err_ht;
	xa_init_flags(&cache->ids, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_BH);
	nhrp_mlist_init(&cache->mcast);
	memset(cache->prefixes, 0, sizeof(cache->prefixes));
	spin_lock_init(&cache->lock);
	INIT_DELAYED_WORK(&cache->gc_work, nhrp_gc_work);
	cache->ops = ops;
	cache->max_entries = max_entries;
	cache->max_per_nbma = max_per_nbma;
	cache->next_id = 1;
	return 0;

err_ht:
	rhashtable_destroy(&cache->ht);
err_wheel:
	nhrp_wheel_destroy(&cache->wheel);
	return err;
}

/**
 * nhrp_cache_shutdown() - stop the cache and empty it
 * @cache: the device's cache
 *
 * No new entries, no more expiry work, and every entry gone (without
 * events: the owner is going away).  Lookups may still run under RCU
 * until the owner's grace period; the tables stay valid until
 * nhrp_cache_destroy().
 *
 * Process context, may sleep: waits for the expiry work to finish; takes
 * the cache lock with bottom halves off.  The owner must have stopped its
 * own writers first (an add after this fails with -ENODEV).
 */
void nhrp_cache_shutdown(struct nhrp_cache *cache)
{
	spin_lock_bh(&cache->lock);
	WRITE_ONCE(cache->dead, true);
	spin_unlock_bh(&cache->lock);
	cancel_delayed_work_sync(&cache->gc_work);

	cache_walk(cache, flush_one, &(int){ -1 }, 0);
}

/**
 * nhrp_cache_destroy() - free the tables of a cache that was shut down
 * @cache: the device's cache, emptied by nhrp_cache_shutdown()
 *
 * Process context, once no RCU reader can reach @cache any more (after the
 * owner's last reference): lookups walk the tables freed here.  Warns if
 * entries are left.
 */
void nhrp_cache_destroy(struct nhrp_cache *cache)
{
	WARN_ON(cache->count);
	rhashtable_destroy(&cache->ht);
	nhrp_nbma_destroy(&cache->nbma_use);
	xa_destroy(&cache->ids);
	nhrp_wheel_destroy(&cache->wheel);
}

/**
 * nhrp_cache_lookup() - find the entry of a key
 * @cache: the device's cache
 * @key: the exact key: a host address (plen 0) or a shortcut's prefix
 *
 * Lockless: the caller holds rcu_read_lock() (bottom halves off is not
 * enough for lockdep), and the entry stays valid only until it drops it.
 * The entry may be incomplete or negative: see nhrp_entry_usable().
 *
 * Return: the entry, or NULL when there is none.
 */
struct nhrp_entry *nhrp_cache_lookup(struct nhrp_cache *cache,
				     const struct nhrp_key *key)
{
	return rhashtable_lookup(&cache->ht, key, nhrp_rht_params);
}

/**
 * nhrp_cache_lookup_prefix() - find the longest shortcut holding an address
 * @cache: the device's cache
 * @dst: a host key (plen 0), the destination
 *
 * Tries only the prefix lengths in use by shortcuts of @dst's family,
 * longest first.  Lockless, under rcu_read_lock(): the set of lengths is
 * read without the lock, so a length added or removed meanwhile costs one
 * packet the other path at worst.
 *
 * Return: the longest usable shortcut whose prefix holds @dst, or NULL.
 */
struct nhrp_entry *nhrp_cache_lookup_prefix(struct nhrp_cache *cache,
					    const struct nhrp_key *dst)
{
	const struct nhrp_prefix_set *ps;
	unsigned int size = nhrp_key_hostlen(dst) + 1, plen;
	struct nhrp_entry *e;
	struct nhrp_key key;

	ps = &cache->prefixes[dst->family == AF_INET6];
	for (;;) {
		plen = nhrp_prefix_below(ps, size);
		if (!plen)
			return NULL;
		nhrp_key_prefix(&key, dst, plen);
		e = nhrp_cache_lookup(cache, &key);
		if (e && nhrp_entry_usable(e))
			return e;
		size = plen;
	}
}

/*
 * Writers: the entry found stays valid while the cache lock is held (only
 * lock holders unlink entries), but the table walk itself is an RCU read.
 */
static struct nhrp_entry *cache_find_locked(struct nhrp_cache *cache,
					    const struct nhrp_key *key)
{
	lockdep_assert_held(&cache->lock);
	return rhashtable_lookup_fast(&cache->ht, key, nhrp_rht_params);
}

/* Returns whether anything a user would see, other than expiry, changed. */
static bool entry_apply(struct nhrp_cache *cache, struct nhrp_entry *e,
			const struct nhrp_entry_cfg *cfg,
			struct nhrp_nbma_use *use)
{
	bool changed = e->nbma != cfg->nbma || e->type != cfg->type ||
		       (e->flags & MGRE_ENTRY_F_ALL) != cfg->flags ||
		       e->holdtime != cfg->holdtime;

	nhrp_nbma_move(&cache->nbma_use, entry_quota_nbma(e->type, e->nbma),
		       entry_quota_nbma(cfg->type, cfg->nbma), use);
	entry_disarm(cache, e);
	WRITE_ONCE(e->nbma, cfg->nbma);
	WRITE_ONCE(e->type, cfg->type);
	WRITE_ONCE(e->flags, cfg->flags);
	clear_bit(NHRP_EB_REFRESHING, &e->ebits);
	e->holdtime = cfg->holdtime;
	if (changed)
		WRITE_ONCE(e->updated, jiffies);
	if (e->holdtime)
		entry_arm(cache, e);
	entry_mcast_sync(cache, e);
	return changed;
}

static int entry_may_learn(const struct nhrp_entry *old,
			   const struct nhrp_entry_cfg *cfg,
			   enum nhrp_add_mode mode)
{
	if (old->type == MGRE_ENTRY_STATIC || old->type == MGRE_ENTRY_LOCAL)
		return old->nbma == cfg->nbma ? -EALREADY : -EPERM;
	if (mode != NHRP_ADD_MOVE && old->type == MGRE_ENTRY_REGISTERED &&
	    (old->flags & MGRE_ENTRY_F_UNIQUE) && old->nbma != cfg->nbma)
		return -EADDRINUSE;
	return 0;
}

/**
 * nhrp_cache_add() - add an entry, or update the one with the same key
 * @cache: the device's cache
 * @cfg: the key and what the entry is to hold
 * @mode: what to do when the key exists already (enum nhrp_add_mode)
 * @gfp: how to allocate a new entry: GFP_ATOMIC from softirq
 *
 * Any context that may allocate with @gfp; takes the cache lock with
 * bottom halves off, so not under it.  The owner's notify callback hears
 * of an added entry, and of a changed one; a refresh that changes only the
 * expiry is silent (a hub renews thousands of registrations a second).
 *
 * Return: 0 when the entry was added or updated; -EEXIST when it exists
 * and @mode is NHRP_ADD_EXCL; with NHRP_ADD_LEARN (or MOVE, which never
 * fails with -EADDRINUSE), -EALREADY when a static
 * or local entry has this NBMA address already (not an error: nothing
 * changed), -EPERM when it has another, -EADDRINUSE when a unique
 * registration holds another NBMA address, -EDQUOT when a registration's
 * NBMA address holds max_per_nbma registered entries already; -ENODEV when
 * the cache is shut down; -ENOSPC when it holds max_entries already; -ENOMEM, or the error of
 * xa_alloc_cyclic() or rhashtable_insert_fast(), when the entry, its index
 * or its table slot cannot be allocated.
 */
int nhrp_cache_add(struct nhrp_cache *cache, const struct nhrp_entry_cfg *cfg,
		   enum nhrp_add_mode mode, gfp_t gfp)
{
	bool learn = mode == NHRP_ADD_LEARN || mode == NHRP_ADD_MOVE;
	struct nhrp_entry *e = NULL, *old;
	struct nhrp_nbma_use *use = NULL;
	bool exists;
	int err;

	/* Renewals, the common case at a hub, allocate nothing. */
	exists = rhashtable_lookup_fast(&cache->ht, &cfg->key, nhrp_rht_params);
	for (;;) {
		if (!exists) {
			e = kmem_cache_zalloc(nhrp_entry_slab, gfp);
			if (!e)
				return -ENOMEM;
			e->key = cfg->key;
			e->created = jiffies;
			INIT_HLIST_NODE(&e->mcast);
		}
		spin_lock_bh(&cache->lock);
		old = cache_find_locked(cache, &cfg->key);
		if (old || e)
			break;
		/* Deleted between the lookup and the lock: allocate. */
		spin_unlock_bh(&cache->lock);
		exists = false;
	}
	if (cache->dead) {
		err = -ENODEV;
		goto err_unlock;
	}
	if (old) {
		err = -EEXIST;
		if (learn)
			err = entry_may_learn(old, cfg, mode);
		else if (mode == NHRP_ADD_REPLACE)
			err = 0;
		if (!err)
			err = nhrp_nbma_charge(&cache->nbma_use,
					       entry_quota_nbma(old->type,
								old->nbma),
					       entry_quota_nbma(cfg->type,
								cfg->nbma),
					       learn ? cache->max_per_nbma : 0,
					       &use);
		if (err)
			goto err_unlock;
		/* A refresh that changes nothing but the expiry is silent:
		 * a hub renews thousands of registrations a second.
		 */
		if (entry_apply(cache, old, cfg, use))
			cache_notify(cache, old, NHRP_EVT_CHANGE, false);
		spin_unlock_bh(&cache->lock);
		if (e)
			kmem_cache_free(nhrp_entry_slab, e);
		return 0;
	}
	if (cache->count >= cache->max_entries) {
		err = -ENOSPC;
		goto err_unlock;
	}
	err = nhrp_nbma_charge(&cache->nbma_use, 0,
			       entry_quota_nbma(cfg->type, cfg->nbma),
			       learn ? cache->max_per_nbma : 0, &use);
	if (err)
		goto err_unlock;
	/* Atomic: we hold the cache lock, whatever the caller may do. */
	err = xa_alloc_cyclic(&cache->ids, &e->id, e, xa_limit_32b,
			      &cache->next_id, GFP_ATOMIC);
	if (err < 0)
		goto err_use;
	err = rhashtable_insert_fast(&cache->ht, &e->node, nhrp_rht_params);
	if (err) {
		xa_erase(&cache->ids, e->id);
		goto err_use;
	}
	cache->count++;
	entry_prefix_account(cache, e, true);
	e->updated = jiffies;
	entry_apply(cache, e, cfg, use);
	cache_notify(cache, e, NHRP_EVT_ADD, false);
	spin_unlock_bh(&cache->lock);
	return 0;

err_use:
	if (use)
		nhrp_nbma_drop(&cache->nbma_use, use);	/* made for this entry, still 0 */
err_unlock:
	spin_unlock_bh(&cache->lock);
	if (e)
		kmem_cache_free(nhrp_entry_slab, e);
	return err;
}

/**
 * nhrp_cache_del() - delete the entry of a key
 * @cache: the device's cache
 * @key: the exact key, as for nhrp_cache_lookup()
 *
 * Any context; takes the cache lock with bottom halves off.  The owner's
 * notify callback hears of the deletion, unless the cache is shut down.
 * The entry is freed after an RCU grace period.
 *
 * Return: 0, or -ENOENT when there is no entry of @key.
 */
int nhrp_cache_del(struct nhrp_cache *cache, const struct nhrp_key *key)
{
	struct nhrp_entry *e;
	int err = -ENOENT;

	spin_lock_bh(&cache->lock);
	e = cache_find_locked(cache, key);
	if (e) {
		entry_unlink(cache, e, NHRP_EVT_DEL, false);
		err = 0;
	}
	spin_unlock_bh(&cache->lock);
	return err;
}

/**
 * nhrp_cache_flush() - delete every entry, or every entry of one type
 * @cache: the device's cache
 * @type: an enum mgre_entry_type, or a negative value for every type
 *
 * Process context, may sleep: the walk takes the cache lock with bottom
 * halves off for NHRP_CACHE_BATCH entries at a time.  The owner hears of
 * the flush once, by its summary callback, not of each entry (its notify
 * callback is told they are quiet).
 *
 * Return: how many entries were deleted.
 */
unsigned int nhrp_cache_flush(struct nhrp_cache *cache, int type)
{
	unsigned int n = cache_walk(cache, flush_one, &type, 0);

	cache_summary(cache, NHRP_EVT_DEL, type, n);
	return n;
}

/**
 * nhrp_cache_set_limit() - change how many entries the cache accepts
 * @cache: the device's cache
 * @max_entries: the new limit
 * @max_per_nbma: the new quota of registered entries per NBMA address
 *
 * Lower limits keep existing entries; they only refuse new ones.  Any
 * context; takes the cache lock with bottom halves off.
 */
void nhrp_cache_set_limit(struct nhrp_cache *cache, unsigned int max_entries,
			  unsigned int max_per_nbma)
{
	spin_lock_bh(&cache->lock);
	cache->max_entries = max_entries;
	cache->max_per_nbma = max_per_nbma;
	spin_unlock_bh(&cache->lock);
}

/**
 * nhrp_cache_next() - the next entry of a dump
 * @cache: the device's cache
 * @id: the index to start at; left at the index of the entry returned
 *
 * Dump iteration, lockless under rcu_read_lock().  Indexes only grow until
 * they wrap at 2^32, so a dump resumed at *@id + 1 neither repeats nor
 * skips entries that stayed in the cache.
 *
 * Return: the first entry whose index is at least *@id, or NULL when
 * there is none.
 */
struct nhrp_entry *nhrp_cache_next(struct nhrp_cache *cache, unsigned long *id)
{
	return xa_find(&cache->ids, id, ULONG_MAX, XA_PRESENT);
}

struct set_flag_arg {
	bool (*match)(const struct nhrp_entry *e, const void *arg);
	const void *arg;
	u8 flag;
	bool on;
};

static bool set_flag_one(struct nhrp_cache *cache, struct nhrp_entry *e,
			 const void *arg, bool quiet)
{
	const struct set_flag_arg *a = arg;
	u8 flags = e->flags;

	if (!!(flags & a->flag) == a->on || !a->match(e, a->arg))
		return false;
	WRITE_ONCE(e->flags, a->on ? flags | a->flag : flags & ~a->flag);
	WRITE_ONCE(e->updated, jiffies);
	entry_mcast_sync(cache, e);
	cache_notify(cache, e, NHRP_EVT_CHANGE, quiet);
	return true;
}

/**
 * nhrp_cache_set_flag() - set or clear a flag on the entries that match
 * @cache: the device's cache
 * @match: whether an entry is concerned; called with the cache lock held
 * @arg: passed to @match
 * @flag: one user-visible MGRE_ENTRY_F_* flag
 * @on: set @flag (true) or clear it (false)
 *
 * Multicast membership follows the flag.  Process context, may sleep: the
 * walk takes the cache lock with bottom halves off for NHRP_CACHE_BATCH
 * entries at a time, so @match must not sleep nor take it.  The owner's
 * notify callback hears of the first NHRP_CACHE_LOUD entries that changed,
 * its summary callback of the rest, unless the cache is shut down.
 *
 * Return: how many entries changed; those that already had @flag as asked
 * are not counted.
 */
unsigned int nhrp_cache_set_flag(struct nhrp_cache *cache,
				 bool (*match)(const struct nhrp_entry *e,
					       const void *arg),
				 const void *arg, u8 flag, bool on)
{
	struct set_flag_arg a = {
		.match = match, .arg = arg, .flag = flag, .on = on,
	};

	unsigned int n = cache_walk(cache, set_flag_one, &a, NHRP_CACHE_LOUD);

	if (n > NHRP_CACHE_LOUD)
		cache_summary(cache, NHRP_EVT_CHANGE, -1, n - NHRP_CACHE_LOUD);
	return n;
}
