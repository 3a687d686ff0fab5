// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: GRE version 0 from the kernel's GRE demultiplexer, matched to
 * a device by (netns, local address, key); data is decapsulated and goes
 * up through GRO, NHRP goes to the engine.  Softirq, RCU read side.
 *
 * The per-netns device list and counters live here because receive is
 * what looks devices up by address; mgre.c registers the pernet ops.
 */

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/gre.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/netns/generic.h>

#include "rcv.h"
#include "nhrp.h"

unsigned int mgre_net_id __read_mostly;

/**
 * mgre_net() - the per-netns state of mgre
 * @net: the namespace
 *
 * Return: the namespace's device list and counters.
 */
struct mgre_net *mgre_net(struct net *net)
{
	return net_generic(net, mgre_net_id);
}

/*
 * Exact local address first, then a wildcard-local device.  A device whose
 * address matches but whose key does not is reported so that the drop can
 * be counted where an operator will look for it.
 */
static struct mgre_dev *mgre_find(struct mgre_net *mn, __be32 daddr,
				  const struct tnl_ptk_info *tpi,
				  struct mgre_dev **mismatch)
{
	bool has_key = mgre_tpi_has_key(tpi);
	struct mgre_dev *m, *wild = NULL;

	list_for_each_entry_rcu(m, &mn->devs, list) {
		__be32 local = READ_ONCE(m->parms.local);

		if (!(READ_ONCE(m->dev->flags) & IFF_UP))
			continue;
		if (local && local != daddr)
			continue;
		if (READ_ONCE(m->parms.has_key) != has_key ||
		    (has_key && READ_ONCE(m->parms.key) != tpi->key)) {
			*mismatch = m;
			continue;
		}
		if (local)
			return m;
		wild = m;
	}
	return wild;
}

static int mgre_rcv(struct sk_buff *skb)
{
	struct mgre_net *mn = mgre_net(dev_net(skb->dev));
	struct mgre_dev *m, *mismatch = NULL;
	struct tnl_ptk_info tpi;
	bool csum_err = false;
	int hdr_len;
	u8 outer_tos;

	hdr_len = gre_parse_header(skb, &tpi, &csum_err, htons(ETH_P_IP), 0);
	if (hdr_len < 0) {
		atomic_long_inc(&mn->rx_malformed);
		goto drop;
	}

	m = mgre_find(mn, ip_hdr(skb)->daddr, &tpi, &mismatch);
	if (!m) {
		if (mismatch)
			mgre_count(mismatch, MGRE_STATS_A_RX_KEY_MISMATCH);
		else
			atomic_long_inc(&mn->rx_no_tunnel);
		goto drop;
	}

	switch (tpi.proto) {
	case htons(ETH_P_IP):
	case htons(ETH_P_IPV6):
		break;
	case htons(MGRE_ETH_P_NHRP): {
		__be32 saddr = ip_hdr(skb)->saddr, daddr = ip_hdr(skb)->daddr;

		mgre_count(m, MGRE_STATS_A_RX_NHRP);
		if (iptunnel_pull_header(skb, hdr_len, tpi.proto, false))
			goto drop_dev;
		mgre_nhrp_rcv(m, skb, saddr, daddr);
		return 0;
	}
	default:
		mgre_count(m, MGRE_STATS_A_RX_BAD_PROTO);
		goto drop_dev;
	}

	outer_tos = ip_hdr(skb)->tos;
	if (iptunnel_pull_header(skb, hdr_len, tpi.proto, false))
		goto drop_dev;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	if (!pskb_network_may_pull(skb, tpi.proto == htons(ETH_P_IP) ?
				   sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr)))
		goto drop_dev;
	if (INET_ECN_decapsulate(skb, outer_tos, tpi.proto == htons(ETH_P_IP) ?
				 ip_hdr(skb)->tos :
				 ipv6_get_dsfield(ipv6_hdr(skb))) > 1)
		goto drop_dev;

	skb->dev = m->dev;
	skb->pkt_type = PACKET_HOST;
	if (tpi.proto == htons(ETH_P_IP) ?
	    ipv4_is_multicast(ip_hdr(skb)->daddr) :
	    ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr)) {
		skb->pkt_type = PACKET_MULTICAST;
		DEV_STATS_INC(m->dev, multicast);
	}
	dev_sw_netstats_rx_add(m->dev, skb->len);
	gro_cells_receive(&m->gro_cells, skb);
	return 0;

drop_dev:
	DEV_STATS_INC(m->dev, rx_dropped);
drop:
	kfree_skb(skb);
	return 0;
}

static const struct gre_protocol mgre_gre_protocol = {
	.handler = mgre_rcv,
};

/**
 * mgre_rcv_init() - take GRE version 0 from the GRE demultiplexer
 *
 * Return: 0, or -EBUSY when another module (ip_gre) holds it.
 */
int __init mgre_rcv_init(void)
{
	int err;

	err = gre_add_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
	if (err)
		pr_err("GRE version 0 is claimed by another module (ip_gre?); unload it before loading mgre\n");
	return err;
}

/**
 * mgre_rcv_uninit() - give GRE version 0 back
 */
void mgre_rcv_uninit(void)
{
	gre_del_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
}
