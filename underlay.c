// SPDX-License-Identifier: GPL-2.0
/*
 * The underlay's addresses.  A device with local any sends from the
 * address the route to each peer picks (tunnel.c refuses one the
 * underlay does not own), so when an IPv4 address comes or goes on the
 * underlay, its NHSs hear from it at once: a spoke whose DHCP address
 * changed registers its new NBMA address within a round trip, and one
 * that had no address registers as soon as it gets one.
 */

#include <linux/inetdevice.h>
#include <linux/notifier.h>
#include <linux/rtnetlink.h>

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
		if (underlay_of(m, dev))
			nhrp_nhc_kick(m);
	return NOTIFY_DONE;
}

static struct notifier_block underlay_inetaddr_nb = {
	.notifier_call = underlay_inetaddr_event,
};

/**
 * mgre_underlay_init() - follow the underlay's IPv4 addresses
 *
 * Return: 0 (the notifier chain cannot refuse).
 */
int mgre_underlay_init(void)
{
	return register_inetaddr_notifier(&underlay_inetaddr_nb);
}

/**
 * mgre_underlay_uninit() - stop following them
 */
void mgre_underlay_uninit(void)
{
	unregister_inetaddr_notifier(&underlay_inetaddr_nb);
}
