/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by codec_test and fuzz_nhrp: rebuild a packet from what
 * nhrp_parse() made of it, and compare two parses field by field.
 */
#ifndef _MGRE_CODEC_ROUNDTRIP_H
#define _MGRE_CODEC_ROUNDTRIP_H

#include "nhrp_build.h"

/* Build pkt again with the builder; nhrp_build_finish()'s result. */
int nhrp_rebuild(const struct nhrp_packet *pkt, u8 *out, size_t cap);

/*
 * Equal in every parsed field except ar$pktsz (bytes after End are not
 * rebuilt); NULL, or the name of the first field that differs.
 */
const char *nhrp_pkt_diff(const struct nhrp_packet *a,
			  const struct nhrp_packet *b);

#endif
