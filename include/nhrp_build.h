/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NHRP (RFC 2332) wire codec, building: nhrp_build.c.  Pure C, like the
 * parser whose constants and types it shares (nhrp_proto.h); builds in
 * the kernel and in userspace.
 */
#ifndef _MGRE_NHRP_BUILD_H
#define _MGRE_NHRP_BUILD_H

#include "nhrp_proto.h"

/*
 * Building: init, header, one mandatory part, CIEs (or a payload for
 * types 7 and 8), extensions ending with nhrp_build_end(), finish.
 * A NULL NBMA or protocol address is sent with length 0 (a NULL source
 * NBMA as 0.0.0.0: ar$shtl is always 4).  A CIE-list extension (Responder,
 * transit records, NAT) is nhrp_build_ext_open(), nhrp_build_cie() or
 * nhrp_build_payload() (to copy received CIEs) any number of times, then
 * nhrp_build_ext_close().  Nothing is padded: Cisco does not pad either.
 */
struct nhrp_builder {
	u8 *buf;
	size_t cap;
	size_t len;
	size_t extoff;		/* first extension, 0 if none yet */
	size_t open_ext;	/* header of the open CIE-list extension */
	bool overflow;		/* ran out of room: finish gives -ENOSPC */
	bool invalid;		/* misuse: finish gives -EINVAL */
};

void nhrp_build_init(struct nhrp_builder *b, u8 *buf, size_t cap);
void nhrp_build_header(struct nhrp_builder *b, u16 afn, u16 pro_type,
		       u8 hopcnt, u8 type);
void nhrp_build_mandatory(struct nhrp_builder *b, u16 flags, u32 reqid,
			  const u8 *src_nbma, const u8 *src_proto,
			  const u8 *dst_proto, u8 proto_len);
void nhrp_build_error_mandatory(struct nhrp_builder *b, u16 code,
				u16 offset, const u8 *src_nbma,
				const u8 *src_proto, const u8 *dst_proto,
				u8 proto_len);
void nhrp_build_traffic_mandatory(struct nhrp_builder *b, u16 code,
				  const u8 *src_nbma, const u8 *src_proto,
				  const u8 *dst_proto, u8 proto_len);
void nhrp_build_cie(struct nhrp_builder *b, u8 code, u8 prefix_len, u16 mtu,
		    u16 holdtime, const u8 *nbma, const u8 *proto,
		    u8 proto_len, u8 pref);
void nhrp_build_payload(struct nhrp_builder *b, const u8 *data, size_t len);
void nhrp_build_ext_begin(struct nhrp_builder *b);
void nhrp_build_ext(struct nhrp_builder *b, u16 type, bool compulsory,
		    const u8 *data, size_t len);
void nhrp_build_ext_open(struct nhrp_builder *b, u16 type, bool compulsory);
void nhrp_build_ext_close(struct nhrp_builder *b);
void nhrp_build_auth(struct nhrp_builder *b, const u8 *secret, size_t len);
void nhrp_build_end(struct nhrp_builder *b);
int nhrp_build_finish(struct nhrp_builder *b);

#endif /* _MGRE_NHRP_BUILD_H */
