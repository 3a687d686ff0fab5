// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP wire codec, the building half: packets assembled in a caller's
 * buffer, the checksum and lengths filled in last.
 *
 * Pure C over byte buffers, like the parser (nhrp_proto.c); see
 * include/nhrp_build.h.  Nothing is written past the buffer's capacity:
 * an overflow is remembered and reported once, by nhrp_build_finish().
 */
#include "nhrp_build.h"

/**
 * nhrp_build_init() - start building a packet in a caller's buffer
 * @b: the builder
 * @buf: where the packet goes; it must outlive @b
 * @cap: the room in @buf
 *
 * Building: init, header, one mandatory part, CIEs (or a payload for
 * types 7 and 8), extensions ending with nhrp_build_end(), finish.  Errors
 * are sticky and reported once, by nhrp_build_finish().  Any context; the
 * builder allocates nothing.
 */
void nhrp_build_init(struct nhrp_builder *b, u8 *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
}

/* Room for n more bytes, or NULL and the builder marked overflowed. */
static u8 *nhrp_build_reserve(struct nhrp_builder *b, size_t n)
{
	u8 *p;

	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

/**
 * nhrp_build_header() - append the fixed header, first of all
 * @b: the builder, empty
 * @afn: ar$afn, NHRP_AFN_IPV4
 * @pro_type: ar$pro.type, NHRP_PRO_IPV4 or NHRP_PRO_IPV6
 * @hopcnt: ar$hopcnt
 * @type: ar$op.type, an enum nhrp_type
 *
 * ar$pktsz, ar$chksum and ar$extoff stay zero until nhrp_build_finish().
 * A builder that is not empty is marked invalid.  Any context.
 */
void nhrp_build_header(struct nhrp_builder *b, u16 afn, u16 pro_type,
		       u8 hopcnt, u8 type)
{
	u8 *p;

	if (b->len) {
		b->invalid = true;
		return;
	}
	p = nhrp_build_reserve(b, NHRP_HDR_LEN);
	if (!p)
		return;
	/* ar$pro.snap, ar$pktsz, ar$chksum, ar$extoff: zero until finish */
	memset(p, 0, NHRP_HDR_LEN);
	nhrp_put16(p, afn);
	nhrp_put16(p + 2, pro_type);
	p[9] = hopcnt;
	p[16] = NHRP_VERSION;
	p[17] = type;
	p[18] = NHRP_NBMA_LEN;
}

/*
 * The three mandatory parts differ only in the six bytes after the
 * lengths: flags and request ID; unused, error code and offset; or
 * unused, traffic code and unused.
 */
static void nhrp_build_mand(struct nhrp_builder *b, u16 word1, u32 word2,
			    const u8 *src_nbma, const u8 *src_proto,
			    const u8 *dst_proto, u8 proto_len)
{
	u8 dst_len = dst_proto ? proto_len : 0;
	u8 src_len = src_proto ? proto_len : 0;
	u8 *p;

	if (b->len != NHRP_HDR_LEN) {
		b->invalid = true;
		return;
	}
	p = nhrp_build_reserve(b, NHRP_MAND_LEN + NHRP_NBMA_LEN + src_len +
				  dst_len);
	if (!p)
		return;
	p[0] = src_len;
	p[1] = dst_len;
	nhrp_put16(p + 2, word1);
	nhrp_put32(p + 4, word2);
	p += NHRP_MAND_LEN;
	if (src_nbma)
		memcpy(p, src_nbma, NHRP_NBMA_LEN);
	else
		memset(p, 0, NHRP_NBMA_LEN);
	p += NHRP_NBMA_LEN;
	if (src_len)
		memcpy(p, src_proto, src_len);
	p += src_len;
	if (dst_len)
		memcpy(p, dst_proto, dst_len);
}

/**
 * nhrp_build_mandatory() - append the mandatory part of types 1 to 6
 * @b: the builder, with just the header
 * @flags: NHRP_FLAG_* of the packet's type
 * @reqid: the request ID
 * @src_nbma: the source NBMA address, NULL for 0.0.0.0 (ar$shtl is always
 *	4)
 * @src_proto: the source protocol address, NULL to send length 0
 * @dst_proto: the destination protocol address, NULL to send length 0
 * @proto_len: the length of the protocol addresses (4 or 16)
 *
 * CIEs follow, with nhrp_build_cie().  Anywhere but right after the
 * header, @b is marked invalid.  Any context.
 */
void nhrp_build_mandatory(struct nhrp_builder *b, u16 flags, u32 reqid,
			  const u8 *src_nbma, const u8 *src_proto,
			  const u8 *dst_proto, u8 proto_len)
{
	nhrp_build_mand(b, flags, reqid, src_nbma, src_proto, dst_proto,
			proto_len);
}

/**
 * nhrp_build_error_mandatory() - append an Error Indication's mandatory part
 * @b: the builder, with just the header
 * @code: the error code, an enum nhrp_error_code
 * @offset: the error offset in the packet in error
 * @src_nbma: the source NBMA address, NULL for 0.0.0.0
 * @src_proto: the source protocol address, NULL to send length 0
 * @dst_proto: the destination protocol address, NULL to send length 0
 * @proto_len: the length of the protocol addresses (4 or 16)
 *
 * The error code and offset go where the request ID is, after 16 unused
 * bits where the flags are.  The packet in error follows, with
 * nhrp_build_payload().  Anywhere but right after the header, @b is marked
 * invalid.  Any context.
 */
void nhrp_build_error_mandatory(struct nhrp_builder *b, u16 code,
				u16 offset, const u8 *src_nbma,
				const u8 *src_proto, const u8 *dst_proto,
				u8 proto_len)
{
	nhrp_build_mand(b, 0, (u32)code << 16 | offset, src_nbma, src_proto,
			dst_proto, proto_len);
}

/**
 * nhrp_build_traffic_mandatory() - append a Traffic Indication's mandatory
 *	part
 * @b: the builder, with just the header
 * @code: the traffic code, NHRP_TRAFFIC_REDIRECT
 * @src_nbma: the source NBMA address, NULL for 0.0.0.0
 * @src_proto: the source protocol address, NULL to send length 0
 * @dst_proto: the destination protocol address, NULL to send length 0
 * @proto_len: the length of the protocol addresses (4 or 16)
 *
 * Cisco's layout: 16 unused bits, the traffic code, 16 unused bits.  The
 * data packet that triggered it follows, with nhrp_build_payload().
 * Anywhere but right after the header, @b is marked invalid.  Any context.
 */
void nhrp_build_traffic_mandatory(struct nhrp_builder *b, u16 code,
				  const u8 *src_nbma, const u8 *src_proto,
				  const u8 *dst_proto, u8 proto_len)
{
	nhrp_build_mand(b, 0, (u32)code << 16, src_nbma, src_proto, dst_proto,
			proto_len);
}

/**
 * nhrp_build_cie() - append a Client Information Entry
 * @b: the builder
 * @code: an enum nhrp_cie_code; 0 in requests
 * @prefix_len: the prefix length; 0xff (or 0) for the address only
 * @mtu: the MTU
 * @holdtime: the holding time, in seconds
 * @nbma: the client NBMA address, NULL to send length 0
 * @proto: the client protocol address, NULL to send length 0
 * @proto_len: the length of @proto (4 or 16)
 * @pref: the preference
 *
 * In the mandatory part, or inside a CIE-list extension opened with
 * nhrp_build_ext_open(); elsewhere @b is marked invalid.  Any context.
 */
void nhrp_build_cie(struct nhrp_builder *b, u8 code, u8 prefix_len, u16 mtu,
		    u16 holdtime, const u8 *nbma, const u8 *proto,
		    u8 proto_len, u8 pref)
{
	u8 nbma_len = nbma ? NHRP_NBMA_LEN : 0;
	u8 *p;

	if (!proto)
		proto_len = 0;
	/* In the mandatory part, or inside a CIE-list extension. */
	if (b->extoff && !b->open_ext) {
		b->invalid = true;
		return;
	}
	p = nhrp_build_reserve(b, NHRP_CIE_LEN + nbma_len + proto_len);
	if (!p)
		return;
	p[0] = code;
	p[1] = prefix_len;
	p[2] = 0;
	p[3] = 0;
	nhrp_put16(p + 4, mtu);
	nhrp_put16(p + 6, holdtime);
	p[8] = nbma_len;
	p[9] = 0;
	p[10] = proto_len;
	p[11] = pref;
	if (nbma_len)
		memcpy(p + NHRP_CIE_LEN, nbma, nbma_len);
	if (proto_len)
		memcpy(p + NHRP_CIE_LEN + nbma_len, proto, proto_len);
}

/**
 * nhrp_build_payload() - append bytes as they are
 * @b: the builder
 * @data: the bytes; may be NULL when @len is 0
 * @len: how many
 *
 * After the mandatory part of types 7 and 8 (the packet in error, or the
 * data packet that triggered the indication), or inside an open CIE-list
 * extension to copy received CIEs.  After the extensions began, outside
 * an open one, or with NULL @data and a non-zero @len, @b is marked
 * invalid.  Any context.
 */
void nhrp_build_payload(struct nhrp_builder *b, const u8 *data, size_t len)
{
	u8 *p;

	/* After the mandatory part, or copied into an open extension. */
	if ((b->extoff && !b->open_ext) || (len && !data)) {
		b->invalid = true;
		return;
	}
	p = nhrp_build_reserve(b, len);
	if (p && len)
		memcpy(p, data, len);
}

/**
 * nhrp_build_ext_begin() - end the mandatory part, start the extensions
 * @b: the builder, past the header
 *
 * Records ar$extoff.  From here on, CIEs and payloads go only inside an
 * open CIE-list extension.  Calling it again is harmless; the extension
 * builders call it themselves.  Before the header, or with an extension
 * open, @b is marked invalid.  Any context.
 */
void nhrp_build_ext_begin(struct nhrp_builder *b)
{
	if (b->open_ext || b->len < NHRP_HDR_LEN) {
		b->invalid = true;
		return;
	}
	if (!b->extoff)
		b->extoff = b->len;
}

static u8 *nhrp_build_ext_hdr(struct nhrp_builder *b, u16 type,
			      bool compulsory, size_t len)
{
	u8 *p;

	nhrp_build_ext_begin(b);
	if (b->invalid)
		return NULL;
	p = nhrp_build_reserve(b, NHRP_EXT_HDR_LEN + len);
	if (!p)
		return NULL;
	nhrp_put16(p, (type & NHRP_EXT_TYPE_MASK) |
		      (compulsory ? NHRP_EXT_COMPULSORY : 0));
	nhrp_put16(p + 2, len);
	return p + NHRP_EXT_HDR_LEN;
}

/**
 * nhrp_build_ext() - append an extension with its whole value
 * @b: the builder
 * @type: an enum nhrp_ext_type (14 bits)
 * @compulsory: set the compulsory bit
 * @data: the value; may be NULL when @len is 0
 * @len: the length of the value
 *
 * Starts the extensions if need be.  Nothing is padded: Cisco does not pad
 * either.  With an extension open, a value longer than NHRP_MAX_PKT, or
 * NULL @data and a non-zero @len, @b is marked invalid.  Any context.
 */
void nhrp_build_ext(struct nhrp_builder *b, u16 type, bool compulsory,
		    const u8 *data, size_t len)
{
	u8 *p;

	if (len > NHRP_MAX_PKT || (len && !data)) {
		b->invalid = true;
		return;
	}
	p = nhrp_build_ext_hdr(b, type, compulsory, len);
	if (p && len)
		memcpy(p, data, len);
}

/**
 * nhrp_build_ext_open() - open a CIE-list extension
 * @b: the builder
 * @type: an enum nhrp_ext_type: Responder, transit records, NAT
 * @compulsory: set the compulsory bit
 *
 * nhrp_build_cie() or nhrp_build_payload() any number of times follow,
 * then nhrp_build_ext_close(), which writes the length.  With an
 * extension open already, @b is marked invalid.  Any context.
 */
void nhrp_build_ext_open(struct nhrp_builder *b, u16 type, bool compulsory)
{
	u8 *p = nhrp_build_ext_hdr(b, type, compulsory, 0);

	if (p)
		b->open_ext = p - NHRP_EXT_HDR_LEN - b->buf;
}

/**
 * nhrp_build_ext_close() - close the open CIE-list extension
 * @b: the builder
 *
 * Writes the extension's length.  With no extension open, or a value
 * longer than NHRP_MAX_PKT, @b is marked invalid.  Any context.
 */
void nhrp_build_ext_close(struct nhrp_builder *b)
{
	size_t len;

	if (!b->open_ext) {
		b->invalid = true;
		return;
	}
	/* After an overflow len still counts only what was written. */
	len = b->len - b->open_ext - NHRP_EXT_HDR_LEN;
	if (len > NHRP_MAX_PKT)
		b->invalid = true;
	else
		nhrp_put16(b->buf + b->open_ext + 2, len);
	b->open_ext = 0;
}

/**
 * nhrp_build_auth() - append a Cisco cleartext Authentication extension
 * @b: the builder
 * @secret: the password; may be NULL when @len is 0
 * @len: its length, at most NHRP_AUTH_CISCO_MAX
 *
 * Compulsory; the value is reserved 0, SPI 1 (cleartext), then the
 * password unpadded, as Cisco and FRR send it.  A longer password, or NULL
 * @secret with a non-zero @len, marks @b invalid.  Any context.
 */
void nhrp_build_auth(struct nhrp_builder *b, const u8 *secret, size_t len)
{
	u8 val[4 + NHRP_AUTH_CISCO_MAX];

	if (len > NHRP_AUTH_CISCO_MAX || (len && !secret)) {
		b->invalid = true;
		return;
	}
	/* Reserved 0, SPI 1 (cleartext), the password unpadded. */
	nhrp_put32(val, NHRP_AUTH_SPI_CLEARTEXT);
	if (len)
		memcpy(val + 4, secret, len);
	nhrp_build_ext(b, NHRP_EXT_AUTH, true, val, 4 + len);
}

/**
 * nhrp_build_end() - append the End extension, last of the extensions
 * @b: the builder
 *
 * Sent as 0x8000 (compulsory), length 0.  Any context.
 */
void nhrp_build_end(struct nhrp_builder *b)
{
	nhrp_build_ext(b, NHRP_EXT_END, true, NULL, 0);
}

/**
 * nhrp_build_finish() - complete the header of the packet built
 * @b: the builder
 *
 * Fills in ar$pktsz, ar$extoff and ar$chksum.  This is where the sticky
 * errors of the other builders are reported.  Any context.
 *
 * Return: the length of the packet in @b's buffer; -ENOSPC when the
 * buffer ran out of room; -EINVAL after a misuse, with an extension still
 * open, or without a header; -EMSGSIZE when longer than NHRP_MAX_PKT.
 */
int nhrp_build_finish(struct nhrp_builder *b)
{
	if (b->overflow)
		return -ENOSPC;
	if (b->invalid || b->open_ext || b->len < NHRP_HDR_LEN)
		return -EINVAL;
	if (b->len > NHRP_MAX_PKT)
		return -EMSGSIZE;
	nhrp_put16(b->buf + 10, b->len);
	nhrp_put16(b->buf + 12, 0);
	nhrp_put16(b->buf + 14, b->extoff);
	nhrp_put16(b->buf + 12, nhrp_checksum(b->buf, b->len));
	return b->len;
}
