// SPDX-License-Identifier: GPL-2.0
/*
 * The mgre netdevice: setup, init and teardown, open/stop, statistics,
 * and the event callbacks every device reports through.  Under RTNL
 * unless said otherwise.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>

#include "device.h"
#include "tunnel.h"
#include "nhrp.h"
#include "rcv.h"
#include "xmit.h"

/* What the device takes from the stack unmodified, as ip_gre: the GRE
 * header is built in front of whatever the skb holds.
 */
#define MGRE_FEATURES	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | \
			 NETIF_F_HW_CSUM)

/**
 * mgre_dev_counter_sum() - one device counter, summed over CPUs
 * @m: the device
 * @counter: MGRE_STATS_A_* index
 *
 * Return: the sum; not a snapshot across counters.
 */
u64 mgre_dev_counter_sum(const struct mgre_dev *m, int counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(m->counters, cpu)->cnt[counter]);
	return sum;
}

static void mgre_cache_notify(struct nhrp_cache *cache,
			      const struct nhrp_entry *e, enum nhrp_event event,
			      bool quiet)
{
	struct mgre_dev *m = container_of(cache, struct mgre_dev, cache);

	/* Every change interrupts a dump, reported or not. */
	atomic_inc(&mgre_net(dev_net(m->dev))->gen);
	if (!quiet && m->events && m->events->entry)
		m->events->entry(m, e, event);
}

static void mgre_cache_summary(struct nhrp_cache *cache,
			       enum nhrp_event event, int type,
			       unsigned int count)
{
	struct mgre_dev *m = container_of(cache, struct mgre_dev, cache);

	if (m->events && m->events->summary)
		m->events->summary(m, event, type, count);
}

static const struct nhrp_cache_ops mgre_cache_ops = {
	.notify = mgre_cache_notify,
	.summary = mgre_cache_summary,
};

/* Written at module init, before any device exists. */
static const struct mgre_event_ops *mgre_events __read_mostly;

/**
 * mgre_dev_set_events() - register the listener of every device's events
 * @ops: the callbacks, or NULL
 *
 * At module init and exit only, while no device exists: each device takes
 * the pointer when it is created.
 */
void mgre_dev_set_events(const struct mgre_event_ops *ops)
{
	mgre_events = ops;
}

static int mgre_dev_init(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);
	int err;

	m->dev = dev;
	m->events = mgre_events;
	err = mgre_dev_stats_alloc(dev);
	if (err)
		return err;
	m->counters = alloc_percpu(struct mgre_pcpu_counters);
	if (!m->counters) {
		err = -ENOMEM;
		goto err_free_tstats;
	}
	err = mgre_tunnel_rtc_alloc(m);
	if (err)
		goto err_free_counters;
	err = gro_cells_init(&m->gro_cells, dev);
	if (err)
		goto err_free_rtc;
	err = nhrp_cache_init(&m->cache, &mgre_cache_ops, m->parms.max_entries,
			      m->parms.max_per_nbma);
	if (err)
		goto err_gro_cells;
	err = mgre_nhrp_init(m);
	if (err)
		goto err_cache;
	return 0;

err_cache:
	nhrp_cache_shutdown(&m->cache);
	nhrp_cache_destroy(&m->cache);
err_gro_cells:
	gro_cells_destroy(&m->gro_cells);
err_free_rtc:
	mgre_tunnel_rtc_free(m);
err_free_counters:
	free_percpu(m->counters);
err_free_tstats:
	mgre_dev_stats_free(dev);
	return err;
}

/* Runs for a device that registered, and for one that failed to. */
static void mgre_dev_uninit(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	if (!list_empty(&m->list)) {
		list_del_rcu(&m->list);
		mgre_rcv_net_put(dev_net(dev));
	}
	/* The NHS works write to the cache: stop them first. */
	mgre_nhrp_uninit(m);
	nhrp_cache_shutdown(&m->cache);
}

/*
 * After the last reference: no reader can reach the device any more, so
 * the tables themselves can go.
 */
static void mgre_dev_free(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	mgre_nhrp_free(m);
	nhrp_cache_destroy(&m->cache);
	gro_cells_destroy(&m->gro_cells);
	mgre_tunnel_rtc_free(m);
	free_percpu(m->counters);
	mgre_dev_stats_free(dev);
}

static int mgre_open(struct net_device *dev)
{
	mgre_nhrp_open(netdev_priv(dev));
	return 0;
}

static int mgre_stop(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	mgre_nhrp_stop(m);
	/* The core deactivated the device first: no transmit runs, and
	 * cached routes stop pinning what they point to while it is down.
	 */
	mgre_tunnel_rtc_flush(m);
	return 0;
}

static void mgre_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *s)
{
	dev_get_tstats64(dev, s);
}

static const struct net_device_ops mgre_netdev_ops = {
	.ndo_init		= mgre_dev_init,
	.ndo_uninit		= mgre_dev_uninit,
	.ndo_open		= mgre_open,
	.ndo_stop		= mgre_stop,
	.ndo_start_xmit		= mgre_xmit_skb,
	.ndo_get_stats64	= mgre_get_stats64,
};

/**
 * netif_is_mgre() - whether a netdevice is an mgre device
 * @dev: any netdevice
 *
 * Return: true for devices of this module.
 */
bool netif_is_mgre(const struct net_device *dev)
{
	return dev->netdev_ops == &mgre_netdev_ops;
}

/**
 * mgre_dev_setup() - the rtnl setup of a new mgre device
 * @dev: the device being created
 *
 * Netdev ops, flags and defaults; the per-device state is allocated in
 * ndo_init.
 */
void mgre_dev_setup(struct net_device *dev)
{
	struct mgre_dev *m = netdev_priv(dev);

	dev->netdev_ops = &mgre_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = mgre_dev_free;
	dev->type = ARPHRD_IPGRE;
	/*
	 * Point-to-point as far as the neighbour layer goes, as wireguard:
	 * IPv4 output then keys every next hop on this device to one
	 * neighbour entry instead of creating one per next hop, which at a
	 * hub with 100,000 spokes thrashed the neighbour table (gc_thresh3
	 * is 1024) on every packet.  The transmit path takes the next hop
	 * from the route, not from the neighbour.  Routing daemons see a
	 * point-to-point link: run OSPF as point-to-multipoint explicitly.
	 * Multicast goes to the entries flagged for it (mgre_xmit_mcast).
	 */
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->addr_len = 4;
	dev->hard_header_len = 0;
	dev->min_mtu = ETH_MIN_MTU;
	mgre_dev_set_lltx_netns_local(dev);
	/*
	 * No qdisc by default, as vxlan, geneve and wireguard: the underlay
	 * device has its own, and a queue here only costs every packet an
	 * enqueue, a dequeue and the qdisc lock.  tc can still add one (to
	 * shape a tunnel).
	 */
	dev->priv_flags |= IFF_NO_QUEUE;
	/*
	 * The offloads ip_gre advertises: TCP and UDP hand down whole
	 * super-packets, and GSO of GRE cuts them after encapsulation (the
	 * underlay device, or the stack before it, builds the segments).
	 * The GRE header carries no checksum and no sequence number, so
	 * nothing in it needs rewriting per segment.  ethtool -K turns each
	 * off.
	 */
	dev->features |= MGRE_FEATURES | NETIF_F_GSO_SOFTWARE;
	dev->hw_features |= MGRE_FEATURES | NETIF_F_GSO_SOFTWARE;
	mgre_dev_stats_setup(dev);
	/* Transmit keys the cache by the route's next hop: keep the route
	 * on the packet until ndo_start_xmit, as ip_gre does.
	 */
	netif_keep_dst(dev);

	INIT_LIST_HEAD(&m->list);
	m->parms.ttl = MGRE_DEFAULT_TTL;
	m->parms.holdtime = MGRE_DEFAULT_HOLDTIME;
	m->parms.max_entries = MGRE_DEFAULT_MAX_ENTRIES;
	m->parms.mcast_limit = MGRE_DEFAULT_MCAST_LIMIT;
	m->parms.max_per_nbma = MGRE_DEFAULT_MAX_PER_NBMA;
	m->parms.max_holdtime = MGRE_DEFAULT_MAX_HOLDTIME;
}
