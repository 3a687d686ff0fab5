/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NHRP (RFC 2332) wire codec: parse and build NHRP packets in flat byte
 * buffers, for IPv4 and IPv6 protocol addresses over an IPv4 NBMA.
 *
 * The codec knows nothing of sk_buffs, devices or the cache, allocates
 * nothing and uses nothing of the kernel but its types, memcpy/memset,
 * ARRAY_SIZE and errno values, so the same nhrp_proto.c builds in the
 * module and in userspace (tests/codec, where kshim.h stands in for the
 * kernel headers) for unit tests and fuzzing.
 *
 * Parsing fills a struct nhrp_packet with host-order fields and pointers
 * into the received buffer, which must outlive it.  Building appends to a
 * caller's buffer through a struct nhrp_builder; errors are sticky and
 * reported once, by nhrp_build_finish().
 *
 * Wire facts beyond RFC 2332 (checked against FRR nhrpd and Wireshark):
 * - Traffic Indication (type 8, Cisco, draft-detienne-dmvpn): the mandatory
 *   part is src/dst protocol lengths, 16 unused bits, a 16-bit traffic code
 *   (0: redirect), 16 unused bits, the usual addresses, then the data packet
 *   that triggered it (FRR writes zero flags and request ID, which is the
 *   same on the wire).
 * - Error Indication (type 7): 16 unused bits where the flags are, then the
 *   error code and error offset where the request ID is; after the
 *   addresses comes the packet in error.  FRR sends it with hop count 0.
 * - Cisco NAT Address extension: type 9, sent non-compulsory, a CIE list.
 * - Cisco cleartext authentication: value 00 00 00 01 (reserved, SPI 1)
 *   then the password, at most 8 bytes, unpadded; so extensions after it
 *   need not be 32-bit aligned.
 */
#ifndef _MGRE_NHRP_PROTO_H
#define _MGRE_NHRP_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#else
#include "kshim.h"
#endif

#define NHRP_VERSION		1	/* ar$op.version */
#define NHRP_AFN_IPV4		1	/* ar$afn: the only NBMA we speak */
#define NHRP_AFN_IPV6		2
#define NHRP_PRO_IPV4		0x0800	/* ar$pro.type, Ethertype form */
#define NHRP_PRO_IPV6		0x86dd

#define NHRP_HDR_LEN		20	/* fixed header */
#define NHRP_MAND_LEN		8	/* mandatory part before the addresses */
#define NHRP_CIE_LEN		12	/* CIE before its addresses */
#define NHRP_EXT_HDR_LEN	4
#define NHRP_NBMA_LEN		4	/* IPv4 NBMA address */
#define NHRP_MAX_PKT		65535	/* ar$pktsz is 16 bits */
#define NHRP_MAX_CIES		8	/* CIEs kept from the mandatory part */

/* ar$op.type */
enum nhrp_type {
	NHRP_RESOLUTION_REQUEST = 1,
	NHRP_RESOLUTION_REPLY = 2,
	NHRP_REGISTRATION_REQUEST = 3,
	NHRP_REGISTRATION_REPLY = 4,
	NHRP_PURGE_REQUEST = 5,
	NHRP_PURGE_REPLY = 6,
	NHRP_ERROR_INDICATION = 7,
	NHRP_TRAFFIC_INDICATION = 8,	/* Cisco redirect */
};

/* Mandatory part flags, per packet type. */
#define NHRP_FLAG_RES_Q		0x8000	/* Resolution: sender is a router */
#define NHRP_FLAG_RES_A		0x4000	/* authoritative answer wanted/given */
#define NHRP_FLAG_RES_D		0x2000	/* reply: destination is stable */
#define NHRP_FLAG_RES_U		0x1000	/* unique binding */
#define NHRP_FLAG_RES_S		0x0800	/* source binding is stable */
#define NHRP_FLAG_REG_U		0x8000	/* Registration: unique */
#define NHRP_FLAG_PURGE_N	0x8000	/* Purge: no reply expected */
#define NHRP_FLAG_NAT		0x0002	/* Cisco: NAT extension supported */

/* CIE codes (RFC 2332 5.2.2, 5.2.4); 0 in requests. */
enum nhrp_cie_code {
	NHRP_CODE_SUCCESS = 0,
	NHRP_CODE_ADMIN_PROHIBITED = 4,
	NHRP_CODE_INSUFFICIENT_RESOURCES = 5,
	NHRP_CODE_NO_BINDING = 12,	/* resolution: none exists (FRR says 11) */
	NHRP_CODE_NOT_UNIQUE = 13,	/* resolution: binding not unique */
	NHRP_CODE_ALREADY_REGISTERED = 14, /* registration: unique address taken */
};

/* Error Indication codes (RFC 2332 5.2.7). */
enum nhrp_error_code {
	NHRP_ERR_UNRECOGNIZED_EXT = 1,	/* unknown compulsory extension */
	NHRP_ERR_LOOP_DETECTED = 3,	/* (FRR's header says 2) */
	NHRP_ERR_PROTO_UNREACHABLE = 6,
	NHRP_ERR_PROTOCOL_ERROR = 7,	/* version, type, checksum, ... */
	NHRP_ERR_SDU_SIZE_EXCEEDED = 8,
	NHRP_ERR_INVALID_EXT = 9,	/* extension wrong for the packet type */
	NHRP_ERR_INVALID_REPLY = 10,	/* resolution reply nobody asked for */
	NHRP_ERR_AUTH_FAILURE = 11,	/* what Cisco answers an auth mismatch */
	NHRP_ERR_HOP_COUNT_EXCEEDED = 15,
};

#define NHRP_TRAFFIC_REDIRECT	0	/* Traffic Indication traffic code */

/* Extension types: top bit compulsory, next bit unused, 14-bit type. */
#define NHRP_EXT_COMPULSORY	0x8000
#define NHRP_EXT_TYPE_MASK	0x3fff
enum nhrp_ext_type {
	NHRP_EXT_END = 0,		/* sent as 0x8000, length 0 */
	NHRP_EXT_RESPONDER = 3,		/* one CIE: who answered */
	NHRP_EXT_FWD_TRANSIT = 4,	/* CIEs: NHSs a request crossed */
	NHRP_EXT_REV_TRANSIT = 5,	/* CIEs: NHSs a reply crossed */
	NHRP_EXT_AUTH = 7,		/* reserved, SPI, secret */
	NHRP_EXT_VENDOR = 8,		/* 24-bit OUI, then data */
	NHRP_EXT_NAT = 9,		/* Cisco NAT address: CIEs */
};

#define NHRP_AUTH_SPI_CLEARTEXT	1	/* Cisco/FRR cleartext password */
#define NHRP_AUTH_CISCO_MAX	8	/* password bytes */

/*
 * Why nhrp_parse() refused a packet; it returns the negated value.
 * NHRP_PARSE_HOPCNT_ZERO is reported only for an otherwise valid packet,
 * which is then fully parsed: the caller decides (FRR sends Error
 * Indications with hop count 0, Cisco refuses hop count 0).
 */
enum nhrp_parse_err {
	NHRP_PARSE_OK = 0,
	NHRP_PARSE_TOO_SHORT,		/* shorter than the fixed header */
	NHRP_PARSE_BAD_VERSION,		/* ar$op.version != 1 */
	NHRP_PARSE_BAD_SIZE,		/* ar$pktsz < header or > received */
	NHRP_PARSE_BAD_CHECKSUM,
	NHRP_PARSE_BAD_AFN,		/* NBMA other than IPv4 */
	NHRP_PARSE_BAD_PROTO,		/* pro.type not IPv4/IPv6, or snap */
	NHRP_PARSE_BAD_TYPE,		/* ar$op.type not 1..8 */
	NHRP_PARSE_BAD_ADDR_LEN,	/* NBMA/subaddress/protocol lengths */
	NHRP_PARSE_BAD_MANDATORY,	/* truncated, or CIEs not filling it */
	NHRP_PARSE_TOO_MANY_CIES,	/* more than NHRP_MAX_CIES */
	NHRP_PARSE_BAD_EXTOFF,		/* in the mandatory part, past the end,
					 * or misaligned
					 */
	NHRP_PARSE_BAD_EXT_LEN,		/* extension runs past the packet */
	NHRP_PARSE_BAD_EXT,		/* known extension malformed or repeated */
	NHRP_PARSE_UNKNOWN_COMPULSORY,	/* unknown extension with C bit */
	NHRP_PARSE_HOPCNT_ZERO,
	__NHRP_PARSE_MAX,
};

/* A Client Information Entry; addresses point into the packet. */
struct nhrp_cie {
	const u8 *nbma;		/* NULL when nbma_len is 0 */
	const u8 *proto;	/* NULL when proto_len is 0 */
	u16 mtu;
	u16 holdtime;		/* seconds */
	u8 code;		/* enum nhrp_cie_code */
	u8 prefix_len;		/* 0xff (or 0): the address only */
	u8 nbma_len;		/* 0 or NHRP_NBMA_LEN */
	u8 proto_len;		/* 0 or the protocol address length */
	u8 pref;
};

/* One extension; off == 0 means absent (none can start at offset 0). */
struct nhrp_ext {
	const u8 *data;		/* value; NULL when len is 0 */
	u16 off;		/* offset of its header in the packet */
	u16 len;		/* length of the value */
	u16 type;		/* without the compulsory bit */
	u16 ncies;		/* CIEs in the value (CIE-list extensions) */
	bool compulsory;
};

static inline bool nhrp_ext_present(const struct nhrp_ext *ext)
{
	return ext->off != 0;
}

struct nhrp_packet {
	const u8 *buf;		/* the parsed packet, ar$pktsz bytes */

	/* Fixed header */
	u16 afn;
	u16 pro_type;
	u16 pktsz;
	u16 extoff;
	u8 hopcnt;
	u8 type;		/* enum nhrp_type */
	u8 addr_len;		/* protocol address length of pro_type */

	/* Mandatory part */
	u8 src_proto_len;	/* addr_len, or 0 in an Error Indication */
	u8 dst_proto_len;
	u16 flags;		/* NHRP_FLAG_*: types 1-6 */
	u32 reqid;		/* types 1-6 */
	u16 err_code;		/* Error Indication: enum nhrp_error_code */
	u16 err_offset;		/* Error Indication: offset in the bad packet */
	u16 traffic_code;	/* Traffic Indication */
	const u8 *src_nbma;	/* NHRP_NBMA_LEN bytes */
	const u8 *src_proto;	/* NULL when its length is 0 */
	const u8 *dst_proto;
	struct nhrp_cie cies[NHRP_MAX_CIES];	/* types 1-6 */
	u8 ncies;
	const u8 *payload;	/* types 7, 8: the packet in error or the
				 * data packet that triggered the indication
				 */
	u16 payload_len;

	/* Extensions: [ext_off, ext_off + ext_len), through End if any */
	u16 ext_off;		/* == extoff; 0 when there are none */
	u16 ext_len;
	bool has_end;
	struct nhrp_ext responder;
	struct nhrp_ext fwd_transit;
	struct nhrp_ext rev_transit;
	struct nhrp_ext auth;
	struct nhrp_ext vendor;		/* the first Vendor-Private one */
	struct nhrp_ext nat;
	struct nhrp_cie responder_cie;	/* valid when responder.ncies */
	struct nhrp_cie nat_cie;	/* the first NAT CIE, when nat.ncies */
	u16 nvendor;		/* Vendor-Private extensions seen */
	u16 nunknown;		/* unknown non-compulsory ones skipped */

	/* Where parsing stopped on an error, for an Error Indication. */
	u16 err_off;
	u16 unknown_ext;	/* type of the unknown compulsory extension */
};

/*
 * Big-endian fields at any alignment.  Byte by byte rather than
 * get_unaligned_be16(): its header moved in 6.12 (asm/ to linux/), and
 * this file must build unchanged on 6.1, 6.12 and in userspace.
 */
static inline u16 nhrp_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 nhrp_get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void nhrp_put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void nhrp_put32(u8 *p, u32 v)
{
	nhrp_put16(p, v >> 16);
	nhrp_put16(p + 2, v & 0xffff);
}

u16 nhrp_checksum(const u8 *buf, size_t len);
int nhrp_parse(const u8 *buf, size_t len, struct nhrp_packet *pkt);
const char *nhrp_parse_err_str(int err);
const char *nhrp_type_str(u8 type);

/*
 * Walk what nhrp_parse() accepted: every extension in order (End
 * included), and the CIEs of a CIE-list extension.  *pos starts at 0;
 * both return false at the end.
 */
bool nhrp_ext_next(const struct nhrp_packet *pkt, unsigned int *pos,
		   struct nhrp_ext *ext);
bool nhrp_cie_next(const struct nhrp_packet *pkt, const struct nhrp_ext *ext,
		   unsigned int *pos, struct nhrp_cie *cie);

/* Cisco cleartext secret of the Authentication extension, or -EINVAL. */
int nhrp_auth_cisco_secret(const struct nhrp_packet *pkt, const u8 **secret);

#endif /* _MGRE_NHRP_PROTO_H */
