/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version differences, turned into feature macros and helpers.
 * Force-included into every object by Kbuild; the sources never test
 * LINUX_VERSION_CODE themselves.  Floor: 6.1 (Debian bookworm).
 */
#ifndef _MGRE_COMPAT_H
#define _MGRE_COMPAT_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/ip_tunnels.h>
#include <net/genetlink.h>

/* 6.10 turned tunnel flags from __be16 TUNNEL_* into a bitmap. */
#ifdef TUNNEL_KEY
static inline bool mgre_tpi_has_key(const struct tnl_ptk_info *tpi)
{
	return tpi->flags & TUNNEL_KEY;
}
#else
static inline bool mgre_tpi_has_key(const struct tnl_ptk_info *tpi)
{
	return test_bit(IP_TUNNEL_KEY_BIT, tpi->flags);
}
#endif

/*
 * 6.12 moved NETIF_F_LLTX and NETIF_F_NETNS_LOCAL into net_device bits;
 * the latter was then renamed netns_immutable (6.15, and stable 6.12).
 * Kbuild probes the header for the member names.
 */
static inline void mgre_dev_set_lltx_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
#if defined(NETIF_F_NETNS_LOCAL)
	dev->features |= NETIF_F_NETNS_LOCAL;
#elif defined(MGRE_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#else
	dev->netns_local = true;
#endif
}

/*
 * 6.7 lets the core allocate and free dev->tstats (and iptunnel_xmit()
 * warns unless pcpu_stat_type says which kind there is); before, the
 * driver did both.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
static inline void mgre_dev_stats_setup(struct net_device *dev)
{
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

static inline int mgre_dev_stats_alloc(struct net_device *dev)
{
	return 0;
}

static inline void mgre_dev_stats_free(struct net_device *dev)
{
}
#else
static inline void mgre_dev_stats_setup(struct net_device *dev)
{
}

static inline int mgre_dev_stats_alloc(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

static inline void mgre_dev_stats_free(struct net_device *dev)
{
	free_percpu(dev->tstats);
}
#endif

/* 6.6 embedded a struct genl_info in struct genl_dumpit_info. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define mgre_dumpit_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define mgre_dumpit_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/* 6.7 can restrict multicast groups to CAP_NET_ADMIN. */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define MGRE_MCGRP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define MGRE_MCGRP_FLAGS	0
#endif

#endif /* _MGRE_COMPAT_H */
