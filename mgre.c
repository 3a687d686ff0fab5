// SPDX-License-Identifier: GPL-2.0
/*
 * mgre: multipoint GRE tunnel device with an in-kernel NHRP cache and
 * protocol engine.
 *
 * This file brings the module's parts up in order and down in reverse,
 * and owns the per-netns lifetime.  The parts, top floor first (a file
 * calls only files below it; tools/layers.conf is the table that
 * "make layering" checks):
 *   rtnl.c, netlink.c   the link kind and the generic netlink family
 *   device.c            the netdevice
 *   underlay.c          the underlay's addresses coming and going
 *   xmit.c, rcv.c       transmit and receive
 *   nhrp.c              the NHRP engine's front
 *   nhs.c, nhrp_res.c   hub role; resolution and shortcuts
 *   nhc.c               spoke role: registration with each NHS
 *   nhrp_tx.c           building and sending NHRP packets
 *   tunnel.c, nhrp_addr.c  route + GRE encapsulation; own addresses
 *   nhrp_cache.c, nhrp_proto.c  the cache; the wire codec
 */

#include <linux/module.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "mgre.h"
#include "netlink.h"
#include "rcv.h"
#include "rtnl.h"
#include "underlay.h"

static int __net_init mgre_net_init(struct net *net)
{
	struct mgre_net *mn = mgre_net(net);

	INIT_LIST_HEAD(&mn->devs);
	atomic_set(&mn->gen, 0);
	atomic_long_set(&mn->rx_no_tunnel, 0);
	atomic_long_set(&mn->rx_malformed, 0);
	return 0;
}

/*
 * Our exit runs before the core's default_device_exit_batch(), so delete
 * our devices here, as ip_tunnel does.
 */
static void __net_exit mgre_net_exit_batch(struct list_head *net_list)
{
	struct mgre_dev *m, *tmp;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		list_for_each_entry_safe(m, tmp, &mgre_net(net)->devs, list)
			unregister_netdevice_queue(m->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations mgre_net_ops = {
	.init		= mgre_net_init,
	.exit_batch	= mgre_net_exit_batch,
	.id		= &mgre_net_id,
	.size		= sizeof(struct mgre_net),
};

static int __init mgre_init(void)
{
	int err;

	err = nhrp_cache_module_init();
	if (err)
		return err;

	err = register_pernet_device(&mgre_net_ops);
	if (err)
		goto err_slab;

	err = mgre_rcv_init();
	if (err)
		goto err_pernet;

	/* The family first: every device reports to it. */
	err = mgre_genl_init();
	if (err)
		goto err_gre;

	err = mgre_underlay_init();
	if (err)
		goto err_genl;

	err = mgre_rtnl_init();
	if (err)
		goto err_underlay;

	pr_info("multipoint GRE with NHRP cache loaded\n");
	return 0;

err_underlay:
	mgre_underlay_uninit();
err_genl:
	mgre_genl_uninit();
err_gre:
	mgre_rcv_uninit();
err_pernet:
	unregister_pernet_device(&mgre_net_ops);
err_slab:
	nhrp_cache_module_exit();
	return err;
}

static void __exit mgre_exit(void)
{
	mgre_rtnl_uninit();
	mgre_underlay_uninit();
	mgre_genl_uninit();
	mgre_rcv_uninit();
	unregister_pernet_device(&mgre_net_ops);
	/* Entries freed by call_rcu() must be gone before their cache. */
	rcu_barrier();
	nhrp_cache_module_exit();
}

module_init(mgre_init);
module_exit(mgre_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(MGRE_VERSION);
MODULE_DESCRIPTION("Multipoint GRE tunnel with an in-kernel NHRP cache");
MODULE_AUTHOR("The mgre developers");
MODULE_ALIAS_RTNL_LINK("mgre");
MODULE_ALIAS_GENL_FAMILY(MGRE_GENL_NAME);
