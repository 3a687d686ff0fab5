// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP cache: an rhashtable for lookups, an xarray that gives every entry a
 * stable index so that dumps can resume where they stopped, and a wheel of
 * one-second expiry slots so that expiry touches only the entries whose
 * second has come (plus, for holdtimes longer than the wheel, one revisit per
 * turn) instead of rescanning the table.
 */

#include <linux/slab.h>
#include <linux/jiffies.h>

#include "nhrp_cache.h"

/*
 * Entries have their own slab cache, "mgre_entry": 104 bytes an entry
 * instead of kmalloc-128's 128, and /proc/slabinfo shows them apart when
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

static unsigned long expiry_sec(unsigned long expires)
{
	/* Round up: an entry is due once its whole second has passed. */
	return DIV_ROUND_UP(expires, HZ);
}

static struct hlist_head *wheel_slot(struct nhrp_cache *cache,
				     unsigned long sec)
{
	return &cache->wheel[sec & (NHRP_WHEEL_SLOTS - 1)];
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
	hlist_add_head(&e->wheel, wheel_slot(cache, expiry_sec(e->expires)));
	if (!cache->nr_timed++) {
		cache->wheel_sec = jiffies / HZ;
		gc_schedule(cache);
	}
}

static void entry_disarm(struct nhrp_cache *cache, struct nhrp_entry *e)
{
	lockdep_assert_held(&cache->lock);

	if (!e->holdtime)
		return;
	hlist_del(&e->wheel);
	cache->nr_timed--;
}

/* Multicast copies go to flagged entries that have somewhere to go. */
static bool entry_wants_mcast(const struct nhrp_entry *e)
{
	return (e->flags & MGRE_ENTRY_F_MULTICAST) && e->nbma &&
	       nhrp_entry_usable(e);
}

static void entry_mcast_del(struct nhrp_cache *cache, struct nhrp_entry *e)
{
	hlist_del_init_rcu(&e->mcast);
	cache->nr_mcast--;
}

/*
 * Membership follows the flag, but is tracked by the node itself: the
 * transmit path sets an engine bit in e->flags without the lock.
 */
static void entry_mcast_sync(struct nhrp_cache *cache, struct nhrp_entry *e)
{
	bool on = !hlist_unhashed(&e->mcast);

	lockdep_assert_held(&cache->lock);

	if (entry_wants_mcast(e) == on)
		return;
	if (on) {
		entry_mcast_del(cache, e);
	} else {
		hlist_add_head_rcu(&e->mcast, &cache->mcast);
		cache->nr_mcast++;
	}
}

/* Shortcuts: keep the set of prefix lengths in use up to date. */
static void entry_prefix_account(struct nhrp_cache *cache,
				 const struct nhrp_entry *e, bool add)
{
	struct nhrp_prefix_set *ps;

	lockdep_assert_held(&cache->lock);

	if (!e->key.plen)
		return;
	ps = &cache->prefixes[e->key.family == AF_INET6];
	if (add) {
		if (!ps->count[e->key.plen]++)
			set_bit(e->key.plen, ps->lens);
		WRITE_ONCE(ps->nr, ps->nr + 1);
	} else {
		if (!--ps->count[e->key.plen])
			clear_bit(e->key.plen, ps->lens);
		WRITE_ONCE(ps->nr, ps->nr - 1);
	}
}

static void entry_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(nhrp_entry_slab,
			container_of(head, struct nhrp_entry, rcu));
}

static void entry_unlink(struct nhrp_cache *cache, struct nhrp_entry *e,
			 enum nhrp_event event)
{
	lockdep_assert_held(&cache->lock);

	rhashtable_remove_fast(&cache->ht, &e->node, nhrp_rht_params);
	xa_erase(&cache->ids, e->id);
	entry_disarm(cache, e);
	if (!hlist_unhashed(&e->mcast))
		entry_mcast_del(cache, e);
	entry_prefix_account(cache, e, false);
	cache->count--;
	/* A cache being shut down goes quietly: its owner is going away. */
	if (cache->ops->notify && !cache->dead)
		cache->ops->notify(cache, e, event);
	/* Not kfree_rcu(): rcu_barrier() must be able to wait for it before
	 * the slab cache is destroyed at module unload.
	 */
	call_rcu(&e->rcu, entry_free_rcu);
}

static void expire_slot(struct nhrp_cache *cache, unsigned long sec)
{
	struct hlist_node *tmp;
	struct nhrp_entry *e;

	hlist_for_each_entry_safe(e, tmp, wheel_slot(cache, sec), wheel) {
		/* Entries a whole turn (or more) ahead share the slot. */
		if (time_before(jiffies, e->expires))
			continue;
		entry_unlink(cache, e, NHRP_EVT_EXPIRE);
	}
}

static void nhrp_gc_work(struct work_struct *work)
{
	struct nhrp_cache *cache = container_of(to_delayed_work(work),
						struct nhrp_cache, gc_work);
	unsigned long now_sec, sec, n;

	spin_lock_bh(&cache->lock);
	if (cache->dead || !cache->nr_timed)
		goto out;

	now_sec = jiffies / HZ;
	/* After a long stall every slot is due at most once. */
	n = min_t(unsigned long, now_sec - cache->wheel_sec + 1,
		  NHRP_WHEEL_SLOTS);
	for (sec = now_sec + 1 - n; sec != now_sec + 1; sec++) {
		expire_slot(cache, sec);
		if (need_resched() && sec != now_sec) {
			/* A hub expiring thousands of entries at once
			 * must not hog the CPU with bottom halves off.
			 */
			cache->wheel_sec = sec + 1;
			spin_unlock_bh(&cache->lock);
			cond_resched();
			spin_lock_bh(&cache->lock);
			if (cache->dead)
				goto out;
		}
	}
	cache->wheel_sec = now_sec + 1;
	if (cache->nr_timed)
		gc_schedule(cache);
out:
	spin_unlock_bh(&cache->lock);
}

static unsigned int __nhrp_cache_flush_locked(struct nhrp_cache *cache,
					      int type)
{
	unsigned int n = 0;
	struct nhrp_entry *e;
	unsigned long id;

	lockdep_assert_held(&cache->lock);

	xa_for_each(&cache->ids, id, e) {
		if (type >= 0 && e->type != type)
			continue;
		entry_unlink(cache, e, NHRP_EVT_DEL);
		n++;
	}
	return n;
}

int __init nhrp_cache_module_init(void)
{
	nhrp_entry_slab = kmem_cache_create("mgre_entry",
					    sizeof(struct nhrp_entry),
					    __alignof__(struct nhrp_entry),
					    0, NULL);
	return nhrp_entry_slab ? 0 : -ENOMEM;
}

/* After rcu_barrier(): every entry's RCU callback has run. */
void nhrp_cache_module_exit(void)
{
	kmem_cache_destroy(nhrp_entry_slab);
}

int nhrp_cache_init(struct nhrp_cache *cache, const struct nhrp_cache_ops *ops,
		    unsigned int max_entries)
{
	int err;

	cache->wheel = kvcalloc(NHRP_WHEEL_SLOTS, sizeof(*cache->wheel),
				GFP_KERNEL);
	if (!cache->wheel)
		return -ENOMEM;
	err = rhashtable_init(&cache->ht, &nhrp_rht_params);
	if (err) {
		kvfree(cache->wheel);
		return err;
	}
	xa_init_flags(&cache->ids, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_BH);
	INIT_HLIST_HEAD(&cache->mcast);
	cache->nr_mcast = 0;
	memset(cache->prefixes, 0, sizeof(cache->prefixes));
	spin_lock_init(&cache->lock);
	INIT_DELAYED_WORK(&cache->gc_work, nhrp_gc_work);
	cache->ops = ops;
	cache->max_entries = max_entries;
	cache->next_id = 1;
	return 0;
}

/*
 * Stop the cache: no new entries, no more expiry work, and every entry gone
 * (without events: the owner is going away).  Lookups may still run under
 * RCU until the owner's grace period; the tables stay valid until
 * nhrp_cache_destroy().
 */
void nhrp_cache_shutdown(struct nhrp_cache *cache)
{
	spin_lock_bh(&cache->lock);
	cache->dead = true;
	spin_unlock_bh(&cache->lock);
	cancel_delayed_work_sync(&cache->gc_work);

	spin_lock_bh(&cache->lock);
	__nhrp_cache_flush_locked(cache, -1);
	spin_unlock_bh(&cache->lock);
}

void nhrp_cache_destroy(struct nhrp_cache *cache)
{
	WARN_ON(cache->count);
	rhashtable_destroy(&cache->ht);
	xa_destroy(&cache->ids);
	kvfree(cache->wheel);
}

/* Caller holds rcu_read_lock(): bottom halves off is not enough for lockdep. */
struct nhrp_entry *nhrp_cache_lookup(struct nhrp_cache *cache,
				     const struct nhrp_key *key)
{
	return rhashtable_lookup(&cache->ht, key, nhrp_rht_params);
}

/*
 * The longest usable shortcut whose prefix holds dst (a host key), under
 * rcu_read_lock().  The set of lengths is read without the lock: a length
 * added or removed meanwhile costs one packet the other path at worst.
 */
struct nhrp_entry *nhrp_cache_lookup_prefix(struct nhrp_cache *cache,
					    const struct nhrp_key *dst)
{
	const struct nhrp_prefix_set *ps;
	unsigned long size = nhrp_key_hostlen(dst) + 1, plen;
	struct nhrp_entry *e;
	struct nhrp_key key;

	ps = &cache->prefixes[dst->family == AF_INET6];
	for (;;) {
		/* find_last_bit() answers size when no bit below it is set. */
		plen = find_last_bit(ps->lens, size);
		if (plen >= size || !plen)
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
			const struct nhrp_entry_cfg *cfg)
{
	bool changed = e->nbma != cfg->nbma || e->type != cfg->type ||
		       (e->flags & MGRE_ENTRY_F_ALL) != cfg->flags ||
		       e->holdtime != cfg->holdtime;

	entry_disarm(cache, e);
	WRITE_ONCE(e->nbma, cfg->nbma);
	WRITE_ONCE(e->type, cfg->type);
	WRITE_ONCE(e->flags, cfg->flags);
	e->holdtime = cfg->holdtime;
	if (changed)
		WRITE_ONCE(e->updated, jiffies);
	if (e->holdtime)
		entry_arm(cache, e);
	entry_mcast_sync(cache, e);
	return changed;
}

static int entry_may_learn(const struct nhrp_entry *old,
			   const struct nhrp_entry_cfg *cfg)
{
	if (old->type == MGRE_ENTRY_STATIC || old->type == MGRE_ENTRY_LOCAL)
		return old->nbma == cfg->nbma ? -EALREADY : -EPERM;
	if (old->type == MGRE_ENTRY_REGISTERED &&
	    (old->flags & MGRE_ENTRY_F_UNIQUE) && old->nbma != cfg->nbma)
		return -EADDRINUSE;
	return 0;
}

/*
 * Add an entry, or update the one with the same key as mode allows.  A
 * learnt entry that matches a static one exactly is not an error: -EALREADY
 * tells the engine that nothing changed.
 */
int nhrp_cache_add(struct nhrp_cache *cache, const struct nhrp_entry_cfg *cfg,
		   enum nhrp_add_mode mode, gfp_t gfp)
{
	struct nhrp_entry *e = NULL, *old;
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
		if (mode == NHRP_ADD_LEARN)
			err = entry_may_learn(old, cfg);
		else if (mode == NHRP_ADD_REPLACE)
			err = 0;
		if (err)
			goto err_unlock;
		/* A refresh that changes nothing but the expiry is silent:
		 * a hub renews thousands of registrations a second.
		 */
		if (entry_apply(cache, old, cfg) && cache->ops->notify)
			cache->ops->notify(cache, old, NHRP_EVT_CHANGE);
		spin_unlock_bh(&cache->lock);
		if (e)
			kmem_cache_free(nhrp_entry_slab, e);
		return 0;
	}
	if (cache->count >= cache->max_entries) {
		err = -ENOSPC;
		goto err_unlock;
	}
	/* Atomic: we hold the cache lock, whatever the caller may do. */
	err = xa_alloc_cyclic(&cache->ids, &e->id, e, xa_limit_32b,
			      &cache->next_id, GFP_ATOMIC);
	if (err < 0)
		goto err_unlock;
	err = rhashtable_insert_fast(&cache->ht, &e->node, nhrp_rht_params);
	if (err) {
		xa_erase(&cache->ids, e->id);
		goto err_unlock;
	}
	cache->count++;
	entry_prefix_account(cache, e, true);
	e->updated = jiffies;
	entry_apply(cache, e, cfg);
	if (cache->ops->notify)
		cache->ops->notify(cache, e, NHRP_EVT_ADD);
	spin_unlock_bh(&cache->lock);
	return 0;

err_unlock:
	spin_unlock_bh(&cache->lock);
	if (e)
		kmem_cache_free(nhrp_entry_slab, e);
	return err;
}

int nhrp_cache_del(struct nhrp_cache *cache, const struct nhrp_key *key)
{
	struct nhrp_entry *e;
	int err = -ENOENT;

	spin_lock_bh(&cache->lock);
	e = cache_find_locked(cache, key);
	if (e) {
		entry_unlink(cache, e, NHRP_EVT_DEL);
		err = 0;
	}
	spin_unlock_bh(&cache->lock);
	return err;
}

/* Delete every entry, or every entry of one type (type >= 0). */
unsigned int nhrp_cache_flush(struct nhrp_cache *cache, int type)
{
	unsigned int n;

	spin_lock_bh(&cache->lock);
	n = __nhrp_cache_flush_locked(cache, type);
	spin_unlock_bh(&cache->lock);
	return n;
}

/* A lower limit keeps existing entries; it only refuses new ones. */
void nhrp_cache_set_limit(struct nhrp_cache *cache, unsigned int max_entries)
{
	spin_lock_bh(&cache->lock);
	cache->max_entries = max_entries;
	spin_unlock_bh(&cache->lock);
}

/*
 * Dump iteration under rcu_read_lock(): the first entry whose index is at
 * least *id; *id is left at that index.  Indexes only grow until they wrap
 * at 2^32, so a dump resumed at *id + 1 neither repeats nor skips entries
 * that stayed in the cache.
 */
struct nhrp_entry *nhrp_cache_next(struct nhrp_cache *cache, unsigned long *id)
{
	return xa_find(&cache->ids, id, ULONG_MAX, XA_PRESENT);
}

/*
 * Set or clear one user-visible flag on every entry match() accepts, with
 * a change event for each entry that changed.  Returns how many did.
 */
unsigned int nhrp_cache_set_flag(struct nhrp_cache *cache,
				 bool (*match)(const struct nhrp_entry *e,
					       const void *arg),
				 const void *arg, u8 flag, bool on)
{
	struct nhrp_entry *e;
	unsigned int n = 0;
	unsigned long id;
	u8 flags;

	spin_lock_bh(&cache->lock);
	xa_for_each(&cache->ids, id, e) {
		flags = READ_ONCE(e->flags);
		if (!!(flags & flag) == on || !match(e, arg))
			continue;
		WRITE_ONCE(e->flags, on ? flags | flag : flags & ~flag);
		WRITE_ONCE(e->updated, jiffies);
		entry_mcast_sync(cache, e);
		if (cache->ops->notify && !cache->dead)
			cache->ops->notify(cache, e, NHRP_EVT_CHANGE);
		n++;
	}
	spin_unlock_bh(&cache->lock);
	return n;
}
