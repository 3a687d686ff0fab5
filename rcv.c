// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: GRE version 0 packets matched to a device by (netns, local
 * address, key); data is decapsulated and goes up through GRO, NHRP goes
 * to the engine.  Softirq, RCU read side.
 *
 * mgre shares the kernel with ip_gre, whose GRE demultiplexer has a single
 * slot for version 0.  So by default mgre receives from a netfilter hook
 * at IPv4 LOCAL_IN, registered in a netns only while it has an mgre
 * device, after every table an operator fills (filter, security, NAT,
 * helpers) and just before conntrack's confirmation, whose work it does
 * for the packets it takes.  The hook takes only what an mgre device owns:
 * its (local address, key) and a protocol it carries (IPv4, IPv6, NHRP);
 * it applies the IPsec input policy check that the IP layer applies
 * before a protocol handler, and lets everything else go on, unchanged,
 * to ip_gre or to the kernel's own drop.  Documentation/receive.md has
 * the decision and its costs.
 *
 * With rx_demux=1 mgre takes version 0 from the demultiplexer instead
 * (ip_gre can then not load): the older, exclusive path, kept so that
 * make bench can compare the two in one boot.
 *
 * The per-netns device list and counters live here because receive is
 * what looks devices up by address; mgre.c registers the pernet ops.
 */

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/gre.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>

#include "rcv.h"
#include "nhrp.h"

unsigned int mgre_net_id __read_mostly;

static bool rx_demux;
module_param(rx_demux, bool, 0444);
MODULE_PARM_DESC(rx_demux,
		 "take GRE version 0 from the GRE demultiplexer, the exclusive path of earlier releases (ip_gre cannot load then), instead of a netfilter LOCAL_IN hook");

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

/* What a GRE header says before mgre decides to take the packet. */
struct mgre_peek {
	__be32 key;
	__be16 proto;
	bool has_key;
};

/*
 * Read the GRE header at @off without changing the packet: one that is
 * not ours must go on exactly as it came.  False unless it is version 0
 * without routing (what gre_parse_header() accepts).
 */
static bool mgre_peek(const struct sk_buff *skb, unsigned int off,
		      struct mgre_peek *p)
{
	const struct gre_base_hdr *h;
	struct gre_base_hdr _h;
	const __be32 *key;
	__be32 _key;

	h = skb_header_pointer(skb, off, sizeof(_h), &_h);
	if (!h || (h->flags & (GRE_VERSION | GRE_ROUTING)))
		return false;
	p->proto = h->protocol;
	p->has_key = h->flags & GRE_KEY;
	p->key = 0;
	if (p->has_key) {
		off += sizeof(*h) + ((h->flags & GRE_CSUM) ? 4 : 0);
		key = skb_header_pointer(skb, off, sizeof(_key), &_key);
		if (!key)
			return false;
		p->key = *key;
	}
	return true;
}

/*
 * Exact local address first, then a wildcard-local device.  A device whose
 * address matches but whose key does not is reported so that the packet
 * can be counted where an operator will look for it.
 */
static struct mgre_dev *mgre_find(struct mgre_net *mn, __be32 daddr,
				  const struct mgre_peek *p,
				  struct mgre_dev **mismatch)
{
	struct mgre_dev *m, *wild = NULL;

	list_for_each_entry_rcu(m, &mn->devs, list) {
		__be32 local = READ_ONCE(m->parms.local);

		if (!(READ_ONCE(m->dev->flags) & IFF_UP))
			continue;
		if (local && local != daddr)
			continue;
		if (READ_ONCE(m->parms.has_key) != p->has_key ||
		    (p->has_key && READ_ONCE(m->parms.key) != p->key)) {
			*mismatch = m;
			continue;
		}
		if (local)
			return m;
		wild = m;
	}
	return wild;
}

/*
 * The device a GRE packet (its header at @off) is for, or NULL, with the
 * reason counted: another key (rx_key_mismatch on the device with that
 * address), a protocol mgre does not carry (rx_bad_proto), no device with
 * that address (rx_no_tunnel) or, on the exclusive path only, a header
 * that is not GRE version 0 (rx_malformed).  On the hook's path such
 * packets are not dropped but go on; the counters say they were not ours.
 */
static struct mgre_dev *mgre_claim(struct mgre_net *mn, struct sk_buff *skb,
				   unsigned int off)
{
	struct mgre_dev *m, *mismatch = NULL;
	struct mgre_peek p;

	if (!mgre_peek(skb, off, &p)) {
		if (rx_demux)
			atomic_long_inc(&mn->rx_malformed);
		return NULL;
	}
	m = mgre_find(mn, ip_hdr(skb)->daddr, &p, &mismatch);
	if (!m) {
		if (mismatch)
			mgre_count(mismatch, MGRE_STATS_A_RX_KEY_MISMATCH);
		else
			atomic_long_inc(&mn->rx_no_tunnel);
		return NULL;
	}
	switch (p.proto) {
	case htons(ETH_P_IP):
	case htons(ETH_P_IPV6):
	case htons(MGRE_ETH_P_NHRP):
		return m;
	default:
		mgre_count(m, MGRE_STATS_A_RX_BAD_PROTO);
		return NULL;
	}
}

/* The packet, its data at the GRE header, is @m's: decapsulate it. */
static void mgre_rcv_dev(struct mgre_dev *m, struct sk_buff *skb)
{
	struct tnl_ptk_info tpi;
	bool csum_err = false;
	int hdr_len;
	u8 outer_tos;

	hdr_len = gre_parse_header(skb, &tpi, &csum_err, htons(ETH_P_IP), 0);
	if (hdr_len < 0) {
		atomic_long_inc(&mgre_net(dev_net(m->dev))->rx_malformed);
		goto drop;
	}

	if (tpi.proto == htons(MGRE_ETH_P_NHRP)) {
		__be32 saddr = ip_hdr(skb)->saddr, daddr = ip_hdr(skb)->daddr;

		mgre_count(m, MGRE_STATS_A_RX_NHRP);
		if (iptunnel_pull_header(skb, hdr_len, tpi.proto, false))
			goto drop_dev;
		mgre_nhrp_rcv(m, skb, saddr, daddr);
		return;
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
	return;

drop_dev:
	DEV_STATS_INC(m->dev, rx_dropped);
drop:
	kfree_skb(skb);
}

/* The exclusive path: the GRE demultiplexer's version 0 handler. */
static int mgre_demux_rcv(struct sk_buff *skb)
{
	struct mgre_dev *m;

	m = mgre_claim(mgre_net(dev_net(skb->dev)), skb, 0);
	if (!m) {
		kfree_skb(skb);
		return 0;
	}
	mgre_rcv_dev(m, skb);
	return 0;
}

static const struct gre_protocol mgre_gre_protocol = {
	.handler = mgre_demux_rcv,
};

/*
 * What conntrack's LOCAL_IN confirmation would have done for this packet
 * had it gone on to ip_gre: the flow is entered in the table, so that
 * conntrack -L lists it and "ct state" matches later packets as they do
 * for ip_gre.  Through nf_ct_hook, so mgre does not pull in nf_conntrack.
 */
static unsigned int mgre_ct_confirm(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK) && defined(MGRE_HAVE_NF_CT_CONFIRM)
	const struct nf_ct_hook *ct_hook;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	ct_hook = rcu_dereference(nf_ct_hook);
	if (ct_hook)
		return ct_hook->confirm(skb);
#endif
	return NF_ACCEPT;
}

/*
 * The shared path: IPv4 LOCAL_IN, after the operator's tables, the packet
 * reassembled and its data at the IP header.  What mgre takes is stolen
 * and goes through what ip_local_deliver_finish() and
 * ip_protocol_deliver_rcu() would have done before ip_gre saw it: the
 * IPsec input policy check, the delivery counter, the header pull.
 */
static unsigned int mgre_nf_local_in(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	unsigned int ihl = skb_network_header_len(skb);
	struct mgre_dev *m;

	if (ip_hdr(skb)->protocol != IPPROTO_GRE)
		return NF_ACCEPT;
	m = mgre_claim(mgre_net(state->net), skb, ihl);
	if (!m)
		return NF_ACCEPT;
	if (mgre_ct_confirm(skb) != NF_ACCEPT)
		return NF_DROP;
	if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_XFRM_POLICY);
		return NF_STOLEN;
	}
	__IP_INC_STATS(state->net, IPSTATS_MIB_INDELIVERS);
	skb_clear_delivery_time(skb);
	__skb_pull(skb, ihl);
	skb_reset_transport_header(skb);
	mgre_rcv_dev(m, skb);
	return NF_STOLEN;
}

static const struct nf_hook_ops mgre_nf_ops = {
	.hook		= mgre_nf_local_in,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_LOCAL_IN,
	/* After every table and helper, before conntrack's confirmation. */
	.priority	= NF_IP_PRI_LAST - 1,
};

/**
 * mgre_rcv_net_get() - a device is joining @net: receive there
 * @net: the device's namespace
 * @extack: for the reason of a failure
 *
 * The first device of a netns registers the LOCAL_IN hook.  Under RTNL.
 *
 * Return: 0 or a negative errno, with @extack set.
 */
int mgre_rcv_net_get(struct net *net, struct netlink_ext_ack *extack)
{
	struct mgre_net *mn = mgre_net(net);
	int err;

	ASSERT_RTNL();
	if (rx_demux || mn->rx_users++)
		return 0;
	err = nf_register_net_hook(net, &mgre_nf_ops);
	if (err) {
		mn->rx_users--;
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hook that receives GRE");
	}
	return err;
}

/**
 * mgre_rcv_net_put() - a device has left @net
 * @net: the device's namespace
 *
 * The last device of a netns takes the hook away.  Under RTNL.
 */
void mgre_rcv_net_put(struct net *net)
{
	struct mgre_net *mn = mgre_net(net);

	ASSERT_RTNL();
	if (!rx_demux && !--mn->rx_users)
		nf_unregister_net_hook(net, &mgre_nf_ops);
}

/**
 * mgre_rcv_init() - with rx_demux=1, take GRE version 0 from the GRE demultiplexer
 *
 * Return: 0, or -EBUSY when rx_demux=1 and another module (ip_gre) holds
 * version 0.
 */
int __init mgre_rcv_init(void)
{
	int err;

	if (!rx_demux)
		return 0;
	err = gre_add_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
	if (err)
		pr_err("rx_demux=1: GRE version 0 is claimed by another module (ip_gre?); unload it, or load mgre without rx_demux\n");
	return err;
}

/**
 * mgre_rcv_uninit() - give GRE version 0 back (rx_demux=1)
 */
void mgre_rcv_uninit(void)
{
	if (rx_demux)
		gre_del_protocol(&mgre_gre_protocol, GREPROTO_CISCO);
}
