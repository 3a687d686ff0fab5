// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the NHRP wire codec (nhrp_proto.c), in userspace.
 *
 *   ./codec_test          run every test, TAP-style; exit 1 on a failure
 *   ./codec_test -w DIR   write the seed corpus of the fuzzer into DIR
 */
#include <stdio.h>
#include <stdlib.h>

#include "nhrp_build.h"
#include "roundtrip.h"

static int passed, failed, failed_before;
static const char *cur_test;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("#   %s:%d: %s: CHECK(%s) failed\n", __FILE__,	\
		       __LINE__, cur_test, #cond);			\
		failed++;						\
		return;							\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		printf("#   %s:%d: %s: %s == %lld, expected %s == %lld\n", \
		       __FILE__, __LINE__, cur_test, #a, _a, #b, _b);	\
		failed++;						\
		return;							\
	}								\
} while (0)

static int mem_eq(const void *a, const void *b, size_t n)
{
	return a && memcmp(a, b, n) == 0;
}

#define CHECK_MEM(a, b, n) CHECK(mem_eq((a), (b), (n)))

#define CHECK_RT(p, n, expect) do {					\
	const char *_d = roundtrip((p), (n), (expect));			\
	if (_d) {							\
		printf("#   %s:%d: %s: round trip differs: %s\n",	\
		       __FILE__, __LINE__, cur_test, _d);		\
		failed++;						\
		return;							\
	}								\
} while (0)

/* The Registration Request of an FRR 8.4 spoke, from NHRP-WIRE.md. */
static const u8 frr_regreq[] = {
	0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x5c, 0xcc, 0xb9, 0x00, 0x34, 0x01, 0x03, 0x04, 0x00,
	/* mandatory part */
	0x04, 0x04, 0x80, 0x02, 0x00, 0x00, 0x00, 0x01,
	0xc0, 0x00, 0x02, 0x0b, 0x0a, 0x00, 0x00, 0x0b,
	0x0a, 0x00, 0x00, 0x0b,
	/* CIE */
	0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c,
	0x00, 0x00, 0x00, 0x00,
	/* placeholders 0x8004, 0x8005, 0x8003 */
	0x80, 0x04, 0x00, 0x00, 0x80, 0x05, 0x00, 0x00,
	0x80, 0x03, 0x00, 0x00,
	/* Cisco NAT extension with one CIE */
	0x00, 0x09, 0x00, 0x14,
	0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x00, 0x04, 0x00, 0xc0, 0x00, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x00,
	/* End */
	0x80, 0x00, 0x00, 0x00,
};

static const u8 spoke_nbma[4] = { 192, 0, 2, 11 };
static const u8 spoke_proto[4] = { 10, 0, 0, 11 };
static const u8 hub_nbma[4] = { 192, 0, 2, 1 };
static const u8 hub_proto[4] = { 10, 0, 0, 1 };
static const u8 zero4[4];
static const u8 spoke6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0b };
static const u8 hub6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const u8 peer6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0c };

static u8 buf[2048];
static u8 buf2[2048];

static int build_frr_regreq(u8 *out, size_t cap)
{
	struct nhrp_builder b;

	nhrp_build_init(&b, out, cap);
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 1,
			  NHRP_REGISTRATION_REQUEST);
	nhrp_build_mandatory(&b, NHRP_FLAG_REG_U | NHRP_FLAG_NAT, 1,
			     spoke_nbma, spoke_proto, spoke_proto, 4);
	nhrp_build_cie(&b, NHRP_CODE_SUCCESS, 0xff, 0, 60, NULL, NULL, 0, 0);
	nhrp_build_ext(&b, NHRP_EXT_FWD_TRANSIT, true, NULL, 0);
	nhrp_build_ext(&b, NHRP_EXT_REV_TRANSIT, true, NULL, 0);
	nhrp_build_ext(&b, NHRP_EXT_RESPONDER, true, NULL, 0);
	nhrp_build_ext_open(&b, NHRP_EXT_NAT, false);
	nhrp_build_cie(&b, NHRP_CODE_SUCCESS, 32, 0, 0, hub_nbma, zero4, 4, 0);
	nhrp_build_ext_close(&b);
	nhrp_build_end(&b);
	return nhrp_build_finish(&b);
}

/* Recompute the checksum after a test has corrupted one field. */
static void fix_csum(u8 *p, size_t len)
{
	put_unaligned_be16(0, p + 12);
	put_unaligned_be16(nhrp_checksum(p, len), p + 12);
}

/* A copy of the FRR vector in buf, for the validation tests to break. */
static size_t frr_copy(void)
{
	memcpy(buf, frr_regreq, sizeof(frr_regreq));
	return sizeof(frr_regreq);
}

static int parse_buf(size_t len, struct nhrp_packet *pkt)
{
	return nhrp_parse(buf, len, pkt);
}

/* Parse, rebuild, parse again: the two parses must agree. */
static const char *roundtrip(const u8 *p, size_t len, int expect)
{
	struct nhrp_packet a, b;
	int n;

	if (nhrp_parse(p, len, &a) != expect)
		return "first parse";
	n = nhrp_rebuild(&a, buf2, sizeof(buf2));
	if (n < 0)
		return "rebuild";
	if (nhrp_parse(buf2, n, &b) != expect)
		return "second parse";
	return nhrp_pkt_diff(&a, &b);
}

static void test_frr_vector_parse(void)
{
	struct nhrp_packet pkt;
	const struct nhrp_cie *c;

	CHECK_EQ(nhrp_parse(frr_regreq, sizeof(frr_regreq), &pkt), 0);
	CHECK_EQ(pkt.afn, NHRP_AFN_IPV4);
	CHECK_EQ(pkt.pro_type, NHRP_PRO_IPV4);
	CHECK_EQ(pkt.hopcnt, 1);
	CHECK_EQ(pkt.pktsz, 92);
	CHECK_EQ(pkt.extoff, 52);
	CHECK_EQ(pkt.type, NHRP_REGISTRATION_REQUEST);
	CHECK_EQ(pkt.addr_len, 4);
	CHECK_EQ(pkt.src_proto_len, 4);
	CHECK_EQ(pkt.dst_proto_len, 4);
	CHECK_EQ(pkt.flags, NHRP_FLAG_REG_U | NHRP_FLAG_NAT);
	CHECK_EQ(pkt.reqid, 1);
	CHECK_MEM(pkt.src_nbma, spoke_nbma, 4);
	CHECK_MEM(pkt.src_proto, spoke_proto, 4);
	CHECK_MEM(pkt.dst_proto, spoke_proto, 4);
	CHECK_EQ(pkt.ncies, 1);
	c = &pkt.cies[0];
	CHECK_EQ(c->code, NHRP_CODE_SUCCESS);
	CHECK_EQ(c->prefix_len, 0xff);
	CHECK_EQ(c->mtu, 0);
	CHECK_EQ(c->holdtime, 60);
	CHECK_EQ(c->nbma_len, 0);
	CHECK(!c->nbma);
	CHECK_EQ(c->proto_len, 0);
	CHECK(!c->proto);
	CHECK_EQ(c->pref, 0);
	CHECK(!pkt.payload);

	CHECK_EQ(pkt.ext_off, 52);
	CHECK_EQ(pkt.ext_len, 40);
	CHECK(pkt.has_end);
	CHECK_EQ(pkt.fwd_transit.off, 52);
	CHECK_EQ(pkt.fwd_transit.len, 0);
	CHECK(pkt.fwd_transit.compulsory);
	CHECK_EQ(pkt.fwd_transit.ncies, 0);
	CHECK_EQ(pkt.rev_transit.off, 56);
	CHECK(pkt.rev_transit.compulsory);
	CHECK_EQ(pkt.rev_transit.len, 0);
	CHECK_EQ(pkt.responder.off, 60);
	CHECK(pkt.responder.compulsory);
	CHECK_EQ(pkt.responder.len, 0);
	CHECK_EQ(pkt.responder.ncies, 0);
	CHECK(!nhrp_ext_present(&pkt.auth));
	CHECK(!nhrp_ext_present(&pkt.vendor));
	CHECK_EQ(pkt.nat.off, 64);
	CHECK(!pkt.nat.compulsory);
	CHECK_EQ(pkt.nat.type, NHRP_EXT_NAT);
	CHECK_EQ(pkt.nat.len, 20);
	CHECK_EQ(pkt.nat.ncies, 1);
	c = &pkt.nat_cie;
	CHECK_EQ(c->code, 0);
	CHECK_EQ(c->prefix_len, 32);
	CHECK_EQ(c->mtu, 0);
	CHECK_EQ(c->holdtime, 0);
	CHECK_EQ(c->nbma_len, 4);
	CHECK_MEM(c->nbma, hub_nbma, 4);
	CHECK_EQ(c->proto_len, 4);
	CHECK_MEM(c->proto, zero4, 4);
	CHECK_EQ(pkt.nunknown, 0);
	CHECK_EQ(pkt.nvendor, 0);
}

static void test_frr_vector_checksum(void)
{
	CHECK_EQ(get_unaligned_be16(frr_regreq + 12), 0xccb9);
	CHECK_EQ(nhrp_checksum(frr_regreq, sizeof(frr_regreq)), 0);
	frr_copy();
	put_unaligned_be16(0, buf + 12);
	CHECK_EQ(nhrp_checksum(buf, sizeof(frr_regreq)), 0xccb9);
}

static void test_frr_vector_build(void)
{
	int n = build_frr_regreq(buf, sizeof(buf));

	CHECK_EQ(n, sizeof(frr_regreq));
	CHECK_MEM(buf, frr_regreq, sizeof(frr_regreq));
}

static void test_frr_vector_ext_walk(void)
{
	static const u16 types[] = { 4, 5, 3, 9, 0 };
	static const bool comp[] = { true, true, true, false, true };
	struct nhrp_packet pkt;
	struct nhrp_ext ext;
	unsigned int pos = 0, cpos = 0;
	struct nhrp_cie cie;
	unsigned int i = 0;

	CHECK_EQ(nhrp_parse(frr_regreq, sizeof(frr_regreq), &pkt), 0);
	while (nhrp_ext_next(&pkt, &pos, &ext)) {
		CHECK(i < 5);
		CHECK_EQ(ext.type, types[i]);
		CHECK_EQ(ext.compulsory, comp[i]);
		i++;
	}
	CHECK_EQ(i, 5);
	CHECK(nhrp_cie_next(&pkt, &pkt.nat, &cpos, &cie));
	CHECK_MEM(cie.nbma, hub_nbma, 4);
	CHECK(!nhrp_cie_next(&pkt, &pkt.nat, &cpos, &cie));
	CHECK_RT(frr_regreq, sizeof(frr_regreq), 0);
}

static int build_resolution(u8 *out, u8 type, u16 pro, const u8 *src,
			    const u8 *dst, const u8 *cie_proto, u8 alen)
{
	bool reply = type == NHRP_RESOLUTION_REPLY;
	struct nhrp_builder b;

	nhrp_build_init(&b, out, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, pro, reply ? 63 : 64, type);
	nhrp_build_mandatory(&b, reply ? 0xe802 : 0xc802, 77, spoke_nbma, src,
			     dst, alen);
	if (reply)
		nhrp_build_cie(&b, NHRP_CODE_SUCCESS, alen * 8, 1400, 60,
			       hub_nbma, cie_proto, alen, 0);
	else
		nhrp_build_cie(&b, 0, 0xff, 0, 60, NULL, NULL, 0, 0);
	nhrp_build_ext_open(&b, NHRP_EXT_FWD_TRANSIT, true);
	nhrp_build_cie(&b, 0, alen * 8, 1400, 7200, hub_nbma, dst, alen, 0);
	nhrp_build_ext_close(&b);
	nhrp_build_ext_open(&b, NHRP_EXT_REV_TRANSIT, true);
	if (reply)
		nhrp_build_cie(&b, 0, alen * 8, 0, 7200, hub_nbma, dst, alen,
			       0);
	nhrp_build_ext_close(&b);
	nhrp_build_ext_open(&b, NHRP_EXT_RESPONDER, true);
	if (reply)
		nhrp_build_cie(&b, 0, alen * 8, 1400, 60, hub_nbma, cie_proto,
			       alen, 0);
	nhrp_build_ext_close(&b);
	nhrp_build_end(&b);
	return nhrp_build_finish(&b);
}

static void test_resolution_v4(void)
{
	struct nhrp_packet pkt;
	int n;

	n = build_resolution(buf, NHRP_RESOLUTION_REQUEST, NHRP_PRO_IPV4,
			     spoke_proto, hub_proto, NULL, 4);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.flags, NHRP_FLAG_RES_Q | NHRP_FLAG_RES_A |
		 NHRP_FLAG_RES_S | NHRP_FLAG_NAT);
	CHECK_EQ(pkt.hopcnt, 64);
	CHECK_EQ(pkt.fwd_transit.ncies, 1);
	CHECK_EQ(pkt.rev_transit.ncies, 0);
	CHECK_EQ(pkt.responder.len, 0);
	CHECK_RT(buf, n, 0);

	n = build_resolution(buf, NHRP_RESOLUTION_REPLY, NHRP_PRO_IPV4,
			     spoke_proto, hub_proto, hub_proto, 4);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.type, NHRP_RESOLUTION_REPLY);
	CHECK_EQ(pkt.flags & NHRP_FLAG_RES_D, NHRP_FLAG_RES_D);
	CHECK_EQ(pkt.ncies, 1);
	CHECK_EQ(pkt.cies[0].prefix_len, 32);
	CHECK_EQ(pkt.cies[0].mtu, 1400);
	CHECK_MEM(pkt.cies[0].nbma, hub_nbma, 4);
	CHECK_MEM(pkt.cies[0].proto, hub_proto, 4);
	CHECK_EQ(pkt.responder.ncies, 1);
	CHECK_MEM(pkt.responder_cie.proto, hub_proto, 4);
	CHECK_EQ(pkt.rev_transit.ncies, 1);
	CHECK_RT(buf, n, 0);
}

static void test_resolution_v6(void)
{
	struct nhrp_packet pkt;
	int n;

	n = build_resolution(buf, NHRP_RESOLUTION_REQUEST, NHRP_PRO_IPV6,
			     spoke6, peer6, NULL, 16);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.addr_len, 16);
	CHECK_EQ(pkt.src_proto_len, 16);
	CHECK_MEM(pkt.src_proto, spoke6, 16);
	CHECK_MEM(pkt.dst_proto, peer6, 16);
	CHECK_RT(buf, n, 0);

	n = build_resolution(buf, NHRP_RESOLUTION_REPLY, NHRP_PRO_IPV6,
			     spoke6, peer6, hub6, 16);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.cies[0].proto_len, 16);
	CHECK_EQ(pkt.cies[0].prefix_len, 128);
	CHECK_MEM(pkt.cies[0].proto, hub6, 16);
	CHECK_MEM(pkt.responder_cie.proto, hub6, 16);
	CHECK_MEM(pkt.fwd_transit.data + NHRP_CIE_LEN + 4, peer6, 16);
	CHECK_RT(buf, n, 0);
}

/* A hub refusing a second unique registration, FRR-style NAT echo. */
static int build_regrep(u8 *out)
{
	struct nhrp_builder b;

	nhrp_build_init(&b, out, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 64,
			  NHRP_REGISTRATION_REPLY);
	nhrp_build_mandatory(&b, NHRP_FLAG_REG_U | NHRP_FLAG_NAT, 9,
			     spoke_nbma, spoke_proto, hub_proto, 4);
	nhrp_build_cie(&b, NHRP_CODE_ALREADY_REGISTERED, 0xff, 0, 0, NULL,
		       NULL, 0, 0);
	nhrp_build_ext_open(&b, NHRP_EXT_RESPONDER, true);
	nhrp_build_cie(&b, 0, 32, 1400, 7200, hub_nbma, hub_proto, 4, 0);
	nhrp_build_ext_close(&b);
	nhrp_build_ext_open(&b, NHRP_EXT_NAT, false);
	nhrp_build_cie(&b, 0, 32, 0, 0, hub_nbma, zero4, 4, 0);
	nhrp_build_cie(&b, 0, 32, 1400, 0, spoke_nbma, spoke_proto, 4, 0);
	nhrp_build_ext_close(&b);
	nhrp_build_end(&b);
	return nhrp_build_finish(&b);
}

static void test_registration_reply(void)
{
	struct nhrp_packet pkt;
	struct nhrp_cie cie;
	unsigned int pos = 0;
	int n;

	n = build_regrep(buf);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.cies[0].code, NHRP_CODE_ALREADY_REGISTERED);
	CHECK_EQ(pkt.responder_cie.holdtime, 7200);
	CHECK_EQ(pkt.nat.ncies, 2);
	/* FRR reads its own public address from the second NAT CIE. */
	CHECK(nhrp_cie_next(&pkt, &pkt.nat, &pos, &cie));
	CHECK(nhrp_cie_next(&pkt, &pkt.nat, &pos, &cie));
	CHECK_MEM(cie.nbma, spoke_nbma, 4);
	CHECK_MEM(cie.proto, spoke_proto, 4);
	CHECK_RT(buf, n, 0);
}

static int build_purge(u8 *out, u8 type)
{
	struct nhrp_builder b;

	nhrp_build_init(&b, out, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 64, type);
	nhrp_build_mandatory(&b, type == NHRP_PURGE_REQUEST ?
			     NHRP_FLAG_PURGE_N : 0, 5, hub_nbma, hub_proto,
			     spoke_proto, 4);
	nhrp_build_cie(&b, 0, 32, 0, 0, NULL, spoke_proto, 4, 0);
	nhrp_build_cie(&b, 0, 32, 0, 0, spoke_nbma, hub_proto, 4, 0);
	nhrp_build_end(&b);
	return nhrp_build_finish(&b);
}

static void test_purge(void)
{
	struct nhrp_packet pkt;
	int n;

	n = build_purge(buf, NHRP_PURGE_REQUEST);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.type, NHRP_PURGE_REQUEST);
	CHECK_EQ(pkt.flags, NHRP_FLAG_PURGE_N);
	CHECK_EQ(pkt.ncies, 2);
	CHECK_EQ(pkt.cies[0].nbma_len, 0);
	CHECK_EQ(pkt.cies[1].nbma_len, 4);
	CHECK(pkt.has_end);
	CHECK_RT(buf, n, 0);

	n = build_purge(buf, NHRP_PURGE_REPLY);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.type, NHRP_PURGE_REPLY);
	CHECK_EQ(pkt.flags, 0);
	CHECK_RT(buf, n, 0);
}

static int build_error_ind(u8 *out, u8 hopcnt)
{
	struct nhrp_builder b;

	nhrp_build_init(&b, out, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, hopcnt,
			  NHRP_ERROR_INDICATION);
	nhrp_build_error_mandatory(&b, NHRP_ERR_AUTH_FAILURE, 52, hub_nbma,
				   hub_proto, spoke_proto, 4);
	nhrp_build_payload(&b, frr_regreq, sizeof(frr_regreq));
	return nhrp_build_finish(&b);
}

static void test_error_indication(void)
{
	struct nhrp_packet pkt, inner;
	int n;

	n = build_error_ind(buf, 255);
	CHECK_EQ(n, 20 + 20 + sizeof(frr_regreq));
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.type, NHRP_ERROR_INDICATION);
	CHECK_EQ(pkt.err_code, NHRP_ERR_AUTH_FAILURE);
	CHECK_EQ(pkt.err_offset, 52);
	CHECK_EQ(pkt.flags, 0);
	CHECK_EQ(pkt.reqid, 0);
	CHECK_EQ(pkt.ncies, 0);
	CHECK_EQ(pkt.extoff, 0);
	CHECK_EQ(pkt.payload_len, sizeof(frr_regreq));
	CHECK_MEM(pkt.payload, frr_regreq, sizeof(frr_regreq));
	/* The packet in error parses on its own. */
	CHECK_EQ(nhrp_parse(pkt.payload, pkt.payload_len, &inner), 0);
	CHECK_EQ(inner.reqid, 1);
	CHECK_RT(buf, n, 0);

	/* FRR sends them with hop count 0: reported, but fully parsed. */
	n = build_error_ind(buf, 0);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_HOPCNT_ZERO);
	CHECK_EQ(pkt.err_code, NHRP_ERR_AUTH_FAILURE);
	CHECK_EQ(pkt.payload_len, sizeof(frr_regreq));
	CHECK_RT(buf, n, -NHRP_PARSE_HOPCNT_ZERO);
}

static void test_error_indication_no_addrs(void)
{
	struct nhrp_builder b;
	struct nhrp_packet pkt;
	int n;

	/* Only an Error Indication may leave a protocol address out. */
	nhrp_build_init(&b, buf, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 1,
			  NHRP_ERROR_INDICATION);
	nhrp_build_error_mandatory(&b, NHRP_ERR_PROTOCOL_ERROR, 16, hub_nbma,
				   hub_proto, NULL, 4);
	nhrp_build_payload(&b, frr_regreq, 20);
	n = nhrp_build_finish(&b);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.src_proto_len, 4);
	CHECK_EQ(pkt.dst_proto_len, 0);
	CHECK(!pkt.dst_proto);
	CHECK_RT(buf, n, 0);
	buf[17] = NHRP_RESOLUTION_REPLY;
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
}

static const u8 ip_packet[] = {	/* 10.0.0.11 -> 10.0.0.12, ICMP, odd */
	0x45, 0x00, 0x00, 0x1d, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01,
	0x00, 0x00, 0x0a, 0x00, 0x00, 0x0b, 0x0a, 0x00, 0x00, 0x0c,
	0x08, 0x00, 0xf7, 0xfe, 0x00, 0x01, 0x00, 0x00, 0xaa,
};

static int build_traffic_ind(u8 *out, bool auth)
{
	static const u8 dst[4] = { 10, 0, 0, 12 };
	struct nhrp_builder b;

	nhrp_build_init(&b, out, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 1,
			  NHRP_TRAFFIC_INDICATION);
	nhrp_build_traffic_mandatory(&b, NHRP_TRAFFIC_REDIRECT, hub_nbma,
				     hub_proto, dst, 4);
	nhrp_build_payload(&b, ip_packet, sizeof(ip_packet));
	if (auth) {
		nhrp_build_auth(&b, (const u8 *)"cisco", 5);
		nhrp_build_end(&b);
	}
	return nhrp_build_finish(&b);
}

static void test_traffic_indication(void)
{
	struct nhrp_packet pkt;
	int n;

	n = build_traffic_ind(buf, false);
	CHECK_EQ(n, 20 + 20 + sizeof(ip_packet));
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.type, NHRP_TRAFFIC_INDICATION);
	CHECK_EQ(pkt.traffic_code, NHRP_TRAFFIC_REDIRECT);
	CHECK_EQ(pkt.payload_len, sizeof(ip_packet));
	CHECK_MEM(pkt.payload, ip_packet, sizeof(ip_packet));
	CHECK_RT(buf, n, 0);

	/* FRR with auth: extoff after an odd-length packet is fine here. */
	n = build_traffic_ind(buf, true);
	CHECK(n > 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.extoff, 40 + sizeof(ip_packet));
	CHECK_EQ(pkt.payload_len, sizeof(ip_packet));
	CHECK(nhrp_ext_present(&pkt.auth));
	CHECK(pkt.has_end);
	CHECK_RT(buf, n, 0);
}

static void test_auth(void)
{
	static const u8 want[] = { 0x80, 0x07, 0x00, 0x0a, 0, 0, 0, 1,
				   's', 'e', 'c', 'r', 'e', 't' };
	struct nhrp_builder b;
	struct nhrp_packet pkt;
	const u8 *secret;
	int n;

	nhrp_build_init(&b, buf, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 64,
			  NHRP_RESOLUTION_REQUEST);
	nhrp_build_mandatory(&b, 0, 3, spoke_nbma, spoke_proto, hub_proto, 4);
	nhrp_build_cie(&b, 0, 0xff, 0, 0, NULL, NULL, 0, 0);
	nhrp_build_auth(&b, (const u8 *)"secret", 6);
	/* Unpadded: the next extension starts at a 2-byte boundary. */
	nhrp_build_ext(&b, NHRP_EXT_VENDOR, false, (const u8 *)"\0\0\x0c!", 4);
	nhrp_build_end(&b);
	n = nhrp_build_finish(&b);
	CHECK(n > 0);
	CHECK_MEM(buf + 52, want, sizeof(want));
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.auth.off, 52);
	CHECK(pkt.auth.compulsory);
	CHECK_EQ(pkt.auth.len, 10);
	CHECK_EQ(nhrp_auth_cisco_secret(&pkt, &secret), 6);
	CHECK_MEM(secret, "secret", 6);
	CHECK_EQ(pkt.vendor.off, 66);
	CHECK_EQ(pkt.nvendor, 1);
	CHECK_RT(buf, n, 0);

	/* Longer than Cisco's 8 bytes: refused by the builder. */
	nhrp_build_init(&b, buf, sizeof(buf));
	nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 64,
			  NHRP_RESOLUTION_REQUEST);
	nhrp_build_mandatory(&b, 0, 3, spoke_nbma, spoke_proto, hub_proto, 4);
	nhrp_build_auth(&b, (const u8 *)"123456789", 9);
	CHECK_EQ(nhrp_build_finish(&b), -EINVAL);

	/* Absent, and shorter than reserved + SPI. */
	n = frr_copy();
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(nhrp_auth_cisco_secret(&pkt, &secret), -ENOENT);
	put_unaligned_be16(0x8007, buf + 60);	/* responder -> auth */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXT);
}

static void test_odd_checksum(void)
{
	static const u8 odd[] = { 0x01, 0x02, 0x03 };
	struct nhrp_packet pkt;
	int n;

	/* 0x0102 + 0x0300 (the odd byte padded with zero) = 0x0402 */
	CHECK_EQ(nhrp_checksum(odd, 3), 0xfbfd);
	CHECK_EQ(nhrp_checksum(odd, 0), 0xffff);
	n = build_traffic_ind(buf, false);
	CHECK_EQ(n & 1, 1);
	CHECK_EQ(nhrp_checksum(buf, n), 0);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	buf[n - 1] ^= 0x01;
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_CHECKSUM);
}

static void test_err_truncated(void)
{
	struct nhrp_packet pkt;

	frr_copy();
	CHECK_EQ(parse_buf(19, &pkt), -NHRP_PARSE_TOO_SHORT);
	CHECK_EQ(parse_buf(0, &pkt), -NHRP_PARSE_TOO_SHORT);
	/* Cut below ar$pktsz: a size mismatch. */
	CHECK_EQ(parse_buf(91, &pkt), -NHRP_PARSE_BAD_SIZE);
	/* Trailing link-layer padding beyond ar$pktsz is ignored. */
	memset(buf + 92, 0xee, 8);
	CHECK_EQ(parse_buf(100, &pkt), 0);
	CHECK_EQ(pkt.pktsz, 92);
}

static void test_err_version(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	buf[16] = 2;
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_VERSION);
	CHECK_EQ(pkt.err_off, 16);
}

static void test_err_checksum(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	buf[13] ^= 0x40;
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_CHECKSUM);
	frr_copy();
	buf[70] ^= 0x01;	/* inside the NAT CIE */
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_CHECKSUM);
}

static void test_err_afn(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(NHRP_AFN_IPV6, buf);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_AFN);
}

static void test_err_proto(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(0x1234, buf + 2);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_PROTO);
	/* Short form with a non-zero ar$pro.snap. */
	frr_copy();
	buf[6] = 1;
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_PROTO);
	/* IPv6 protocol type with 4-byte addresses. */
	frr_copy();
	put_unaligned_be16(NHRP_PRO_IPV6, buf + 2);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
}

static void test_err_pktsz_too_big(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(n + 4, buf + 10);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_SIZE);
	CHECK_EQ(pkt.err_off, 10);
}

static void test_err_pktsz_too_small(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(19, buf + 10);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_SIZE);
	/* Header-sized, checksum right: the mandatory part is missing. */
	put_unaligned_be16(20, buf + 10);
	put_unaligned_be16(0, buf + 14);
	fix_csum(buf, 20);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_MANDATORY);
}

static void test_err_extoff_in_mandatory(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(36, buf + 14);	/* inside the addresses */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXTOFF);
	/* Aligned, past the addresses, but inside the CIE. */
	put_unaligned_be16(44, buf + 14);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_MANDATORY);
}

static void test_err_extoff_beyond(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(96, buf + 14);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXTOFF);
	/* No room for even one extension header. */
	put_unaligned_be16(92, buf + 14);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXTOFF);
}

static void test_err_extoff_misaligned(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(54, buf + 14);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXTOFF);
	CHECK_EQ(pkt.err_off, 14);
}

static void test_err_ext_len(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(0x0019, buf + 66);	/* NAT: 25 > 24 left */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXT_LEN);
	CHECK_EQ(pkt.err_off, 66);
	/* An extension header cut short by the end of the packet. */
	n = frr_copy();
	put_unaligned_be16(n - 2, buf + 10);
	fix_csum(buf, n - 2);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXT_LEN);
	/* A NAT CIE longer than its extension. */
	n = frr_copy();
	put_unaligned_be16(0x0010, buf + 66);
	put_unaligned_be32(0x80000000, buf + 84);	/* End */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXT);
}

static void test_err_unknown_compulsory(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(0x8123, buf + 56);	/* was 0x8005 */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_UNKNOWN_COMPULSORY);
	CHECK_EQ(pkt.unknown_ext, 0x0123);
	CHECK_EQ(pkt.err_off, 56);
}

static void test_unknown_noncompulsory(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	put_unaligned_be16(0x0123, buf + 56);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK_EQ(pkt.nunknown, 1);
	CHECK(!nhrp_ext_present(&pkt.rev_transit));
	CHECK(nhrp_ext_present(&pkt.nat));
	CHECK_RT(buf, n, 0);
}

static void test_err_hopcnt_zero(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	buf[9] = 0;
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_HOPCNT_ZERO);
	/* Everything else was parsed: the caller may still use it. */
	CHECK_EQ(pkt.reqid, 1);
	CHECK_EQ(pkt.nat.ncies, 1);
	CHECK(pkt.has_end);
	CHECK_EQ(pkt.err_off, 9);
}

static void test_err_too_many_cies(void)
{
	struct nhrp_builder b;
	struct nhrp_packet pkt;
	int i, n;

	for (i = NHRP_MAX_CIES; i <= NHRP_MAX_CIES + 1; i++) {
		int j;

		nhrp_build_init(&b, buf, sizeof(buf));
		nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 64,
				  NHRP_PURGE_REQUEST);
		nhrp_build_mandatory(&b, 0, 1, hub_nbma, hub_proto,
				     spoke_proto, 4);
		for (j = 0; j < i; j++)
			nhrp_build_cie(&b, 0, 32, 0, 0, NULL, spoke_proto, 4,
				       0);
		n = nhrp_build_finish(&b);
		CHECK(n > 0);
		CHECK_EQ(parse_buf(n, &pkt), i > NHRP_MAX_CIES ?
			 -NHRP_PARSE_TOO_MANY_CIES : 0);
	}
	CHECK_EQ(pkt.err_off, 40 + NHRP_MAX_CIES * 16);
}

static void test_err_nbma_len(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	buf[18] = 6;		/* ar$shtl */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	frr_copy();
	buf[19] = 2;		/* ar$sstl: a subaddress */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	frr_copy();
	buf[76] = 6;		/* NAT CIE client NBMA length */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	CHECK_EQ(pkt.err_off, 68);
	frr_copy();
	buf[76] = 0x44;		/* E.164 type bit */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
}

static void test_err_proto_len(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	buf[20] = 5;		/* src proto len */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	frr_copy();
	buf[21] = 0;		/* dst proto len 0: only in an indication */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	frr_copy();
	buf[50] = 5;		/* CIE client proto len */
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	CHECK_EQ(pkt.err_off, 40);
}

static void test_err_type(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	buf[17] = 9;
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_TYPE);
	buf[17] = 0;
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_TYPE);
}

static void test_ext_structure(void)
{
	struct nhrp_packet pkt;
	size_t n = frr_copy();

	/* A repeated known extension. */
	put_unaligned_be16(0x8004, buf + 56);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXT);
	CHECK_EQ(pkt.err_off, 56);
	/* End with a length. */
	n = frr_copy();
	put_unaligned_be16(0x8000, buf + 60);
	put_unaligned_be16(4, buf + 62);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), -NHRP_PARSE_BAD_EXT);
	/* End first: what follows it is not parsed. */
	n = frr_copy();
	put_unaligned_be16(0x8000, buf + 52);
	put_unaligned_be16(0xffff, buf + 56);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK(pkt.has_end);
	CHECK_EQ(pkt.ext_len, 4);
	CHECK(!nhrp_ext_present(&pkt.nat));
	/* No End at all: accepted, and said so. */
	n = frr_copy() - 4;
	put_unaligned_be16(n, buf + 10);
	fix_csum(buf, n);
	CHECK_EQ(parse_buf(n, &pkt), 0);
	CHECK(!pkt.has_end);
	CHECK_EQ(pkt.ext_len, 36);
	CHECK_RT(buf, n, 0);
}

static void test_builder_errors(void)
{
	struct nhrp_builder b;
	int i;

	/* Every size short of the whole packet overflows. */
	for (i = 0; i < (int)sizeof(frr_regreq); i++)
		CHECK_EQ(build_frr_regreq(buf, i), -ENOSPC);
	CHECK_EQ(build_frr_regreq(buf, sizeof(frr_regreq)),
		 sizeof(frr_regreq));

	/* Misuse: a mandatory part before the header, an unclosed
	 * extension, a CIE after the extensions began.
	 */
	nhrp_build_init(&b, buf, sizeof(buf));
	nhrp_build_mandatory(&b, 0, 0, hub_nbma, hub_proto, hub_proto, 4);
	CHECK_EQ(nhrp_build_finish(&b), -EINVAL);
	nhrp_build_init(&b, buf, sizeof(buf));
	nhrp_build_header(&b, 1, NHRP_PRO_IPV4, 1, 1);
	nhrp_build_mandatory(&b, 0, 0, hub_nbma, hub_proto, hub_proto, 4);
	nhrp_build_ext_open(&b, NHRP_EXT_NAT, false);
	CHECK_EQ(nhrp_build_finish(&b), -EINVAL);
	nhrp_build_init(&b, buf, sizeof(buf));
	nhrp_build_header(&b, 1, NHRP_PRO_IPV4, 1, 1);
	nhrp_build_mandatory(&b, 0, 0, hub_nbma, hub_proto, hub_proto, 4);
	nhrp_build_end(&b);
	nhrp_build_cie(&b, 0, 32, 0, 0, NULL, NULL, 0, 0);
	CHECK_EQ(nhrp_build_finish(&b), -EINVAL);
}

static void test_err_strings(void)
{
	int i, j;

	for (i = 0; i < __NHRP_PARSE_MAX; i++) {
		CHECK(nhrp_parse_err_str(i));
		CHECK(!strcmp(nhrp_parse_err_str(i), nhrp_parse_err_str(-i)));
		for (j = 0; j < i; j++)
			CHECK(strcmp(nhrp_parse_err_str(i),
				     nhrp_parse_err_str(j)));
	}
	CHECK(!strcmp(nhrp_parse_err_str(-NHRP_PARSE_BAD_CHECKSUM),
		      "bad checksum"));
	CHECK(!strcmp(nhrp_parse_err_str(1000), "unknown error"));
	CHECK(!strcmp(nhrp_type_str(NHRP_TRAFFIC_INDICATION),
		      "traffic indication"));
	CHECK(!strcmp(nhrp_type_str(0), "unknown"));
}

/*
 * Packets FRR nhrpd 8.4 sent in the interop VMs, cut out of the capture
 * by selftests/interop: each must parse as the type its name says, with a
 * valid checksum, and survive a rebuild.
 */
static void test_frr_captured(void)
{
	static const struct {
		const char *file;
		u8 type;
	} caps[] = {
		{ "frr-captured-regreq", NHRP_REGISTRATION_REQUEST },
		{ "frr-captured-regrep", NHRP_REGISTRATION_REPLY },
		{ "frr-captured-resreq", NHRP_RESOLUTION_REQUEST },
		{ "frr-captured-resreq-fwd", NHRP_RESOLUTION_REQUEST },
		{ "frr-captured-resrep", NHRP_RESOLUTION_REPLY },
		{ "frr-captured-traffic-ind", NHRP_TRAFFIC_INDICATION },
		{ "frr-captured-regreq6", NHRP_REGISTRATION_REQUEST },
		{ "frr-captured-regrep6", NHRP_REGISTRATION_REPLY },
	};
	struct nhrp_packet pkt;
	unsigned int i;
	char path[512];
	u8 data[2048];
	size_t n;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		snprintf(path, sizeof(path), "corpus/%s", caps[i].file);
		f = fopen(path, "rb");
		if (!f)
			printf("#   missing %s\n", path);
		CHECK(f);
		n = fread(data, 1, sizeof(data), f);
		fclose(f);
		CHECK_EQ(nhrp_parse(data, n, &pkt), 0);
		CHECK_EQ(pkt.type, caps[i].type);
		CHECK_EQ(nhrp_checksum(data, pkt.pktsz), 0);
		CHECK_RT(data, n, 0);
	}
	/* What FRR's hub forwards: one hop less, its own transit record. */
	f = fopen("corpus/frr-captured-resreq-fwd", "rb");
	CHECK(f);
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	CHECK_EQ(nhrp_parse(data, n, &pkt), 0);
	CHECK_EQ(pkt.hopcnt, 63);
	CHECK_EQ(pkt.fwd_transit.ncies, 1);

	/*
	 * FRR's IPv6 Registration Reply: 16-byte addresses, but the
	 * Responder CIE names the hub's IPv4 address.  Taken (we only echo
	 * extensions), while the same in the mandatory part is refused.
	 */
	f = fopen("corpus/frr-captured-regrep6", "rb");
	CHECK(f);
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	CHECK_EQ(nhrp_parse(data, n, &pkt), 0);
	CHECK_EQ(pkt.pro_type, NHRP_PRO_IPV6);
	CHECK_EQ(pkt.dst_proto_len, 16);
	CHECK_EQ(pkt.responder.ncies, 1);
	CHECK_EQ(pkt.responder_cie.proto_len, 4);
	CHECK_EQ(pkt.ncies, 1);
	/* Its mandatory CIE carries no client address: give it 4 bytes. */
	{
		size_t cie = NHRP_HDR_LEN + NHRP_MAND_LEN + NHRP_NBMA_LEN + 32;
		u8 bad[2048];

		memcpy(bad, data, n);
		bad[cie + 10] = 4;
		fix_csum(bad, n);
		CHECK_EQ(nhrp_parse(bad, n, &pkt), -NHRP_PARSE_BAD_ADDR_LEN);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "FRR-captured packets (interop VMs): parse, checksum, round trip",
	  test_frr_captured },
	{ "FRR registration request: every field", test_frr_vector_parse },
	{ "FRR registration request: checksum", test_frr_vector_checksum },
	{ "FRR registration request: builder byte for byte",
	  test_frr_vector_build },
	{ "FRR registration request: extension walk, round trip",
	  test_frr_vector_ext_walk },
	{ "resolution request/reply IPv4 round trip", test_resolution_v4 },
	{ "resolution request/reply IPv6 round trip", test_resolution_v6 },
	{ "registration reply with code 14 and NAT CIEs",
	  test_registration_reply },
	{ "purge request/reply round trip", test_purge },
	{ "error indication round trip, hop count 0", test_error_indication },
	{ "error indication without a destination address",
	  test_error_indication_no_addrs },
	{ "traffic indication round trip, with auth",
	  test_traffic_indication },
	{ "authentication extension build/parse", test_auth },
	{ "odd-length checksum", test_odd_checksum },
	{ "reject: truncated", test_err_truncated },
	{ "reject: bad version", test_err_version },
	{ "reject: bad checksum", test_err_checksum },
	{ "reject: afn 2", test_err_afn },
	{ "reject: protocol type 0x1234, snap", test_err_proto },
	{ "reject: pktsz > received length", test_err_pktsz_too_big },
	{ "reject: pktsz < header", test_err_pktsz_too_small },
	{ "reject: extoff inside the mandatory part",
	  test_err_extoff_in_mandatory },
	{ "reject: extoff beyond the packet", test_err_extoff_beyond },
	{ "reject: extoff misaligned", test_err_extoff_misaligned },
	{ "reject: extension length past the end", test_err_ext_len },
	{ "reject: unknown compulsory extension 0x8123",
	  test_err_unknown_compulsory },
	{ "accept: unknown non-compulsory extension 0x0123",
	  test_unknown_noncompulsory },
	{ "report: hop count 0", test_err_hopcnt_zero },
	{ "reject: too many CIEs", test_err_too_many_cies },
	{ "reject: NBMA length 6, subaddress, E.164", test_err_nbma_len },
	{ "reject: protocol length 5", test_err_proto_len },
	{ "reject: unknown packet type", test_err_type },
	{ "extensions: duplicate, End with length, End first, no End",
	  test_ext_structure },
	{ "builder: overflow and misuse", test_builder_errors },
	{ "error strings distinct", test_err_strings },
};

static int write_file(const char *dir, const char *name, const u8 *p,
		      size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

/* Seeds for the fuzzer: one valid packet of every type. */
static int write_corpus(const char *dir)
{
	int err = 0, n;

	err |= write_file(dir, "frr-regreq", frr_regreq, sizeof(frr_regreq));
	n = build_resolution(buf, NHRP_RESOLUTION_REQUEST, NHRP_PRO_IPV4,
			     spoke_proto, hub_proto, NULL, 4);
	err |= write_file(dir, "resreq-v4", buf, n);
	n = build_resolution(buf, NHRP_RESOLUTION_REPLY, NHRP_PRO_IPV4,
			     spoke_proto, hub_proto, hub_proto, 4);
	err |= write_file(dir, "resrep-v4", buf, n);
	n = build_resolution(buf, NHRP_RESOLUTION_REQUEST, NHRP_PRO_IPV6,
			     spoke6, peer6, NULL, 16);
	err |= write_file(dir, "resreq-v6", buf, n);
	n = build_resolution(buf, NHRP_RESOLUTION_REPLY, NHRP_PRO_IPV6,
			     spoke6, peer6, hub6, 16);
	err |= write_file(dir, "resrep-v6", buf, n);
	n = build_purge(buf, NHRP_PURGE_REQUEST);
	err |= write_file(dir, "purge-req", buf, n);
	n = build_purge(buf, NHRP_PURGE_REPLY);
	err |= write_file(dir, "purge-rep", buf, n);
	n = build_error_ind(buf, 0);
	err |= write_file(dir, "error-ind", buf, n);
	n = build_traffic_ind(buf, true);
	err |= write_file(dir, "traffic-ind-auth", buf, n);
	n = build_regrep(buf);
	err |= write_file(dir, "regrep-nat", buf, n);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc == 3 && !strcmp(argv[1], "-w"))
		return write_corpus(argv[2]);

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		cur_test = tests[i].name;
		failed_before = failed;
		tests[i].fn();
		if (failed == failed_before) {
			passed++;
			printf("ok %u - %s\n", i + 1, tests[i].name);
		} else {
			printf("not ok %u - %s\n", i + 1, tests[i].name);
		}
	}
	printf("1..%u\n", i);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
