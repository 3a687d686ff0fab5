// SPDX-License-Identifier: GPL-2.0
/*
 * udp-bench: transmit UDP datagrams as fast as the stack takes them, or at
 * a fixed pace, for the mgre benchmarks.
 *
 *   udp-bench send --dst ADDR [--dsts N] [--stride S] [--size BYTES]
 *                  [--duration S] [--batch N] [--interval-us US]
 *                  [--count N] [--port P] [--mark] [--json]
 *   udp-bench recv [--port P] [--duration S] [--json]
 *
 * send: datagrams of --size payload bytes to destination ADDR + (k % N) *
 * stride for k = 0, 1, 2, ..., through one unconnected socket with
 * sendmmsg() in batches of --batch (each datagram its own destination, so
 * every packet takes a route lookup, as forwarded traffic does).  Without
 * --interval-us it sends for --duration seconds as fast as it can and
 * reports packets per second and ns per packet; with it, one datagram
 * every US microseconds (--count of them at most), each carrying its
 * sequence number, for latency and loss measurements.  --warm sends one
 * datagram to each destination first, outside the measurement (route and
 * neighbour entries get created there, not in the timed loop).  Without
 * --interval-us, --count stops the flood after N datagrams (or when
 * --duration has passed), and --mark executes the marker instruction of
 * the TCG plugin selftests/insn-count.c just before the first sendmmsg()
 * and just after the last, so that the instructions counted between the
 * two marks are those of the datagrams alone.
 *
 * recv: counts datagrams on --port until --duration has passed or until
 * SIGINT/SIGTERM, and reports how many arrived, how many distinct sequence
 * numbers and the highest.
 *
 * Output: one line of key=value figures, or a JSON object with --json.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cliarg.h"

#define MAX_BATCH	1024
#define MAX_SIZE	65507

static struct {
	const char *mode;
	struct in_addr dst;
	bool has_dst;
	uint32_t dsts;
	uint32_t stride;
	uint32_t size;
	uint32_t duration;
	uint32_t batch;
	uint32_t interval_us;
	uint32_t count;
	uint16_t port;
	bool warm;
	bool mark;
	bool json;
} opt = {
	.dsts = 1, .stride = 1, .size = 64, .duration = 5, .batch = 64,
	.port = 9,
};

static volatile sig_atomic_t stop;

static int64_t now_ns(void)
{
	return cli_now_ns();
}

static void die(const char *what)
{
	fprintf(stderr, "udp-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void out_begin(void)
{
	if (opt.json)
		printf("{\"tool\":\"udp-bench\",\"mode\":\"%s\"", opt.mode);
	else
		printf("udp-bench: mode=%s", opt.mode);
}

static void out_u64(const char *k, uint64_t v)
{
	printf(opt.json ? ",\"%s\":%llu" : " %s=%llu", k,
	       (unsigned long long)v);
}

static void out_f(const char *k, double v)
{
	printf(opt.json ? ",\"%s\":%.1f" : " %s=%.1f", k, v);
}

static void out_end(void)
{
	printf(opt.json ? "}\n" : "\n");
}

/* The k-th destination: N addresses, S apart, in turn. */
static uint32_t dst_n(uint64_t k)
{
	return htonl(ntohl(opt.dst.s_addr) +
		     (uint32_t)(k % opt.dsts) * opt.stride);
}

static void warm(int fd, char *payload)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(opt.port) };
	uint32_t i;

	for (i = 0; i < opt.dsts; i++) {
		to.sin_addr.s_addr = dst_n(i);
		while (sendto(fd, payload, opt.size, 0, (struct sockaddr *)&to,
			      sizeof(to)) < 0 && errno == ENOBUFS)
			usleep(100);
	}
}

/* The marker of selftests/insn-count.c: xchg %rbx,%rbx, a no-op. */
static void tcg_mark(void)
{
#if defined(__x86_64__)
	__asm__ volatile("xchg %%rbx, %%rbx" ::: "memory");
#endif
}

/*
 * As fast as it goes: sendmmsg() batches for --duration seconds, or until
 * --count datagrams are out.
 */
static void send_flood(int fd, char *payload)
{
	static struct sockaddr_in to[MAX_BATCH];
	static struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov = { .iov_base = payload, .iov_len = opt.size };
	uint64_t k = 0, sent = 0, err = 0, calls = 0;
	int64_t t0, end, t;
	uint32_t i;

	for (i = 0; i < opt.batch; i++) {
		to[i].sin_family = AF_INET;
		to[i].sin_port = htons(opt.port);
		msgs[i].msg_hdr.msg_name = &to[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(to[i]);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now_ns();
	end = t0 + opt.duration * 1000000000LL;
	if (opt.mark)
		tcg_mark();
	do {
		uint32_t batch = opt.batch;
		int n;

		if (opt.count && opt.count - sent < batch)
			batch = opt.count - sent;
		for (i = 0; i < batch; i++)
			to[i].sin_addr.s_addr = dst_n(k + i);
		n = sendmmsg(fd, msgs, batch, 0);
		calls++;
		if (n < 0) {
			/* The first datagram failed (ENOBUFS, no route, no
			 * neighbour): count it and go past it.
			 */
			err++;
			k++;
		} else {
			sent += n;
			k += n;
			if ((uint32_t)n < batch) {
				err++;
				k++;
			}
		}
		t = now_ns();
	} while (t < end && !stop && (!opt.count || sent < opt.count));
	if (opt.mark)
		tcg_mark();

	out_begin();
	out_u64("size", opt.size);
	out_u64("dsts", opt.dsts);
	out_u64("sent", sent);
	out_u64("errors", err);
	out_u64("calls", calls);
	out_f("seconds", (t - t0) / 1e9);
	out_f("pps", sent * 1e9 / (t - t0));
	out_f("ns_per_pkt", sent ? (double)(t - t0) / sent : 0);
	out_end();
}

/* One datagram every --interval-us, with its sequence number. */
static void send_paced(int fd, char *payload)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(opt.port) };
	int64_t t0 = now_ns(), end = t0 + opt.duration * 1000000000LL;
	uint64_t seq, sent = 0, err = 0;
	uint32_t s;

	for (seq = 0; (!opt.count || seq < opt.count) && !stop; seq++) {
		int64_t due = t0 + (int64_t)seq * opt.interval_us * 1000;
		if (due >= end)
			break;
		while (now_ns() < due)
			;
		to.sin_addr.s_addr = dst_n(seq);
		s = htonl((uint32_t)seq);
		memcpy(payload, &s, sizeof(s));
		if (sendto(fd, payload, opt.size, 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0)
			err++;
		else
			sent++;
	}
	out_begin();
	out_u64("size", opt.size);
	out_u64("sent", sent);
	out_u64("errors", err);
	out_f("seconds", (now_ns() - t0) / 1e9);
	out_end();
}

static void recv_count(void)
{
	struct sockaddr_in me = { .sin_family = AF_INET,
				  .sin_port = htons(opt.port) };
	int64_t end = now_ns() + opt.duration * 1000000000LL;
	uint64_t got = 0, distinct = 0, max_seq = 0;
	static uint8_t seen[1 << 20];
	struct pollfd pfd;
	char buf[2048];
	uint32_t s;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)))
		die("bind");
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* Ready: the caller may start sending once this line is out. */
	fprintf(stderr, "udp-bench: listening on port %u\n", opt.port);
	while (!stop && now_ns() < end) {
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 4) {
			got++;
			memcpy(&s, buf, sizeof(s));
			s = ntohl(s);
			if (s < sizeof(seen) * 8 &&
			    !(seen[s / 8] & (1 << (s % 8)))) {
				seen[s / 8] |= 1 << (s % 8);
				distinct++;
			}
			if (s > max_seq)
				max_seq = s;
		}
	}
	out_begin();
	out_u64("received", got);
	out_u64("distinct", distinct);
	out_u64("max_seq", max_seq);
	out_end();
	close(fd);
}

static uint32_t num(const char *s, const char *name, uint32_t min,
		    uint32_t max)
{
	return cli_u32("udp-bench", s, name, min, max);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: udp-bench send --dst ADDR [ --dsts N ] [ --stride S ] [ --size BYTES ]\n"
		"                 [ --duration S ] [ --batch N ] [ --interval-us US ]\n"
		"                 [ --count N ] [ --port P ] [ --warm ] [ --mark ] [ --json ]\n"
		"       udp-bench recv [ --port P ] [ --duration S ] [ --json ]\n");
	exit(1);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dst", 1, NULL, 'd' }, { "dsts", 1, NULL, 'n' },
		{ "stride", 1, NULL, 's' }, { "size", 1, NULL, 'S' },
		{ "duration", 1, NULL, 't' }, { "batch", 1, NULL, 'b' },
		{ "interval-us", 1, NULL, 'i' }, { "count", 1, NULL, 'c' },
		{ "port", 1, NULL, 'p' }, { "warm", 0, NULL, 'w' },
		{ "json", 0, NULL, 'j' }, { "mark", 0, NULL, 'm' },
		{ "help", 0, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli_addr4("udp-bench", optarg, "dst", &opt.dst);
			opt.has_dst = true;
			break;
		case 'n': opt.dsts = num(optarg, "dsts", 1, 1 << 24); break;
		case 's': opt.stride = num(optarg, "stride", 1, 1 << 24); break;
		case 'S': opt.size = num(optarg, "size", 4, MAX_SIZE); break;
		case 't': opt.duration = num(optarg, "duration", 1, 86400); break;
		case 'b': opt.batch = num(optarg, "batch", 1, MAX_BATCH); break;
		case 'i': opt.interval_us = num(optarg, "interval-us", 1, 10000000);
			  break;
		case 'c': opt.count = num(optarg, "count", 1, UINT32_MAX); break;
		case 'p': opt.port = num(optarg, "port", 1, 65535); break;
		case 'w': opt.warm = true; break;
		case 'm': opt.mark = true; break;
		case 'j': opt.json = true; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	opt.mode = argv[optind];
	if (strcmp(opt.mode, "send") && strcmp(opt.mode, "recv"))
		usage();
	if (!strcmp(opt.mode, "send") && !opt.has_dst)
		usage();
}

int main(int argc, char **argv)
{
	static char payload[MAX_SIZE];
	int fd, sndbuf = 4 << 20;

	parse_args(argc, argv);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(opt.mode, "recv")) {
		recv_count();
		return 0;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	memset(payload, 0xa5, sizeof(payload));
	if (opt.warm)
		warm(fd, payload);
	if (opt.interval_us)
		send_paced(fd, payload);
	else
		send_flood(fd, payload);
	close(fd);
	return 0;
}
