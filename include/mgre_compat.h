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

/*
 * 6.2 split a command's do and dump into two struct genl_split_ops, each
 * with its own policy and pre_doit/post_doit, and gave the family's hooks
 * that type.  6.1 knows only struct genl_ops, one per command, and hooks
 * taking one.  The ops table generated from the spec (netlink-gen.c) is
 * split ops; on 6.1 the struct is declared here with the members the
 * generator fills, and netlink.c folds the table into genl_ops at init.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MGRE_HAVE_GENL_SPLIT_OPS
#else
struct genl_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	int (*pre_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
	void (*post_doit)(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;		/* GENL_* and GENL_CMD_CAP_DO or _DUMP */
	u8 validate;
};
#endif

/* 6.7 can restrict multicast groups to CAP_NET_ADMIN. */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define MGRE_MCGRP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define MGRE_MCGRP_FLAGS	0
#endif

#endif /* _MGRE_COMPAT_H */
