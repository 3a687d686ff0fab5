// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the NHRP codec.  Every input is parsed; whatever
 * parses (hop count 0 included) is rebuilt from the parsed fields with the
 * builder, and the rebuilt packet must parse to the same result and the
 * same fields, and rebuild to the very same bytes.  Any disagreement, like
 * any sanitizer report, is a crash.
 *
 * Random mutations almost never keep the checksum right, so each input is
 * also tried with its checksum fixed up, to get past it into the parser.
 */
#include <stdio.h>
#include <stdlib.h>

#include "nhrp_build.h"
#include "roundtrip.h"

static u8 fixed[NHRP_MAX_PKT + 1];
static u8 out1[NHRP_MAX_PKT + 1];
static u8 out2[NHRP_MAX_PKT + 1];

static void fail(const char *what, int a, int b)
{
	fprintf(stderr, "round trip: %s (%d, %d)\n", what, a, b);
	abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void one(const u8 *data, size_t size)
{
	struct nhrp_packet a, b;
	const char *diff;
	int err, n1, n2;

	err = nhrp_parse(data, size, &a);
	if (!nhrp_parse_err_str(err))
		fail("no error string", err, 0);
	if (err && err != -NHRP_PARSE_HOPCNT_ZERO)
		return;

	n1 = nhrp_rebuild(&a, out1, sizeof(out1));
	if (n1 < 0)
		fail("rebuild", n1, 0);
	if (n1 > a.pktsz)
		fail("rebuilt packet grew", n1, a.pktsz);
	err = nhrp_parse(out1, n1, &b);
	if (err != (a.hopcnt ? 0 : -NHRP_PARSE_HOPCNT_ZERO))
		fail(nhrp_parse_err_str(err), err, a.hopcnt);
	diff = nhrp_pkt_diff(&a, &b);
	if (diff)
		fail(diff, 0, 0);

	n2 = nhrp_rebuild(&b, out2, sizeof(out2));
	if (n2 != n1 || memcmp(out1, out2, n1))
		fail("second rebuild differs", n1, n2);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t pktsz;

	one(data, size);
	if (size < NHRP_HDR_LEN || size > sizeof(fixed))
		return 0;
	memcpy(fixed, data, size);
	pktsz = get_unaligned_be16(fixed + 10);
	if (pktsz < NHRP_HDR_LEN || pktsz > size)
		pktsz = size;
	put_unaligned_be16(0, fixed + 12);
	put_unaligned_be16(nhrp_checksum(fixed, pktsz), fixed + 12);
	one(fixed, size);
	return 0;
}
