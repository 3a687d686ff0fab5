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

/* 6.12 moved NETIF_F_LLTX and NETIF_F_NETNS_LOCAL into net_device bits. */
static inline void mgre_dev_set_lltx_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
#ifdef NETIF_F_NETNS_LOCAL
	dev->features |= NETIF_F_NETNS_LOCAL;
#else
	dev->netns_local = true;
#endif
}

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
