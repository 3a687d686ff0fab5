// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses and routes the NHRP engine asks about: our own tunnel
 * addresses, which addresses may be registered or resolved, which tunnel
 * peer a route goes through and which prefix we are the way out to.
 * Any context; RCU inside.
 */

#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ip_fib.h>
#include <net/route.h>

#include "nhrp_addr.h"

/**
 * nhrp_addr_own4() - our IPv4 protocol address on the tunnel
 * @dev: the tunnel device
 *
 * Return: the device's first primary IPv4 address, or 0.
 */
__be32 nhrp_addr_own4(struct net_device *dev)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	__be32 addr = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
				addr = ifa->ifa_local;
				break;
			}
		}
	}
	rcu_read_unlock();
	return addr;
}

/**
 * nhrp_addr_is_own4() - whether an IPv4 address is one of the device's
 * @dev: the tunnel device
 * @addr: the address
 *
 * Return: true if @addr is assigned to @dev.
 */
bool nhrp_addr_is_own4(struct net_device *dev, __be32 addr)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	bool own = false;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (ifa->ifa_local == addr) {
				own = true;
				break;
			}
		}
	}
	rcu_read_unlock();
	return own;
}

/* Our IPv6 address on the tunnel: the first usable non-link-local one. */
static bool nhrp_own_addr6(struct net_device *dev, struct in6_addr *addr)
{
	const struct inet6_ifaddr *ifp;
	struct inet6_dev *idev;
	bool found = false;

	/* The list is RCU-safe, as source address selection walks it. */
	rcu_read_lock();
	idev = __in6_dev_get(dev);
	if (idev) {
		list_for_each_entry_rcu(ifp, &idev->addr_list, if_list) {
			if (ifp->scope == IFA_LINK ||
			    (READ_ONCE(ifp->flags) &
			     (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
				continue;
			*addr = ifp->addr;
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * nhrp_addr_own_key() - our tunnel address of a family, as a cache key
 * @dev: the tunnel device
 * @family: AF_INET or AF_INET6
 * @k: filled with the address
 *
 * IPv4: the first primary address; IPv6: the first usable address that is
 * not link-local.
 *
 * Return: false if the device has none.
 */
bool nhrp_addr_own_key(struct net_device *dev, u8 family,
		       struct nhrp_key *k)
{
	struct in6_addr a6;
	__be32 a4;

	if (family == AF_INET6) {
		if (!nhrp_own_addr6(dev, &a6))
			return false;
		nhrp_key_init6(k, &a6);
		return true;
	}
	a4 = nhrp_addr_own4(dev);
	nhrp_key_init4(k, a4);
	return a4 != 0;
}

/**
 * nhrp_addr_is_own_key() - whether a protocol address is one of the device's
 * @dev: the tunnel device
 * @k: the address, either family
 *
 * Return: true if @k is assigned to @dev.
 */
bool nhrp_addr_is_own_key(struct net_device *dev, const struct nhrp_key *k)
{
	if (k->family == AF_INET6)
		return ipv6_chk_addr(dev_net(dev), &k->addr.v6, dev, 0);
	return nhrp_addr_is_own4(dev, k->addr.v4);
}

/**
 * nhrp_addr_mcast_family() - whether registrations of a family get multicast copies
 * @m: the device
 * @family: AF_INET or AF_INET6
 *
 * Multicast copies go once to each peer: when the tunnel has IPv4 the IPv4
 * registrations carry the flag, and the IPv6 ones of the same peers would
 * only double every copy; an IPv6-only tunnel flags IPv6 ones.
 *
 * Return: true for the family that carries the flag.
 */
bool nhrp_addr_mcast_family(struct mgre_dev *m, u8 family)
{
	return family == AF_INET || !nhrp_addr_own4(m->dev);
}

/**
 * nhrp_addr_unicast() - whether an address may be registered or resolved
 * @k: the address
 *
 * Return: true for a unicast address that is neither loopback nor link-
 * local.
 */
bool nhrp_addr_unicast(const struct nhrp_key *k)
{
	int type;

	if (k->family == AF_INET6) {
		type = ipv6_addr_type(&k->addr.v6);
		return type != IPV6_ADDR_ANY &&
		       !(type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL |
				 IPV6_ADDR_LOOPBACK));
	}
	return nhrp_addr_unicast4(k->addr.v4);
}

/**
 * nhrp_addr_route_peer() - the tunnel peer our route to an address goes through
 * @m: the device
 * @addr: the IPv4 destination
 *
 * Under no lock; takes RCU itself.
 *
 * Return: the peer's NBMA address, or 0 when the route leaves by another
 * device or the peer is not known.
 */
__be32 nhrp_addr_route_peer(struct mgre_dev *m, __be32 addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct nhrp_entry *e;
	struct nhrp_key key;
	struct rtable *rt;
	__be32 nbma = 0;

	rt = ip_route_output_key(dev_net(m->dev), &fl4);
	if (IS_ERR(rt))
		return 0;
	if (rt->dst.dev == m->dev) {
		nhrp_key_init4(&key, rt_nexthop(rt, addr));
		rcu_read_lock();
		e = nhrp_cache_lookup(&m->cache, &key);
		if (e && nhrp_entry_usable(e))
			nbma = READ_ONCE(e->nbma);
		rcu_read_unlock();
	}
	ip_rt_put(rt);
	return nbma;
}

/* The prefix length of the subnet dev has addr in, or 0. */
static unsigned int nhrp_ifa_plen(struct net_device *dev, __be32 addr)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;

	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_local == addr)
			return ifa->ifa_prefixlen;
	return 0;
}

/**
 * nhrp_addr_egress_plen() - whether we are the way out of the tunnel to an address
 * @m: the device
 * @addr: the IPv4 destination
 *
 * For a route leaving by another device, the length of its prefix; for an
 * address of ours on another device, the subnet it is on.  Prefixes wider
 * than NHRP_MIN_SHORTCUT_PLEN, a default route above all, are not offered
 * (an address of ours is then offered alone).
 *
 * Return: the prefix length we answer for, or 0.
 */
unsigned int nhrp_addr_egress_plen(struct mgre_dev *m, __be32 addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct net_device *dev;
	struct fib_result res;
	unsigned int plen = 0;

	rcu_read_lock();
	if (fib_lookup(dev_net(m->dev), &fl4, &res, 0))
		goto out;
	dev = FIB_RES_DEV(res);
	if (!dev || dev == m->dev)
		goto out;
	if (res.type == RTN_LOCAL) {
		plen = nhrp_ifa_plen(dev, addr);
		if (plen < NHRP_MIN_SHORTCUT_PLEN)
			plen = 32;
	} else if (res.type == RTN_UNICAST &&
		   res.prefixlen >= NHRP_MIN_SHORTCUT_PLEN) {
		plen = res.prefixlen;
	}
out:
	rcu_read_unlock();
	return plen;
}
