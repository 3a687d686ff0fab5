/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Option values and clocks shared by the test tools nhrp-load and
 * udp-bench: each bad value names its option and the accepted range, and
 * ends the program with status 1.
 */
#ifndef MGRE_CLIARG_H
#define MGRE_CLIARG_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* cli_u32 PROG VALUE OPTION MIN MAX: a number in MIN..MAX (0x.. allowed). */
static inline uint32_t cli_u32(const char *prog, const char *s,
			       const char *name, uint32_t min, uint32_t max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || *s == '-' || v < min || v > max) {
		fprintf(stderr, "%s: --%s wants %u..%u, not \"%s\"\n",
			prog, name, min, max, s);
		exit(1);
	}
	return v;
}

static inline void cli_addr4(const char *prog, const char *s,
			     const char *name, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "%s: --%s wants an IPv4 address, not \"%s\"\n",
			prog, name, s);
		exit(1);
	}
}

static inline int64_t cli_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
