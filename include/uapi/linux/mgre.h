/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mgre: multipoint GRE tunnel device with an in-kernel NHRP (RFC 2332) cache.
 *
 * Two user APIs meet here.
 *
 * 1. rtnetlink link attributes, nested in IFLA_INFO_DATA of kind "mgre"
 *    (ip link add mgre0 type mgre local 192.0.2.1 key 42 ttl 64):
 *
 *    IFLA_MGRE_LOCAL        __be32  local NBMA (underlay) IPv4 address;
 *                                   0.0.0.0 or absent: any (dynamic spoke)
 *    IFLA_MGRE_KEY          u32     GRE key; absent: no key
 *    IFLA_MGRE_NOKEY        flag    changelink only: remove the key
 *    IFLA_MGRE_TTL          u8      outer TTL, 0 = copy the inner TTL
 *                                   (default 64)
 *    IFLA_MGRE_TOS          u8      outer TOS, 1 = copy the inner TOS
 *                                   (default 0)
 *    IFLA_MGRE_HOLDTIME     u16     default holdtime of dynamic entries,
 *                                   seconds, 1..65535 (default 7200)
 *    IFLA_MGRE_LINK         u32     ifindex of the underlay device the
 *                                   tunnel is bound to; 0 = none
 *    IFLA_MGRE_MAX_ENTRIES  u32     NHRP cache entry limit, 1..2^24
 *                                   (default 262144)
 *    IFLA_MGRE_NETWORK_ID   u32     NHRP network id; 0 (default) turns the
 *                                   NHRP engine off: static mappings only
 *    IFLA_MGRE_NHS_LIST     nest    the NHSs (hubs) this node registers
 *                                   with, at most MGRE_MAX_NHS; an empty
 *                                   nest clears the list.  Each entry:
 *        IFLA_MGRE_NHS      nest {
 *            IFLA_MGRE_NHS_PROTO4  __be32  the NHS's tunnel address;
 *                                          absent or 0: "dynamic", learnt
 *                                          from its Registration Reply
 *            IFLA_MGRE_NHS_NBMA4   __be32  its NBMA address (required)
 *            IFLA_MGRE_NHS_PRIORITY u8     its rank: 0 (default) first,
 *                                          as Cisco's "ip nhrp nhs ...
 *                                          priority"; equal ones rank in
 *                                          the order given
 *        }
 *    IFLA_MGRE_AUTH         binary  Cisco cleartext NHRP authentication
 *                                   secret, 1..8 bytes; empty: none
 *    IFLA_MGRE_MCAST_DYNAMIC u8     1: spokes that register with this
 *                                   node (as NHS) receive multicast copies
 *                                   (Cisco "ip nhrp map multicast dynamic");
 *                                   0 (default): they do not
 *    IFLA_MGRE_MCAST_NHS    u8      1: this node's NHSs receive multicast
 *                                   copies (a spoke's "ip nhrp map
 *                                   multicast" to its hubs); 0 (default)
 *    IFLA_MGRE_MCAST_LIMIT  u32     at most this many copies of one
 *                                   multicast or broadcast packet,
 *                                   1..2^24 (default 1024); copies beyond
 *                                   it are counted, not sent
 *
 *    IFLA_MGRE_REDIRECT     u8      1: when this node forwards a packet
 *                                   from the tunnel back into it, tell the
 *                                   sender with a Traffic Indication (NHRP
 *                                   type 8, Cisco "ip nhrp redirect"), at
 *                                   most once a second per (source,
 *                                   destination) and MGRE_REDIRECT_RATE a
 *                                   second in all; 0 (default): never
 *
 *    IFLA_MGRE_SHORTCUT     u8      1: on a Traffic Indication from one of
 *                                   our NHSs, resolve the destination of
 *                                   the packet it carries and install the
 *                                   answer's prefix as a shortcut (Cisco
 *                                   "ip nhrp shortcut"); 0 (default):
 *                                   count the indication and ignore it
 *
 *    IFLA_MGRE_MAX_PER_NBMA u32     hub: registered entries one NBMA
 *                                   address may hold, 1..2^24 (default
 *                                   256, room for many spokes behind one
 *                                   NAT); a registration beyond it is
 *                                   refused with code 5 and counted
 *                                   (nhs_quota_refused)
 *    IFLA_MGRE_MAX_HOLDTIME u16     hub: the longest holdtime a
 *                                   registration is granted, seconds,
 *                                   1..65535 (default 7200); a longer one
 *                                   is cut to it, the Registration Reply
 *                                   says so, and it is counted
 *                                   (nhs_holdtime_capped)
 *    IFLA_MGRE_REG_TIMEOUT  u16     spoke: an NHS that answers nothing
 *                                   is declared down within this many
 *                                   seconds of its last answer (Cisco
 *                                   "ip nhrp registration timeout");
 *                                   registrations are renewed 3 s before
 *                                   it and sent again at 1 s and 2 s
 *                                   while unanswered (half of it is kept
 *                                   for these when it is under 6 s); at
 *                                   most the holdtime; 0 (default): a
 *                                   third of the holdtime
 *    IFLA_MGRE_NHS_MAX_CONN u8      spoke: register with at most this
 *                                   many NHSs at a time, the best ranked
 *                                   (Cisco "ip nhrp nhs cluster 0
 *                                   max-connections"); the others wait in
 *                                   standby and one starts when one in
 *                                   use is declared down; 0 (default): all
 *    IFLA_MGRE_NHS_FALLBACK u16     spoke, with NHS_MAX_CONN: seconds a
 *                                   better NHS that answers again stays
 *                                   up before the worst one up is purged
 *                                   and put back in standby (Cisco "ip
 *                                   nhrp nhs fallback"); default 0
 *
 *    Multicast and broadcast packets (IPv4 224/4, broadcast routes,
 *    255.255.255.255; IPv6 ff00::/8) are copied to every cache entry
 *    flagged MGRE_ENTRY_F_MULTICAST: static entries added with the flag,
 *    registrations (MCAST_DYNAMIC) and the NHSs (MCAST_NHS).
 *
 *    Every attribute is bounded by the kernel's policy and every rejection
 *    carries an extack message.  Attributes are append-only.
 *
 * 2. The generic netlink family MGRE_GENL_NAME ("mgre"), version
 *    MGRE_GENL_VERSION.  Every operation needs CAP_NET_ADMIN in the user
 *    namespace owning the caller's network namespace.  Unknown attributes
 *    are rejected (strict validation).
 *
 *    MGRE_CMD_ENTRY_ADD   do    add one cache entry
 *        MGRE_A_IFINDEX (required)
 *        MGRE_A_ENTRY (required) {
 *            MGRE_ENTRY_A_PROTO_ADDR4 | MGRE_ENTRY_A_PROTO_ADDR6 (one, required)
 *            MGRE_ENTRY_A_PREFIXLEN  (optional: makes the entry a shortcut
 *                                     for the prefix ADDR/PREFIXLEN, 1..32
 *                                     or 1..128, host bits zero)
 *            MGRE_ENTRY_A_NBMA_ADDR4 (required)
 *            MGRE_ENTRY_A_TYPE       (default STATIC; INCOMPLETE and LOCAL
 *                                     are kernel-managed and refused)
 *            MGRE_ENTRY_A_FLAGS      (MGRE_ENTRY_F_*)
 *            MGRE_ENTRY_A_HOLDTIME   (dynamic types only; default: the
 *                                     device's holdtime)
 *        }
 *        MGRE_A_REPLACE (flag) replaces an existing entry; without it an
 *        existing entry is -EEXIST.  A full cache is -ENOSPC.  (Not
 *        NLM_F_REPLACE: generic netlink refuses nlmsg_flags beyond
 *        REQUEST, ACK and ECHO on strictly validated commands.)
 *
 *    MGRE_CMD_ENTRY_DEL   do    delete one entry
 *        MGRE_A_IFINDEX, MGRE_A_ENTRY { PROTO_ADDR4 | PROTO_ADDR6,
 *                                       PREFIXLEN for a shortcut }
 *
 *    MGRE_CMD_ENTRY_GET   do    one entry (same attributes as DEL), answered
 *                               with MGRE_CMD_ENTRY_GET carrying
 *                               MGRE_A_IFINDEX, MGRE_A_IFNAME and a full
 *                               MGRE_A_ENTRY
 *                         dump  all entries of MGRE_A_IFINDEX, or of every
 *                               mgre device of the namespace without it;
 *                               optional MGRE_A_TYPE filter.  Interrupted
 *                               dumps are flagged NLM_F_DUMP_INTR.
 *
 *    MGRE_CMD_ENTRY_FLUSH do    delete every entry of MGRE_A_IFINDEX (or of
 *                               every mgre device without it), optionally only
 *                               those of MGRE_A_TYPE.
 *
 *    MGRE_CMD_DEV_GET     do/dump  device view: MGRE_A_IFINDEX, MGRE_A_IFNAME,
 *                               MGRE_A_ENTRY_COUNT, MGRE_A_MAX_ENTRIES,
 *                               MGRE_A_STATS { MGRE_STATS_A_* u64 }
 *                               and MGRE_A_NHRP_STATS {
 *                                 MGRE_NHRP_A_TX, MGRE_NHRP_A_RX: nests of
 *                                   u64 counters whose attribute type is
 *                                   the NHRP packet type (1..8);
 *                                 MGRE_NHRP_A_DROP: nest of u64 counters
 *                                   whose type is enum mgre_nhrp_drop }
 *
 *    MGRE_CMD_NHS_GET     dump  NHS state of MGRE_A_IFINDEX, or of every
 *                               device without it, one message per NHS:
 *                               MGRE_A_IFINDEX, MGRE_A_IFNAME,
 *                               MGRE_A_NHS { MGRE_NHS_A_* }
 *
 *    MGRE_CMD_RESOLVE     do    send a Resolution Request for
 *                               MGRE_A_ENTRY { PROTO_ADDR4 | PROTO_ADDR6 }
 *                               (protocol type 0x0800 or 0x86DD) through the
 *                               device's NHS now; the answer arrives as an
 *                               entry event
 *
 *    MGRE_CMD_NETNS_GET   do    namespace-wide counters: MGRE_A_STATS
 *                               { MGRE_STATS_A_RX_NO_TUNNEL,
 *                                 MGRE_STATS_A_RX_MALFORMED }
 *
 *    Events, multicast group MGRE_MCGRP_EVENTS ("events"), each with
 *    MGRE_A_IFINDEX, MGRE_A_IFNAME and a full MGRE_A_ENTRY:
 *    MGRE_CMD_EVT_ADD, MGRE_CMD_EVT_CHANGE, MGRE_CMD_EVT_DEL,
 *    MGRE_CMD_EVT_EXPIRE; and with MGRE_A_NHS instead of the entry:
 *    MGRE_CMD_EVT_NHS_UP (a Registration Reply accepted us),
 *    MGRE_CMD_EVT_NHS_DOWN (an NHS stopped answering or refused us).
 *    Bulk changes are not reported entry by entry: MGRE_CMD_EVT_SUMMARY,
 *    with MGRE_A_IFINDEX, MGRE_A_IFNAME, MGRE_A_EVENT (the entry event it
 *    stands for: EVT_DEL for a flush, EVT_CHANGE for a flag changed on
 *    many entries, EVT_EXPIRE for a mass expiry), MGRE_A_EVENT_COUNT (how
 *    many entries) and MGRE_A_TYPE when a flush was of one type.  A flush
 *    sends only the summary; a flag change or an expiry pass reports its
 *    first 256 entries one by one and the rest in the summary.  A
 *    listener that mirrors the cache dumps it again.
 *
 *    Entry attributes in answers and events:
 *    MGRE_ENTRY_A_PROTO_ADDR4/6, PREFIXLEN (shortcuts only), NBMA_ADDR4,
 *    TYPE, FLAGS, HOLDTIME (the
 *    holdtime it was given, dynamic only), EXPIRES (milliseconds left,
 *    dynamic only), AGE (milliseconds since created), UPDATED (milliseconds
 *    since last changed), USED (milliseconds since a packet last used it;
 *    absent if never used).
 */
#ifndef _UAPI_LINUX_MGRE_H
#define _UAPI_LINUX_MGRE_H

#include <linux/types.h>

/* rtnetlink: IFLA_INFO_DATA of kind "mgre" */
enum {
	IFLA_MGRE_UNSPEC,
	IFLA_MGRE_LOCAL,
	IFLA_MGRE_KEY,
	IFLA_MGRE_NOKEY,
	IFLA_MGRE_TTL,
	IFLA_MGRE_TOS,
	IFLA_MGRE_HOLDTIME,
	IFLA_MGRE_LINK,
	IFLA_MGRE_MAX_ENTRIES,
	IFLA_MGRE_NETWORK_ID,
	IFLA_MGRE_NHS_LIST,
	IFLA_MGRE_AUTH,
	IFLA_MGRE_MCAST_DYNAMIC,
	IFLA_MGRE_MCAST_NHS,
	IFLA_MGRE_MCAST_LIMIT,
	IFLA_MGRE_REDIRECT,
	IFLA_MGRE_SHORTCUT,
	IFLA_MGRE_MAX_PER_NBMA,
	IFLA_MGRE_MAX_HOLDTIME,
	IFLA_MGRE_REG_TIMEOUT,
	IFLA_MGRE_NHS_MAX_CONN,
	IFLA_MGRE_NHS_FALLBACK,
	__IFLA_MGRE_MAX,
};

#define IFLA_MGRE_MAX (__IFLA_MGRE_MAX - 1)

enum {
	IFLA_MGRE_NHS_UNSPEC,
	IFLA_MGRE_NHS,
	__IFLA_MGRE_NHS_LIST_MAX,
};

#define IFLA_MGRE_NHS_LIST_MAX (__IFLA_MGRE_NHS_LIST_MAX - 1)

enum {
	IFLA_MGRE_NHS_A_UNSPEC,
	IFLA_MGRE_NHS_PROTO4,
	IFLA_MGRE_NHS_NBMA4,
	IFLA_MGRE_NHS_PRIORITY,
	__IFLA_MGRE_NHS_A_MAX,
};

#define IFLA_MGRE_NHS_A_MAX (__IFLA_MGRE_NHS_A_MAX - 1)

#define MGRE_MAX_NHS			4
#define MGRE_AUTH_MAX			8

#define MGRE_DEFAULT_TTL		64
#define MGRE_DEFAULT_HOLDTIME		7200
#define MGRE_DEFAULT_MAX_ENTRIES	262144
#define MGRE_MAX_ENTRIES_LIMIT		(1U << 24)
#define MGRE_TOS_INHERIT		1
#define MGRE_DEFAULT_MCAST_LIMIT	1024
#define MGRE_DEFAULT_MAX_PER_NBMA	256
#define MGRE_DEFAULT_MAX_HOLDTIME	7200
#define MGRE_REDIRECT_RATE		100

#define MGRE_GENL_NAME		"mgre"
#define MGRE_GENL_VERSION	1
#define MGRE_MCGRP_EVENTS	"events"

enum mgre_cmd {
	MGRE_CMD_UNSPEC,
	MGRE_CMD_ENTRY_ADD,
	MGRE_CMD_ENTRY_DEL,
	MGRE_CMD_ENTRY_GET,
	MGRE_CMD_ENTRY_FLUSH,
	MGRE_CMD_DEV_GET,
	MGRE_CMD_NETNS_GET,
	MGRE_CMD_EVT_ADD,
	MGRE_CMD_EVT_CHANGE,
	MGRE_CMD_EVT_DEL,
	MGRE_CMD_EVT_EXPIRE,
	MGRE_CMD_NHS_GET,
	MGRE_CMD_RESOLVE,
	MGRE_CMD_EVT_NHS_UP,
	MGRE_CMD_EVT_NHS_DOWN,
	MGRE_CMD_EVT_SUMMARY,
	__MGRE_CMD_MAX,
};

#define MGRE_CMD_MAX (__MGRE_CMD_MAX - 1)

enum mgre_attr {
	MGRE_A_UNSPEC,
	MGRE_A_IFINDEX,		/* u32 */
	MGRE_A_IFNAME,		/* string, answers only */
	MGRE_A_ENTRY,		/* nest, MGRE_ENTRY_A_* */
	MGRE_A_TYPE,		/* u8, enum mgre_entry_type: dump/flush filter */
	MGRE_A_ENTRY_COUNT,	/* u32, answers only */
	MGRE_A_MAX_ENTRIES,	/* u32, answers only */
	MGRE_A_STATS,		/* nest, MGRE_STATS_A_*, answers only */
	MGRE_A_PAD,
	MGRE_A_NHRP_STATS,	/* nest, MGRE_NHRP_A_*, answers only */
	MGRE_A_NHS,		/* nest, MGRE_NHS_A_*, answers only */
	MGRE_A_REPLACE,		/* flag: ENTRY_ADD replaces an existing entry */
	MGRE_A_EVENT,		/* u8, MGRE_CMD_EVT_*: what a summary stands for */
	MGRE_A_EVENT_COUNT,	/* u32: how many entries a summary stands for */
	__MGRE_A_MAX,
};

#define MGRE_A_MAX (__MGRE_A_MAX - 1)

enum mgre_entry_attr {
	MGRE_ENTRY_A_UNSPEC,
	MGRE_ENTRY_A_PROTO_ADDR4,	/* __be32 */
	MGRE_ENTRY_A_PROTO_ADDR6,	/* struct in6_addr */
	MGRE_ENTRY_A_NBMA_ADDR4,	/* __be32 */
	MGRE_ENTRY_A_TYPE,		/* u8, enum mgre_entry_type */
	MGRE_ENTRY_A_FLAGS,		/* u32, MGRE_ENTRY_F_* */
	MGRE_ENTRY_A_HOLDTIME,		/* u16, seconds, 1..65535 */
	MGRE_ENTRY_A_EXPIRES,		/* u32, ms, answers only */
	MGRE_ENTRY_A_AGE,		/* u64, ms, answers only */
	MGRE_ENTRY_A_UPDATED,		/* u64, ms, answers only */
	MGRE_ENTRY_A_USED,		/* u64, ms, answers only */
	MGRE_ENTRY_A_PAD,
	MGRE_ENTRY_A_PREFIXLEN,		/* u8: a shortcut's prefix length */
	__MGRE_ENTRY_A_MAX,
};

#define MGRE_ENTRY_A_MAX (__MGRE_ENTRY_A_MAX - 1)

enum mgre_entry_type {
	MGRE_ENTRY_STATIC,	/* configured, never expires */
	MGRE_ENTRY_REGISTERED,	/* learnt from a Registration Request (hub) */
	MGRE_ENTRY_RESOLVED,	/* learnt from a Resolution Reply (spoke) */
	MGRE_ENTRY_INCOMPLETE,	/* resolution under way */
	MGRE_ENTRY_NEGATIVE,	/* resolution failed; suppresses retries */
	MGRE_ENTRY_LOCAL,	/* one of our own protocol addresses */
	__MGRE_ENTRY_TYPE_MAX,
};

#define MGRE_ENTRY_TYPE_MAX (__MGRE_ENTRY_TYPE_MAX - 1)

/* UNIQUE: may not be re-registered from another NBMA address. */
#define MGRE_ENTRY_F_UNIQUE	(1U << 0)
#define MGRE_ENTRY_F_MULTICAST	(1U << 1)	/* receives multicast copies */
#define MGRE_ENTRY_F_ROUTER	(1U << 2)	/* the peer is a router */
#define MGRE_ENTRY_F_ALL	(MGRE_ENTRY_F_UNIQUE | MGRE_ENTRY_F_MULTICAST | \
				 MGRE_ENTRY_F_ROUTER)

enum mgre_stats_attr {
	MGRE_STATS_A_UNSPEC,
	/* transmit: no cache entry for the next hop */
	MGRE_STATS_A_TX_NO_ENTRY,
	/* transmit: NBMA address unroutable */
	MGRE_STATS_A_TX_NO_ROUTE,
	/* transmit: the route to the NBMA address goes back into the tunnel */
	MGRE_STATS_A_TX_LOOP,
	/* transmit: neither IPv4 nor IPv6 */
	MGRE_STATS_A_TX_BAD_PROTO,
	/* receive: local address matches, GRE key does not */
	MGRE_STATS_A_RX_KEY_MISMATCH,
	/* receive: a GRE payload mgre does not carry; not taken */
	MGRE_STATS_A_RX_BAD_PROTO,
	/* receive: NHRP packets (0x2001) */
	MGRE_STATS_A_RX_NHRP,
	/* receive, per netns: no device has this local address; not taken */
	MGRE_STATS_A_RX_NO_TUNNEL,
	/* receive, per netns: GRE header unparsable or checksum wrong */
	MGRE_STATS_A_RX_MALFORMED,
	MGRE_STATS_A_PAD,
	/* transmit: multicast or broadcast packets replicated */
	MGRE_STATS_A_TX_MCAST,
	/* transmit: copies of them sent */
	MGRE_STATS_A_TX_MCAST_COPIES,
	/* transmit: multicast or broadcast with no entry flagged multicast */
	MGRE_STATS_A_TX_MCAST_NO_TARGET,
	/* transmit: copies not sent because of the replication limit */
	MGRE_STATS_A_TX_MCAST_LIMITED,
	/* Traffic Indications not sent: the rate limits held them back */
	MGRE_STATS_A_TX_REDIRECT_LIMITED,
	/* transmit: routes to NBMA addresses looked up, the route cache
	 * having none valid (not a drop)
	 */
	MGRE_STATS_A_TX_ROUTE_LOOKUPS,
	/* transmit: no usable underlay source address (local any: none on
	 * the underlay device, or only the tunnel's own)
	 */
	MGRE_STATS_A_TX_NO_SOURCE,
	/* hub: registrations refused with code 14, a unique registration
	 * from another NBMA address holding the address
	 */
	MGRE_STATS_A_NHS_UNIQUE_REFUSED,
	/* hub: unique registrations moved to a new NBMA address, the old
	 * holder silent when asked
	 */
	MGRE_STATS_A_NHS_MOVED,
	/* hub: registrations refused with code 5, their NBMA address
	 * holding max-per-nbma registered entries already
	 */
	MGRE_STATS_A_NHS_QUOTA_REFUSED,
	/* hub: registrations refused with code 5, the cache holding
	 * max-entries, or out of memory
	 */
	MGRE_STATS_A_NHS_FULL_REFUSED,
	/* hub: registrations granted a holdtime cut to max-holdtime */
	MGRE_STATS_A_NHS_HOLDTIME_CAPPED,
	/* spoke: Resolution Requests left unanswered for half a second by
	 * one NHS and asked again through the next one that is up
	 */
	MGRE_STATS_A_RES_RETRIED,
	/* spoke: Registration Requests sent again, unanswered for a second
	 * (or a sixth of a registration timeout under 6 s)
	 */
	MGRE_STATS_A_REG_RETRANSMITS,
	__MGRE_STATS_A_MAX,
};

#define MGRE_STATS_A_MAX (__MGRE_STATS_A_MAX - 1)

enum mgre_nhrp_stats_attr {
	MGRE_NHRP_A_UNSPEC,
	MGRE_NHRP_A_TX,		/* nest: u64 per NHRP packet type */
	MGRE_NHRP_A_RX,		/* nest: u64 per NHRP packet type */
	MGRE_NHRP_A_DROP,	/* nest: u64 per enum mgre_nhrp_drop */
	MGRE_NHRP_A_PAD,
	__MGRE_NHRP_A_MAX,
};

#define MGRE_NHRP_A_MAX (__MGRE_NHRP_A_MAX - 1)

#define MGRE_NHRP_TYPE_MAX	8	/* Traffic Indication */

/* Why a received NHRP packet was dropped. */
enum mgre_nhrp_drop {
	MGRE_NHRP_DROP_UNSPEC,
	MGRE_NHRP_DROP_TOO_SHORT,	/* shorter than the fixed header */
	MGRE_NHRP_DROP_BAD_VERSION,
	MGRE_NHRP_DROP_BAD_SIZE,	/* ar$pktsz against the packet */
	MGRE_NHRP_DROP_BAD_CHECKSUM,
	MGRE_NHRP_DROP_BAD_AFN,		/* NBMA other than IPv4 */
	MGRE_NHRP_DROP_BAD_PROTO,	/* protocol type */
	MGRE_NHRP_DROP_BAD_TYPE,	/* packet type */
	MGRE_NHRP_DROP_BAD_ADDR_LEN,
	MGRE_NHRP_DROP_BAD_MANDATORY,
	MGRE_NHRP_DROP_TOO_MANY_CIES,
	MGRE_NHRP_DROP_BAD_EXTOFF,
	MGRE_NHRP_DROP_BAD_EXT_LEN,
	MGRE_NHRP_DROP_BAD_EXT,
	MGRE_NHRP_DROP_UNKNOWN_COMPULSORY,
	MGRE_NHRP_DROP_HOPCNT_ZERO,
	MGRE_NHRP_DROP_DISABLED,	/* network id 0 on this device */
	MGRE_NHRP_DROP_AUTH,		/* authentication missing or wrong */
	MGRE_NHRP_DROP_NO_ADDRESS,	/* device has no protocol address */
	MGRE_NHRP_DROP_UNEXPECTED,	/* reply nobody asked for */
	MGRE_NHRP_DROP_UNSUPPORTED,	/* well formed but not usable here:
					 * protocol address lengths that do
					 * not fit the protocol type, a
					 * Traffic Indication not carrying
					 * IPv4, a shortcut answer too wide or
					 * naming ourselves
					 */
	MGRE_NHRP_DROP_NO_ROUTE,	/* cannot be answered or forwarded */
	MGRE_NHRP_DROP_NOMEM,
	MGRE_NHRP_DROP_NOT_NHS,		/* a registration for a node that has
					 * NHSs of its own: spokes serve none
					 */
	MGRE_NHRP_DROP_TOO_BIG,		/* its answer, or an extension to
					 * echo in it, would not fit in the
					 * packet we build
					 */
	MGRE_NHRP_DROP_ASKER_LIMIT,	/* a request to pass on from an asker
					 * with NHRP_INFLIGHT_PER_ASKER (32)
					 * passed on and unanswered already
					 */
	__MGRE_NHRP_DROP_MAX,
};

#define MGRE_NHRP_DROP_MAX (__MGRE_NHRP_DROP_MAX - 1)

enum mgre_nhs_attr {
	MGRE_NHS_A_UNSPEC,
	MGRE_NHS_A_PROTO4,	/* __be32: configured or learnt; 0 unknown */
	MGRE_NHS_A_NBMA4,	/* __be32 */
	MGRE_NHS_A_DYNAMIC,	/* flag: configured without a tunnel address */
	MGRE_NHS_A_STATE,	/* u8, enum mgre_nhs_state */
	MGRE_NHS_A_RTT,		/* u32, ms, of the last accepted reply */
	MGRE_NHS_A_LAST_REPLY,	/* u64, ms since; absent if never */
	MGRE_NHS_A_NEXT,	/* u32, ms until the next request */
	MGRE_NHS_A_REGISTRATIONS, /* u32, replies accepted */
	MGRE_NHS_A_FAILURES,	/* u32, requests unanswered or refused */
	MGRE_NHS_A_LAST_CODE,	/* u8, CIE code of the last reply */
	MGRE_NHS_A_PAD,
	MGRE_NHS_A_PRIORITY,	/* u8, configured; 0 ranks first */
	__MGRE_NHS_A_MAX,
};

#define MGRE_NHS_A_MAX (__MGRE_NHS_A_MAX - 1)

enum mgre_nhs_state {
	MGRE_NHS_DOWN,		/* not registered; retrying with backoff */
	MGRE_NHS_REGISTERING,	/* first request sent, no answer yet */
	MGRE_NHS_UP,		/* registered; renewing in time */
	MGRE_NHS_STANDBY,	/* not used: max-connections better ones are */
	__MGRE_NHS_STATE_MAX,
};

#endif /* _UAPI_LINUX_MGRE_H */
