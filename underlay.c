// SPDX-License-Identifier: GPL-2.0
/*
 * The underlay's addresses.  A device with local any sends from the
 * address the route to each peer picks (tunnel.c refuses one the
 * underlay does not own), so when an IPv4 address comes or goes on the
 * underlay, its NHSs hear from it at once: a spoke whose DHCP address
 * changed registers its new NBMA address within a round trip, and one
 * that had no address registers as soon as it gets one.
 *
 * The tunnel's own addresses are followed too: a registration in flight
 * for an address the tunnel no longer has is replaced at once by one for
 * the addresses it has now, not left to count as the NHS's failure at
 * the next renewal (an NHS that dropped the old one, because it lost
 * that family first, is not dead).
 */

#include <linux/inetdevice.h>
#include <linux/notifier.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>

#include "underlay.h"
#include "nhc.h"
#include "rcv.h"

/* Whether an address change on @dev moves @m's source. */
static bool underlay_of(const struct mgre_dev *m, const struct net_device *dev)
{
	int link = READ_ONCE(m->parms.link);

	if (dev == m->dev || READ_ONCE(m->parms.local))
		return false;
	return !link || link == dev->ifindex;
}

/* Under RTNL: IPv4 addresses are added and deleted with it held. */
static int underlay_inetaddr_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	struct mgre_dev *m;

	if (event != NETDEV_UP && event != NETDEV_DOWN)
		return NOTIFY_DONE;
	ASSERT_RTNL();
	list_for_each_entry(m, &mgre_net(dev_net(dev))->devs, list)
		if (dev == m->dev || underlay_of(m, dev))
			nhrp_nhc_kick(m);
	return NOTIFY_DONE;
}

static struct notifier_block underlay_inetaddr_nb = {
	.notifier_call = underlay_inetaddr_event,
};

/*
 * An atomic chain: addresses that autoconfiguration adds come from
 * softirq, without RTNL, so the devices are walked under RCU.  Only the
 * tunnel's own IPv6 addresses matter: the underlay is IPv4.
 */
static int underlay_inet6addr_event(struct notifier_block *nb,
				    unsigned long event, void *ptr)
{
	const struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;
	struct mgre_dev *m;

	if (event != NETDEV_UP && event != NETDEV_DOWN)
		return NOTIFY_DONE;
	rcu_read_lock();
	list_for_each_entry_rcu(m, &mgre_net(dev_net(dev))->devs, list)
		if (dev == m->dev)
			nhrp_nhc_kick(m);
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block underlay_inet6addr_nb = {
	.notifier_call = underlay_inet6addr_event,
};

/**
 * mgre_underlay_init() - follow the underlay's and the tunnels' addresses
 *
 * Return: 0 or the error of a notifier chain.
 */
int mgre_underlay_init(void)
{
	int err;

	err = register_inetaddr_notifier(&underlay_inetaddr_nb);
	if (err)
		return err;
	err = register_inet6addr_notifier(&underlay_inet6addr_nb);
	if (err)
		unregister_inetaddr_notifier(&underlay_inetaddr_nb);
	return err;
}

/**
 * mgre_underlay_uninit() - stop following them
 */
void mgre_underlay_uninit(void)
{
	unregister_inet6addr_notifier(&underlay_inet6addr_nb);
	unregister_inetaddr_notifier(&underlay_inetaddr_nb);
}
