// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP wire codec: RFC 2332 plus what Cisco DMVPN and FRR put on the wire.
 *
 * Pure C over byte buffers; see include/nhrp_proto.h.  Every length read
 * from the wire is checked against what is left before it is used, so a
 * parse touches nothing outside [buf, buf + ar$pktsz).
 */
#include "nhrp_proto.h"

/**
 * nhrp_checksum() - the checksum of RFC 2332 over a buffer
 * @buf: the bytes, a whole packet with its ar$chksum field
 * @len: how many (ar$pktsz); an odd length is summed as if padded with a
 *	zero
 *
 * The 16-bit one's complement of the one's complement sum, as IP's.  Any
 * context; reads only @buf.
 *
 * Return: the checksum: 0 over a packet whose checksum field is right,
 * the value to store when that field is zero.
 */
u16 nhrp_checksum(const u8 *buf, size_t len)
{
	u64 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += nhrp_get16(buf + i);
	/* RFC 2332 5.1: an odd length is summed as if padded with a zero. */
	if (len & 1)
		sum += (u16)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static const char * const nhrp_parse_err_strs[__NHRP_PARSE_MAX] = {
	[NHRP_PARSE_OK]			= "ok",
	[NHRP_PARSE_TOO_SHORT]		= "too short",
	[NHRP_PARSE_BAD_VERSION]	= "bad version",
	[NHRP_PARSE_BAD_SIZE]		= "packet size mismatch",
	[NHRP_PARSE_BAD_CHECKSUM]	= "bad checksum",
	[NHRP_PARSE_BAD_AFN]		= "bad address family",
	[NHRP_PARSE_BAD_PROTO]		= "bad protocol type",
	[NHRP_PARSE_BAD_TYPE]		= "unknown packet type",
	[NHRP_PARSE_BAD_ADDR_LEN]	= "bad address length",
	[NHRP_PARSE_BAD_MANDATORY]	= "bad mandatory part",
	[NHRP_PARSE_TOO_MANY_CIES]	= "too many CIEs",
	[NHRP_PARSE_BAD_EXTOFF]		= "bad extension offset",
	[NHRP_PARSE_BAD_EXT_LEN]	= "bad extension length",
	[NHRP_PARSE_BAD_EXT]		= "malformed extension",
	[NHRP_PARSE_UNKNOWN_COMPULSORY]	= "unknown compulsory extension",
	[NHRP_PARSE_HOPCNT_ZERO]	= "hop count zero",
};

/**
 * nhrp_parse_err_str() - name why nhrp_parse() refused a packet
 * @err: an enum nhrp_parse_err, negated (as nhrp_parse() returns it) or not
 *
 * Any context.
 *
 * Return: a static string, "unknown error" for a value out of range.
 */
const char *nhrp_parse_err_str(int err)
{
	if (err < 0)
		err = -err;
	if (err >= __NHRP_PARSE_MAX)
		return "unknown error";
	return nhrp_parse_err_strs[err];
}

/**
 * nhrp_type_str() - name an NHRP packet type
 * @type: ar$op.type, an enum nhrp_type
 *
 * Any context.
 *
 * Return: a static string, "unknown" for a type we do not know.
 */
const char *nhrp_type_str(u8 type)
{
	static const char * const names[] = {
		[NHRP_RESOLUTION_REQUEST]	= "resolution request",
		[NHRP_RESOLUTION_REPLY]		= "resolution reply",
		[NHRP_REGISTRATION_REQUEST]	= "registration request",
		[NHRP_REGISTRATION_REPLY]	= "registration reply",
		[NHRP_PURGE_REQUEST]		= "purge request",
		[NHRP_PURGE_REPLY]		= "purge reply",
		[NHRP_ERROR_INDICATION]		= "error indication",
		[NHRP_TRAFFIC_INDICATION]	= "traffic indication",
	};

	if (type >= ARRAY_SIZE(names) || !names[type])
		return "unknown";
	return names[type];
}

/* Record where parsing stopped, for the Error Offset of an indication. */
static int nhrp_fail(struct nhrp_packet *pkt, size_t off, int reason)
{
	pkt->err_off = off;
	return -reason;
}

static u8 nhrp_pro_addr_len(u16 pro_type)
{
	switch (pro_type) {
	case NHRP_PRO_IPV4:
		return 4;
	case NHRP_PRO_IPV6:
		return 16;
	}
	return 0;
}

/* Types whose mandatory part ends in CIEs rather than a carried packet. */
static bool nhrp_type_has_cies(u8 type)
{
	return type != NHRP_ERROR_INDICATION && type != NHRP_TRAFFIC_INDICATION;
}

/*
 * One CIE at p, with avail bytes left in its list.  Returns its length, or
 * -NHRP_PARSE_BAD_ADDR_LEN, or -NHRP_PARSE_BAD_MANDATORY when it does not
 * fit.  Client addresses are optional (length 0: the source's own).
 */
static int nhrp_cie_parse(const struct nhrp_packet *pkt, const u8 *p,
			  size_t avail, bool in_ext, struct nhrp_cie *cie)
{
	u8 nbma_len, saddr_len, proto_len;
	size_t need;

	if (avail < NHRP_CIE_LEN)
		return -NHRP_PARSE_BAD_MANDATORY;
	nbma_len = p[8];
	saddr_len = p[9];
	proto_len = p[10];
	/*
	 * The type bit of an IPv4 NBMA T/L is 0 (NSAP form): 4 exactly.  A
	 * client protocol address is of the packet's protocol, except in
	 * extensions, which we only echo: FRR 8.4 puts its IPv4 address in
	 * the Responder CIE of its IPv6 replies.
	 */
	if ((nbma_len && nbma_len != NHRP_NBMA_LEN) || saddr_len ||
	    (proto_len && proto_len != pkt->addr_len &&
	     !(in_ext && (proto_len == 4 || proto_len == 16))))
		return -NHRP_PARSE_BAD_ADDR_LEN;
	need = NHRP_CIE_LEN + nbma_len + proto_len;
	if (avail < need)
		return -NHRP_PARSE_BAD_MANDATORY;

	cie->code = p[0];
	cie->prefix_len = p[1];
	cie->mtu = nhrp_get16(p + 4);
	cie->holdtime = nhrp_get16(p + 6);
	cie->nbma_len = nbma_len;
	cie->proto_len = proto_len;
	cie->pref = p[11];
	cie->nbma = nbma_len ? p + NHRP_CIE_LEN : NULL;
	cie->proto = proto_len ? p + NHRP_CIE_LEN + nbma_len : NULL;
	return need;
}

static int nhrp_parse_cies(struct nhrp_packet *pkt, size_t pos, size_t end)
{
	struct nhrp_cie cie;
	int n;

	while (pos < end) {
		n = nhrp_cie_parse(pkt, pkt->buf + pos, end - pos, false,
				   &cie);
		if (n < 0)
			return nhrp_fail(pkt, pos, -n);
		if (pkt->ncies == NHRP_MAX_CIES)
			return nhrp_fail(pkt, pos, NHRP_PARSE_TOO_MANY_CIES);
		pkt->cies[pkt->ncies++] = cie;
		pos += n;
	}
	return 0;
}

/* Validate and count the CIEs of a CIE-list extension; keep the first. */
static int nhrp_parse_ext_cies(struct nhrp_packet *pkt, struct nhrp_ext *ext,
			       struct nhrp_cie *first)
{
	size_t pos = 0;
	struct nhrp_cie cie;
	int n;

	while (pos < ext->len) {
		n = nhrp_cie_parse(pkt, ext->data + pos, ext->len - pos, true,
				   &cie);
		if (n == -NHRP_PARSE_BAD_MANDATORY)
			n = -NHRP_PARSE_BAD_EXT;
		if (n < 0)
			return nhrp_fail(pkt, ext->off + NHRP_EXT_HDR_LEN + pos,
					 -n);
		if (!ext->ncies && first)
			*first = cie;
		ext->ncies++;
		pos += n;
	}
	return 0;
}

static void nhrp_ext_read(const struct nhrp_packet *pkt, size_t off,
			  struct nhrp_ext *ext)
{
	u16 raw = nhrp_get16(pkt->buf + off);

	memset(ext, 0, sizeof(*ext));
	ext->off = off;
	ext->type = raw & NHRP_EXT_TYPE_MASK;
	ext->compulsory = raw & NHRP_EXT_COMPULSORY;
	ext->len = nhrp_get16(pkt->buf + off + 2);
}

/* The slot of a known extension that may appear once, and its first CIE. */
static struct nhrp_ext *nhrp_ext_slot(struct nhrp_packet *pkt, u16 type,
				      struct nhrp_cie **first)
{
	*first = NULL;
	switch (type) {
	case NHRP_EXT_RESPONDER:
		*first = &pkt->responder_cie;
		return &pkt->responder;
	case NHRP_EXT_FWD_TRANSIT:
		return &pkt->fwd_transit;
	case NHRP_EXT_REV_TRANSIT:
		return &pkt->rev_transit;
	case NHRP_EXT_AUTH:
		return &pkt->auth;
	case NHRP_EXT_NAT:
		*first = &pkt->nat_cie;
		return &pkt->nat;
	}
	return NULL;
}

static int nhrp_parse_exts(struct nhrp_packet *pkt)
{
	size_t pos = pkt->extoff;
	struct nhrp_ext ext, *slot;
	struct nhrp_cie *first;
	int err;

	pkt->ext_off = pkt->extoff;
	while (pos < pkt->pktsz) {
		if (pkt->pktsz - pos < NHRP_EXT_HDR_LEN)
			return nhrp_fail(pkt, pos, NHRP_PARSE_BAD_EXT_LEN);
		nhrp_ext_read(pkt, pos, &ext);
		if (ext.len > pkt->pktsz - pos - NHRP_EXT_HDR_LEN)
			return nhrp_fail(pkt, pos + 2, NHRP_PARSE_BAD_EXT_LEN);
		ext.data = ext.len ? pkt->buf + pos + NHRP_EXT_HDR_LEN : NULL;
		pos += NHRP_EXT_HDR_LEN + ext.len;

		if (ext.type == NHRP_EXT_END) {
			if (ext.len)
				return nhrp_fail(pkt, ext.off + 2,
						 NHRP_PARSE_BAD_EXT);
			/* Whatever follows End is not ours to read. */
			pkt->has_end = true;
			break;
		}
		if (ext.type == NHRP_EXT_VENDOR) {
			/* Several vendors may each add one: keep the first. */
			if (ext.len < 3)
				return nhrp_fail(pkt, ext.off + 2,
						 NHRP_PARSE_BAD_EXT);
			if (!pkt->nvendor++)
				pkt->vendor = ext;
			continue;
		}
		slot = nhrp_ext_slot(pkt, ext.type, &first);
		if (!slot) {
			/* RFC 2332 5.3: only a compulsory one is fatal. */
			if (ext.compulsory) {
				pkt->unknown_ext = ext.type;
				return nhrp_fail(pkt, ext.off,
						 NHRP_PARSE_UNKNOWN_COMPULSORY);
			}
			pkt->nunknown++;
			continue;
		}
		if (nhrp_ext_present(slot))
			return nhrp_fail(pkt, ext.off, NHRP_PARSE_BAD_EXT);
		if (ext.type == NHRP_EXT_AUTH) {
			/* Reserved and SPI at least. */
			if (ext.len < 4)
				return nhrp_fail(pkt, ext.off + 2,
						 NHRP_PARSE_BAD_EXT);
		} else {
			err = nhrp_parse_ext_cies(pkt, &ext, first);
			if (err)
				return err;
		}
		*slot = ext;
	}
	pkt->ext_len = pos - pkt->extoff;
	return 0;
}

/*
 * Parse the mandatory part: the lengths, flags and request ID (or error
 * code and offset, or traffic code), the addresses; then the CIEs up to
 * the extensions, or, for the indications, the carried packet.
 */
static int nhrp_parse_mandatory(struct nhrp_packet *pkt)
{
	const u8 *p = pkt->buf + NHRP_HDR_LEN;
	size_t fixed_end, mand_end;
	bool zero_ok;

	if (pkt->pktsz < NHRP_HDR_LEN + NHRP_MAND_LEN)
		return nhrp_fail(pkt, NHRP_HDR_LEN, NHRP_PARSE_BAD_MANDATORY);

	pkt->src_proto_len = p[0];
	pkt->dst_proto_len = p[1];
	/* An error may concern a packet whose addresses were unusable. */
	zero_ok = pkt->type == NHRP_ERROR_INDICATION;
	if ((pkt->src_proto_len != pkt->addr_len &&
	     !(zero_ok && !pkt->src_proto_len)) ||
	    (pkt->dst_proto_len != pkt->addr_len &&
	     !(zero_ok && !pkt->dst_proto_len)))
		return nhrp_fail(pkt, NHRP_HDR_LEN, NHRP_PARSE_BAD_ADDR_LEN);

	switch (pkt->type) {
	case NHRP_ERROR_INDICATION:
		pkt->err_code = nhrp_get16(p + 4);
		pkt->err_offset = nhrp_get16(p + 6);
		break;
	case NHRP_TRAFFIC_INDICATION:
		pkt->traffic_code = nhrp_get16(p + 4);
		break;
	default:
		pkt->flags = nhrp_get16(p + 2);
		pkt->reqid = nhrp_get32(p + 4);
		break;
	}

	fixed_end = NHRP_HDR_LEN + NHRP_MAND_LEN + NHRP_NBMA_LEN +
		    pkt->src_proto_len + pkt->dst_proto_len;
	if (fixed_end > pkt->pktsz)
		return nhrp_fail(pkt, NHRP_HDR_LEN + NHRP_MAND_LEN,
				 NHRP_PARSE_BAD_MANDATORY);
	p += NHRP_MAND_LEN;
	pkt->src_nbma = p;
	p += NHRP_NBMA_LEN;
	pkt->src_proto = pkt->src_proto_len ? p : NULL;
	p += pkt->src_proto_len;
	pkt->dst_proto = pkt->dst_proto_len ? p : NULL;

	/*
	 * With IPv4/IPv6 addresses every CIE is a multiple of 4 bytes, so in
	 * CIE packets a misaligned extoff is bad on its face.  The packet an
	 * indication carries has any length, so there it can be anything.
	 */
	if (pkt->extoff) {
		if (pkt->extoff < fixed_end ||
		    (size_t)pkt->extoff + NHRP_EXT_HDR_LEN > pkt->pktsz ||
		    (nhrp_type_has_cies(pkt->type) && (pkt->extoff & 3)))
			return nhrp_fail(pkt, 14, NHRP_PARSE_BAD_EXTOFF);
		mand_end = pkt->extoff;
	} else {
		mand_end = pkt->pktsz;
	}

	if (nhrp_type_has_cies(pkt->type))
		return nhrp_parse_cies(pkt, fixed_end, mand_end);

	/* Loosely: the carried packet is the caller's to interpret. */
	pkt->payload_len = mand_end - fixed_end;
	pkt->payload = pkt->payload_len ? pkt->buf + fixed_end : NULL;
	return 0;
}

/**
 * nhrp_parse() - parse and validate a received NHRP packet
 * @buf: the packet; it must outlive @pkt, whose pointers point into it
 * @len: the bytes received; those beyond ar$pktsz (link padding) are
 *	ignored
 * @pkt: filled with host-order fields; zeroed first
 *
 * Every length read from the wire is checked against what is left before
 * it is used, so nothing outside [@buf, @buf + ar$pktsz) is touched.  On
 * an error, @pkt->err_off is where parsing stopped (the Error Offset of an
 * Error Indication) and @pkt->unknown_ext the type of an unknown
 * compulsory extension.  Any context; allocates nothing.
 *
 * Return: 0; or a negated enum nhrp_parse_err.  -NHRP_PARSE_HOPCNT_ZERO
 * comes only for an otherwise valid packet, which is then fully parsed:
 * the caller decides (FRR sends Error Indications with hop count 0, Cisco
 * refuses hop count 0).
 */
int nhrp_parse(const u8 *buf, size_t len, struct nhrp_packet *pkt)
{
	int err;

	memset(pkt, 0, sizeof(*pkt));
	pkt->buf = buf;
	if (len < NHRP_HDR_LEN)
		return nhrp_fail(pkt, 0, NHRP_PARSE_TOO_SHORT);
	if (buf[16] != NHRP_VERSION)
		return nhrp_fail(pkt, 16, NHRP_PARSE_BAD_VERSION);
	/* Trailing bytes (link padding) beyond ar$pktsz are ignored. */
	pkt->pktsz = nhrp_get16(buf + 10);
	if (pkt->pktsz < NHRP_HDR_LEN || pkt->pktsz > len)
		return nhrp_fail(pkt, 10, NHRP_PARSE_BAD_SIZE);
	if (nhrp_checksum(buf, pkt->pktsz))
		return nhrp_fail(pkt, 12, NHRP_PARSE_BAD_CHECKSUM);

	pkt->afn = nhrp_get16(buf);
	if (pkt->afn != NHRP_AFN_IPV4)
		return nhrp_fail(pkt, 0, NHRP_PARSE_BAD_AFN);
	pkt->pro_type = nhrp_get16(buf + 2);
	pkt->addr_len = nhrp_pro_addr_len(pkt->pro_type);
	/* ar$pro.snap must be zero with a short-form protocol type. */
	if (!pkt->addr_len || buf[4] || buf[5] || buf[6] || buf[7] || buf[8])
		return nhrp_fail(pkt, 2, NHRP_PARSE_BAD_PROTO);
	pkt->hopcnt = buf[9];
	pkt->extoff = nhrp_get16(buf + 14);
	pkt->type = buf[17];
	if (pkt->type < NHRP_RESOLUTION_REQUEST ||
	    pkt->type > NHRP_TRAFFIC_INDICATION)
		return nhrp_fail(pkt, 17, NHRP_PARSE_BAD_TYPE);
	/* ar$shtl: NSAP-form IPv4 address; ar$sstl: no subaddress. */
	if (buf[18] != NHRP_NBMA_LEN || buf[19])
		return nhrp_fail(pkt, 18, NHRP_PARSE_BAD_ADDR_LEN);

	err = nhrp_parse_mandatory(pkt);
	if (err)
		return err;
	if (pkt->extoff) {
		err = nhrp_parse_exts(pkt);
		if (err)
			return err;
	}
	if (!pkt->hopcnt)
		return nhrp_fail(pkt, 9, NHRP_PARSE_HOPCNT_ZERO);
	return 0;
}

/**
 * nhrp_ext_next() - walk the extensions of a parsed packet
 * @pkt: a packet nhrp_parse() accepted
 * @pos: where the walk is; 0 to start; advanced past the extension
 * @ext: filled with the next extension, its CIEs counted in @ext->ncies
 *	for a CIE-list type
 *
 * Every extension in order up to End, End included: every Vendor-Private
 * and unknown non-compulsory one too, which @pkt does not keep (it keeps
 * the first Vendor-Private one only).  Any context.
 *
 * Return: true with @ext filled, false at the end.
 */
bool nhrp_ext_next(const struct nhrp_packet *pkt, unsigned int *pos,
		   struct nhrp_ext *ext)
{
	size_t end = (size_t)pkt->ext_off + pkt->ext_len;
	size_t off = (size_t)pkt->ext_off + *pos;
	struct nhrp_cie cie;
	size_t cpos;
	int n;

	if (!pkt->ext_off || off >= end || end - off < NHRP_EXT_HDR_LEN)
		return false;
	nhrp_ext_read(pkt, off, ext);
	if (ext->len > end - off - NHRP_EXT_HDR_LEN)
		return false;
	ext->data = ext->len ? pkt->buf + off + NHRP_EXT_HDR_LEN : NULL;
	*pos += NHRP_EXT_HDR_LEN + ext->len;

	switch (ext->type) {
	case NHRP_EXT_RESPONDER:
	case NHRP_EXT_FWD_TRANSIT:
	case NHRP_EXT_REV_TRANSIT:
	case NHRP_EXT_NAT:
		for (cpos = 0; cpos < ext->len; cpos += n) {
			n = nhrp_cie_parse(pkt, ext->data + cpos,
					   ext->len - cpos, true, &cie);
			if (n < 0)
				break;
			ext->ncies++;
		}
		break;
	}
	return true;
}

/**
 * nhrp_cie_next() - walk the CIEs of a CIE-list extension
 * @pkt: the packet nhrp_parse() accepted
 * @ext: a CIE-list extension of @pkt (Responder, transit records, NAT)
 * @pos: where the walk is in @ext's value; 0 to start; advanced past the
 *	CIE
 * @cie: filled with the next CIE; its addresses point into the packet
 *
 * Any context.
 *
 * Return: true with @cie filled, false at the end of @ext's value (or at a
 * malformed CIE, which nhrp_parse() would have refused).
 */
bool nhrp_cie_next(const struct nhrp_packet *pkt, const struct nhrp_ext *ext,
		   unsigned int *pos, struct nhrp_cie *cie)
{
	int n;

	if (*pos >= ext->len)
		return false;
	n = nhrp_cie_parse(pkt, ext->data + *pos, ext->len - *pos, true, cie);
	if (n < 0)
		return false;
	*pos += n;
	return true;
}

/**
 * nhrp_auth_cisco_secret() - the Cisco cleartext secret of a packet
 * @pkt: a packet nhrp_parse() accepted
 * @secret: set to the password, which points into the packet and is not
 *	NUL-terminated; untouched on an error
 *
 * Any context.
 *
 * Return: the length of the password (0 to NHRP_AUTH_CISCO_MAX); -ENOENT
 * when @pkt has no Authentication extension; -EINVAL when it is not the
 * cleartext form (SPI 1, at most NHRP_AUTH_CISCO_MAX bytes).
 */
int nhrp_auth_cisco_secret(const struct nhrp_packet *pkt, const u8 **secret)
{
	const struct nhrp_ext *auth = &pkt->auth;

	if (!nhrp_ext_present(auth))
		return -ENOENT;
	if (auth->len < 4 || auth->len > 4 + NHRP_AUTH_CISCO_MAX ||
	    nhrp_get32(auth->data) != NHRP_AUTH_SPI_CLEARTEXT)
		return -EINVAL;
	*secret = auth->data + 4;
	return auth->len - 4;
}
