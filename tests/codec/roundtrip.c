// SPDX-License-Identifier: GPL-2.0
/* Rebuild and compare parsed NHRP packets: see roundtrip.h. */
#include "roundtrip.h"

static void rebuild_cie(struct nhrp_builder *b, const struct nhrp_cie *c)
{
	nhrp_build_cie(b, c->code, c->prefix_len, c->mtu, c->holdtime,
		       c->nbma, c->proto, c->proto_len, c->pref);
}

int nhrp_rebuild(const struct nhrp_packet *pkt, u8 *out, size_t cap)
{
	struct nhrp_builder b;
	unsigned int pos = 0;
	unsigned int cpos;
	struct nhrp_cie cie;
	struct nhrp_ext ext;
	int i;

	nhrp_build_init(&b, out, cap);
	nhrp_build_header(&b, pkt->afn, pkt->pro_type, pkt->hopcnt, pkt->type);
	switch (pkt->type) {
	case NHRP_ERROR_INDICATION:
		nhrp_build_error_mandatory(&b, pkt->err_code, pkt->err_offset,
					   pkt->src_nbma, pkt->src_proto,
					   pkt->dst_proto, pkt->addr_len);
		nhrp_build_payload(&b, pkt->payload, pkt->payload_len);
		break;
	case NHRP_TRAFFIC_INDICATION:
		nhrp_build_traffic_mandatory(&b, pkt->traffic_code,
					     pkt->src_nbma, pkt->src_proto,
					     pkt->dst_proto, pkt->addr_len);
		nhrp_build_payload(&b, pkt->payload, pkt->payload_len);
		break;
	default:
		nhrp_build_mandatory(&b, pkt->flags, pkt->reqid, pkt->src_nbma,
				     pkt->src_proto, pkt->dst_proto,
				     pkt->addr_len);
		for (i = 0; i < pkt->ncies; i++)
			rebuild_cie(&b, &pkt->cies[i]);
		break;
	}

	while (nhrp_ext_next(pkt, &pos, &ext)) {
		switch (ext.type) {
		case NHRP_EXT_RESPONDER:
		case NHRP_EXT_FWD_TRANSIT:
		case NHRP_EXT_REV_TRANSIT:
		case NHRP_EXT_NAT:
			/* Through the CIE helpers, to exercise them. */
			nhrp_build_ext_open(&b, ext.type, ext.compulsory);
			cpos = 0;
			while (nhrp_cie_next(pkt, &ext, &cpos, &cie))
				rebuild_cie(&b, &cie);
			nhrp_build_ext_close(&b);
			break;
		default:
			nhrp_build_ext(&b, ext.type, ext.compulsory, ext.data,
				       ext.len);
			break;
		}
	}
	return nhrp_build_finish(&b);
}

static int bytes_differ(const u8 *a, const u8 *b, size_t len)
{
	if (!len)
		return 0;
	if (!a || !b)
		return 1;
	return memcmp(a, b, len) != 0;
}

static const char *cie_diff(const struct nhrp_cie *a, const struct nhrp_cie *b)
{
	if (a->code != b->code || a->prefix_len != b->prefix_len ||
	    a->mtu != b->mtu || a->holdtime != b->holdtime ||
	    a->pref != b->pref)
		return "cie fields";
	if (a->nbma_len != b->nbma_len || !a->nbma != !b->nbma ||
	    bytes_differ(a->nbma, b->nbma, a->nbma_len))
		return "cie nbma";
	if (a->proto_len != b->proto_len || !a->proto != !b->proto ||
	    bytes_differ(a->proto, b->proto, a->proto_len))
		return "cie proto";
	return NULL;
}

static bool ext_has_cies(u16 type)
{
	return type == NHRP_EXT_RESPONDER || type == NHRP_EXT_FWD_TRANSIT ||
	       type == NHRP_EXT_REV_TRANSIT || type == NHRP_EXT_NAT;
}

/* CIE lists are compared CIE by CIE: their unused bytes are not rebuilt. */
static const char *ext_diff(const struct nhrp_packet *pa,
			    const struct nhrp_ext *a,
			    const struct nhrp_packet *pb,
			    const struct nhrp_ext *b)
{
	unsigned int apos = 0, bpos = 0;
	struct nhrp_cie ca, cb;
	const char *d;
	bool more;

	if (nhrp_ext_present(a) != nhrp_ext_present(b))
		return "ext presence";
	if (a->off != b->off || a->len != b->len || a->type != b->type ||
	    a->compulsory != b->compulsory || a->ncies != b->ncies)
		return "ext header";
	if (!a->data != !b->data)
		return "ext data";
	if (!ext_has_cies(a->type))
		return bytes_differ(a->data, b->data, a->len) ? "ext data" :
								NULL;
	do {
		more = nhrp_cie_next(pa, a, &apos, &ca);
		if (more != nhrp_cie_next(pb, b, &bpos, &cb))
			return "ext cie count";
		d = more ? cie_diff(&ca, &cb) : NULL;
		if (d)
			return d;
	} while (more);
	return NULL;
}

#define DIFF(cond, what)	do { if (cond) return what; } while (0)

const char *nhrp_pkt_diff(const struct nhrp_packet *a,
			  const struct nhrp_packet *b)
{
	const char *d;
	int i;

	DIFF(a->afn != b->afn || a->pro_type != b->pro_type ||
	     a->hopcnt != b->hopcnt || a->type != b->type ||
	     a->addr_len != b->addr_len, "fixed header");
	DIFF(a->extoff != b->extoff, "extoff");
	DIFF(a->src_proto_len != b->src_proto_len ||
	     a->dst_proto_len != b->dst_proto_len, "proto lengths");
	DIFF(a->flags != b->flags || a->reqid != b->reqid, "flags/reqid");
	DIFF(a->err_code != b->err_code || a->err_offset != b->err_offset,
	     "error code/offset");
	DIFF(a->traffic_code != b->traffic_code, "traffic code");
	DIFF(bytes_differ(a->src_nbma, b->src_nbma, NHRP_NBMA_LEN),
	     "src nbma");
	DIFF(!a->src_proto != !b->src_proto ||
	     bytes_differ(a->src_proto, b->src_proto, a->src_proto_len),
	     "src proto");
	DIFF(!a->dst_proto != !b->dst_proto ||
	     bytes_differ(a->dst_proto, b->dst_proto, a->dst_proto_len),
	     "dst proto");
	DIFF(a->ncies != b->ncies, "ncies");
	for (i = 0; i < a->ncies; i++) {
		d = cie_diff(&a->cies[i], &b->cies[i]);
		if (d)
			return d;
	}
	DIFF(a->payload_len != b->payload_len || !a->payload != !b->payload ||
	     bytes_differ(a->payload, b->payload, a->payload_len), "payload");
	DIFF(a->ext_off != b->ext_off || a->ext_len != b->ext_len ||
	     a->has_end != b->has_end, "extension area");
	DIFF(a->nvendor != b->nvendor || a->nunknown != b->nunknown,
	     "extension counts");
	d = ext_diff(a, &a->responder, b, &b->responder);
	if (!d)
		d = ext_diff(a, &a->fwd_transit, b, &b->fwd_transit);
	if (!d)
		d = ext_diff(a, &a->rev_transit, b, &b->rev_transit);
	if (!d)
		d = ext_diff(a, &a->auth, b, &b->auth);
	if (!d)
		d = ext_diff(a, &a->vendor, b, &b->vendor);
	if (!d)
		d = ext_diff(a, &a->nat, b, &b->nat);
	if (d)
		return d;
	if (a->responder.ncies) {
		d = cie_diff(&a->responder_cie, &b->responder_cie);
		if (d)
			return d;
	}
	if (a->nat.ncies)
		return cie_diff(&a->nat_cie, &b->nat_cie);
	return NULL;
}
