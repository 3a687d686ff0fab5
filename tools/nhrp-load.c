// SPDX-License-Identifier: GPL-2.0
/*
 * nhrp-load: play many NHRP spokes against one hub, for soak tests and
 * benchmarks.
 *
 * Every spoke i has its own NBMA address (nbma-base + i) and tunnel
 * address (proto-base + i).  Requests leave through one raw GRE socket with
 * IP_HDRINCL, so the outer source is the spoke's NBMA address; the hub's
 * replies come back to those addresses, which the load generator's network
 * namespace must take as local:
 *
 *     ip route add local 198.18.0.0/15 dev lo      (the generator's side)
 *     ip route add 198.18.0.0/15 via GENERATOR     (the hub's side)
 *
 * Packets are built and parsed with the module's own codec (nhrp_proto.c).
 * At most --window requests are outstanding; a request unanswered after
 * --timeout is sent again, up to --retries times.
 *
 * Modes:
 *   register  every spoke registers once; reports registrations per second
 *             and the time to absorb them all
 *   resolve   spoke 0 (registered first) sends --count Resolution Requests
 *             for the other spokes' addresses; reports replies per second
 *   churn     every spoke registers, then for --duration seconds random
 *             spokes renew (88%), purge their registration (10%) or fall
 *             silent until their holdtime has passed (2%); a spoke not
 *             picked again within its holdtime expires too.  With
 *             --verify CMD, CMD (a shell command printing the hub's entry
 *             count) is run at the end and its answer checked against
 *             what the hub must hold: every spoke whose registration
 *             cannot have expired, at most those that may not have.
 *   spray     UDP datagrams to random tunnel addresses of the spokes for
 *             --duration seconds (run on the hub: traffic through mgre)
 *   fill      static entries proto-base + i -> nbma-base + i % nbma-count
 *             for every spoke i, added to mgre device --dev through the
 *             generic netlink family "mgre" (run where the device is):
 *             up to --window ENTRY_ADD requests outstanding, sent many to
 *             a send(); for caches of a million entries in seconds
 *
 * In register mode an explicit --duration caps the run: no new spoke starts
 * after it (slow hubs: report the rate and how far it got).
 *
 * Output: one line of key=value figures, or a JSON object with --json.
 * Exit status: 0 done, 1 usage or system error, 3 the hub misbehaved
 * (wrong reply codes, lost requests with --strict, or --verify failed).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/genetlink.h>
#include <linux/mgre.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cliarg.h"

#include "nhrp_build.h"

#define GRE_FLAG_CSUM	0x8000
#define GRE_FLAG_KEY	0x2000
#define GRE_FLAG_SEQ	0x1000
#define GRE_PROTO_NHRP	0x2001
#define MAX_WINDOW	65536
#define PKT_MAX		1500

enum op { OP_REGISTER, OP_PURGE, OP_RESOLVE };

enum spoke_state {
	SP_IDLE,	/* not registered (never, or purged) */
	SP_REGISTERED,	/* registered; may renew, purge or abandon */
	SP_ABANDONED,	/* silent until its registration expired */
	SP_BUSY,	/* a request is out */
};

struct spoke {
	uint8_t state;
	bool unknown;		/* a request got no answer: state uncertain */
	/* ms since start: earliest and latest expiry of the hub's entry */
	int64_t exp_min, exp_max;
};

struct slot {
	uint32_t reqid;		/* 0: free */
	uint32_t spoke;
	uint32_t target;	/* resolve: whose address */
	uint8_t op;
	uint8_t tries;
	int64_t sent_ns;	/* first send */
	int64_t last_ns;	/* last (re)send */
};

static struct {
	const char *mode;
	struct in_addr hub, hub_proto, nbma_base, proto_base;
	bool has_hub, has_hub_proto, has_key;
	uint32_t key;
	uint32_t spokes;
	uint32_t holdtime;
	uint32_t window;
	uint32_t timeout_ms;
	uint32_t retries;
	uint32_t duration;
	uint32_t count;
	uint32_t rate;		/* requests per second, 0: as fast as it goes */
	uint32_t nbma_count;	/* fill: NBMA addresses cycled through */
	const char *dev;	/* fill: the mgre device */
	bool has_duration;
	const char *auth;
	const char *verify;
	unsigned int seed;
	bool json;
	bool strict;
} opt = {
	.spokes = 1000, .holdtime = 60, .window = 256, .timeout_ms = 1000,
	.retries = 3, .duration = 10, .count = 10000, .seed = 1,
	.nbma_count = 1,
};

static struct {
	uint64_t sent, resent, replies, ok, nak, stale, timeouts, other_rx;
	uint64_t data_rx, registers, renewals, purges, abandons;
	uint64_t resolves, res_ok, res_nak;
	uint64_t lat_sum_ns, lat_max_ns, lat_n;
	uint64_t spray_sent, spray_err;
	uint32_t last_nak_code;
} st;

static int sock = -1;
static struct slot *slots;
static uint32_t *free_slots;
static uint32_t nfree;
static uint16_t gen = 1;
static struct spoke *spokes;
static int64_t t_start;

static int64_t now_ns(void)
{
	return cli_now_ns();
}

static int64_t now_ms(void)
{
	return (now_ns() - t_start) / 1000000;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "nhrp-load: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static uint32_t rnd(void)
{
	/* xorshift32: reproducible for a given --seed */
	static uint32_t x;

	if (!x)
		x = opt.seed ? opt.seed : 1;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static uint32_t addr_n(struct in_addr base, uint32_t i)
{
	return htonl(ntohl(base.s_addr) + i);
}

/* ---- packets ---------------------------------------------------------- */

/* IPv4 + GRE header in front of an NHRP packet of len bytes. */
static size_t put_outer(uint8_t *buf, uint32_t saddr, size_t len)
{
	struct iphdr *ip = (struct iphdr *)buf;
	size_t off = sizeof(*ip);
	uint16_t flags = opt.has_key ? GRE_FLAG_KEY : 0;

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_GRE;
	ip->saddr = saddr;
	ip->daddr = opt.hub.s_addr;
	put_unaligned_be16(flags, buf + off);
	put_unaligned_be16(GRE_PROTO_NHRP, buf + off + 2);
	off += 4;
	if (opt.has_key) {
		put_unaligned_be32(opt.key, buf + off);
		off += 4;
	}
	ip->tot_len = htons(off + len);
	return off;
}

static void put_exts(struct nhrp_builder *b)
{
	nhrp_build_ext_begin(b);
	nhrp_build_ext(b, NHRP_EXT_FWD_TRANSIT, true, NULL, 0);
	nhrp_build_ext(b, NHRP_EXT_REV_TRANSIT, true, NULL, 0);
	nhrp_build_ext(b, NHRP_EXT_RESPONDER, true, NULL, 0);
	if (opt.auth)
		nhrp_build_auth(b, (const uint8_t *)opt.auth,
				strlen(opt.auth));
	nhrp_build_end(b);
}

static void send_slot(struct slot *s)
{
	uint32_t nbma = addr_n(opt.nbma_base, s->spoke);
	uint32_t proto = addr_n(opt.proto_base, s->spoke);
	uint32_t target = addr_n(opt.proto_base, s->target);
	uint8_t buf[PKT_MAX];
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct nhrp_builder b;
	size_t hdr;
	int len;

	hdr = opt.has_key ? 28 : 24;
	nhrp_build_init(&b, buf + hdr, sizeof(buf) - hdr);
	switch (s->op) {
	case OP_REGISTER:
		nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 255,
				  NHRP_REGISTRATION_REQUEST);
		nhrp_build_mandatory(&b, NHRP_FLAG_REG_U, s->reqid,
				     (const u8 *)&nbma, (const u8 *)&proto,
				     (const u8 *)&opt.hub_proto.s_addr, 4);
		nhrp_build_cie(&b, 0, 0xff, 1400, opt.holdtime, NULL, NULL,
			       0, 0);
		break;
	case OP_PURGE:
		nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 255,
				  NHRP_PURGE_REQUEST);
		nhrp_build_mandatory(&b, 0, s->reqid, (const u8 *)&nbma,
				     (const u8 *)&proto,
				     (const u8 *)&opt.hub_proto.s_addr, 4);
		nhrp_build_cie(&b, 0, 0xff, 0, 0, (const u8 *)&nbma,
			       (const u8 *)&proto, 4, 0);
		break;
	case OP_RESOLVE:
		nhrp_build_header(&b, NHRP_AFN_IPV4, NHRP_PRO_IPV4, 255,
				  NHRP_RESOLUTION_REQUEST);
		nhrp_build_mandatory(&b, NHRP_FLAG_RES_Q | NHRP_FLAG_RES_A,
				     s->reqid, (const u8 *)&nbma,
				     (const u8 *)&proto, (const u8 *)&target,
				     4);
		nhrp_build_cie(&b, 0, 0xff, 1400, opt.holdtime, NULL, NULL,
			       0, 0);
		break;
	}
	put_exts(&b);
	len = nhrp_build_finish(&b);
	if (len < 0)
		die("cannot build a request (%s)", strerror(-len));
	put_outer(buf, nbma, len);
	to.sin_addr = opt.hub;
	for (;;) {
		if (sendto(sock, buf, hdr + len, 0, (struct sockaddr *)&to,
			   sizeof(to)) >= 0)
			break;
		if (errno == ENOBUFS || errno == EAGAIN) {
			/* The qdisc is full: let the hub catch up. */
			usleep(100);
			continue;
		}
		die("sendto: %s", strerror(errno));
	}
	s->last_ns = now_ns();
	st.sent++;
}

/* ---- request slots ---------------------------------------------------- */

static struct slot *slot_get(void)
{
	struct slot *s;
	uint32_t i;

	if (!nfree)
		return NULL;
	i = free_slots[--nfree];
	s = &slots[i];
	gen = gen == UINT16_MAX ? 1 : gen + 1;
	s->reqid = (uint32_t)gen << 16 | i;
	s->tries = 0;
	return s;
}

static void slot_put(struct slot *s)
{
	s->reqid = 0;
	free_slots[nfree++] = s - slots;
}

static uint32_t outstanding(void)
{
	return opt.window - nfree;
}

static void start(uint32_t spoke, uint32_t target, uint8_t op)
{
	struct slot *s = slot_get();

	s->spoke = spoke;
	s->target = target;
	s->op = op;
	s->sent_ns = now_ns();
	if (op != OP_RESOLVE)
		spokes[spoke].state = SP_BUSY;
	send_slot(s);
}

/* The request in s got its answer (code) or, code < 0, none at all. */
static void finish(struct slot *s, int code)
{
	struct spoke *sp = &spokes[s->spoke];
	int64_t t = now_ns();

	if (code >= 0) {
		uint64_t lat = t - s->sent_ns;

		st.lat_sum_ns += lat;
		st.lat_n++;
		if (lat > st.lat_max_ns)
			st.lat_max_ns = lat;
	}
	switch (s->op) {
	case OP_REGISTER:
		if (code == 0) {
			st.ok++;
			sp->state = SP_REGISTERED;
			sp->unknown = false;
			sp->exp_min = (s->sent_ns - t_start) / 1000000 +
				      opt.holdtime * 1000LL;
			sp->exp_max = (t - t_start) / 1000000 +
				      opt.holdtime * 1000LL;
		} else {
			/* Refused (an older entry may live on) or
			 * unanswered (the hub may hold it): uncertain.
			 */
			if (code > 0) {
				st.nak++;
				st.last_nak_code = code;
			} else {
				sp->exp_max = (t - t_start) / 1000000 +
					      opt.holdtime * 1000LL;
			}
			sp->state = SP_IDLE;
			sp->unknown = true;
		}
		break;
	case OP_PURGE:
		if (code == 0) {
			st.ok++;
			sp->state = SP_IDLE;
			sp->unknown = false;
		} else {
			if (code > 0) {
				st.nak++;
				st.last_nak_code = code;
			}
			/* Keeps exp_max: it may still be there. */
			sp->state = SP_IDLE;
			sp->unknown = true;
		}
		break;
	case OP_RESOLVE:
		if (code == 0)
			st.res_ok++;
		else if (code > 0)
			st.res_nak++;
		break;
	}
	slot_put(s);
}

static void handle_packet(const uint8_t *buf, size_t len)
{
	const struct iphdr *ip = (const void *)buf;
	struct nhrp_packet pkt;
	uint16_t flags, proto;
	size_t off;
	struct slot *s;
	uint32_t i;

	if (len < sizeof(*ip) || ip->protocol != IPPROTO_GRE)
		return;
	off = ip->ihl * 4;
	if (len < off + 4)
		return;
	flags = get_unaligned_be16(buf + off);
	proto = get_unaligned_be16(buf + off + 2);
	off += 4;
	if (flags & GRE_FLAG_CSUM)
		off += 4;
	if (flags & GRE_FLAG_KEY)
		off += 4;
	if (flags & GRE_FLAG_SEQ)
		off += 4;
	if (len < off)
		return;
	if (proto != GRE_PROTO_NHRP) {
		st.data_rx++;
		return;
	}
	if (nhrp_parse(buf + off, len - off, &pkt) < 0) {
		st.other_rx++;
		return;
	}
	if (pkt.type != NHRP_REGISTRATION_REPLY &&
	    pkt.type != NHRP_PURGE_REPLY &&
	    pkt.type != NHRP_RESOLUTION_REPLY) {
		st.other_rx++;
		return;
	}
	st.replies++;
	i = pkt.reqid & 0xffff;
	if (i >= opt.window || slots[i].reqid != pkt.reqid) {
		st.stale++;	/* answered after we gave up, or twice */
		return;
	}
	s = &slots[i];
	if ((s->op == OP_REGISTER && pkt.type != NHRP_REGISTRATION_REPLY) ||
	    (s->op == OP_PURGE && pkt.type != NHRP_PURGE_REPLY) ||
	    (s->op == OP_RESOLVE && pkt.type != NHRP_RESOLUTION_REPLY)) {
		st.other_rx++;
		return;
	}
	finish(s, pkt.ncies ? pkt.cies[0].code : 0);
}

/* Read what has arrived, waiting at most wait_ms for the first packet. */
static void receive(int wait_ms)
{
	uint8_t buf[PKT_MAX + 100];
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, wait_ms) <= 0)
		return;
	while ((n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		handle_packet(buf, n);
}

static void check_timeouts(void)
{
	int64_t t = now_ns(), limit = opt.timeout_ms * 1000000LL;
	uint32_t i;

	for (i = 0; i < opt.window; i++) {
		struct slot *s = &slots[i];

		if (!s->reqid || t - s->last_ns < limit)
			continue;
		if (s->tries < opt.retries) {
			s->tries++;
			st.resent++;
			send_slot(s);
		} else {
			st.timeouts++;
			finish(s, -1);
		}
	}
}

/* Keep going until nothing is outstanding. */
static void drain(void)
{
	int64_t last = 0;

	while (outstanding()) {
		receive(10);
		if (now_ns() - last > 10000000) {
			check_timeouts();
			last = now_ns();
		}
	}
}

/* Pace to --rate requests per second (0: no pacing). */
static void pace(uint64_t started, int64_t t0)
{
	int64_t due;

	if (!opt.rate)
		return;
	due = t0 + (int64_t)(started * 1000000000ULL / opt.rate);
	while (now_ns() < due)
		receive(1);
}

static void pump(void)
{
	static int64_t last;

	receive(outstanding() < opt.window ? 0 : 5);
	if (now_ns() - last > 10000000) {
		check_timeouts();
		last = now_ns();
	}
}

static void register_all(void)
{
	int64_t t0 = now_ns(), end = t0 + opt.duration * 1000000000LL;
	bool capped = opt.has_duration && !strcmp(opt.mode, "register");
	uint32_t i;

	for (i = 0; i < opt.spokes; i++) {
		while (!nfree)
			pump();
		if (capped && now_ns() >= end)
			break;
		pace(i, t0);
		start(i, 0, OP_REGISTER);
		st.registers++;
		pump();
	}
	drain();
}

/* ---- modes -------------------------------------------------------------- */

static void churn(void)
{
	int64_t t0 = now_ns(), end = t0 + opt.duration * 1000000000LL;
	uint64_t started = 0;

	while (now_ns() < end) {
		uint32_t i = rnd() % opt.spokes, r;
		struct spoke *sp = &spokes[i];

		while (!nfree)
			pump();
		switch (sp->state) {
		case SP_BUSY:
			pump();
			continue;
		case SP_ABANDONED:
			/* Back once its old registration is surely gone. */
			if (now_ms() < sp->exp_max + 3000) {
				pump();
				continue;
			}
			sp->state = SP_IDLE;
			/* fall through */
		case SP_IDLE:
			pace(started++, t0);
			start(i, 0, OP_REGISTER);
			st.registers++;
			break;
		case SP_REGISTERED:
			r = rnd() % 100;
			if (r < 88) {
				pace(started++, t0);
				start(i, 0, OP_REGISTER);
				st.renewals++;
			} else if (r < 98) {
				pace(started++, t0);
				start(i, 0, OP_PURGE);
				st.purges++;
			} else {
				sp->state = SP_ABANDONED;
				st.abandons++;
			}
			break;
		}
		pump();
	}
	drain();
}

static void resolve(void)
{
	int64_t t0;
	uint32_t n;

	if (opt.spokes < 2)
		die("%s", "resolve needs at least 2 spokes");
	start(0, 0, OP_REGISTER);
	drain();
	if (spokes[0].state != SP_REGISTERED)
		die("%s", "spoke 0 could not register");
	t0 = now_ns();
	for (n = 0; n < opt.count; n++) {
		while (!nfree)
			pump();
		pace(n, t0);
		start(0, 1 + rnd() % (opt.spokes - 1), OP_RESOLVE);
		st.resolves++;
		pump();
	}
	drain();
}

static void spray(void)
{
	int64_t end = now_ns() + opt.duration * 1000000000LL;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[64] = "nhrp-load";
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	while (now_ns() < end) {
		to.sin_addr.s_addr = addr_n(opt.proto_base, rnd() % opt.spokes);
		if (sendto(fd, payload, sizeof(payload), 0,
			   (struct sockaddr *)&to, sizeof(to)) < 0)
			st.spray_err++;
		else
			st.spray_sent++;
		if (opt.rate && st.spray_sent % 64 == 0)
			usleep(64 * 1000000ULL / opt.rate);
	}
	close(fd);
}

/* ---- fill: static entries over generic netlink -------------------------- */

#define NLBUF		(256 * 1024)
#define ADD_MSG_LEN	(NLMSG_HDRLEN + GENL_HDRLEN + 8 + 4 + 8 + 8)

static void *nla_put(uint8_t *p, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	return p + NLA_ALIGN(a->nla_len);
}

/* The id of the generic netlink family "mgre". */
static uint16_t genl_family(int fd)
{
	uint8_t buf[8192];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *a;
	ssize_t n;
	int rem;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	nlh->nlmsg_len = (uint8_t *)nla_put(buf + NLMSG_HDRLEN + GENL_HDRLEN,
					    CTRL_ATTR_FAMILY_NAME,
					    MGRE_GENL_NAME,
					    sizeof(MGRE_GENL_NAME)) - buf;
	if (send(fd, buf, nlh->nlmsg_len, 0) < 0)
		die("netlink send: %s", strerror(errno));
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN) ||
	    nlh->nlmsg_type != GENL_ID_CTRL)
		die("%s", "no generic netlink family \"mgre\" (module loaded?)");
	a = (struct nlattr *)(buf + NLMSG_HDRLEN + GENL_HDRLEN);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
			uint16_t id;

			memcpy(&id, (uint8_t *)a + NLA_HDRLEN, sizeof(id));
			return id;
		}
		rem -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
	die("%s", "the controller did not say the family's id");
	return 0;
}

/* One ENTRY_ADD request for entry i at p; returns its length. */
static size_t put_add(uint8_t *p, uint16_t fid, uint32_t ifindex, uint32_t i)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint32_t proto = addr_n(opt.proto_base, i);
	uint32_t nbma = addr_n(opt.nbma_base, i % opt.nbma_count);
	struct nlattr *nest;
	uint8_t *q;

	memset(p, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = fid;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = i + 1;
	g->cmd = MGRE_CMD_ENTRY_ADD;
	g->version = MGRE_GENL_VERSION;
	q = p + NLMSG_HDRLEN + GENL_HDRLEN;
	q = nla_put(q, MGRE_A_IFINDEX, &ifindex, sizeof(ifindex));
	nest = (struct nlattr *)q;
	nest->nla_type = NLA_F_NESTED | MGRE_A_ENTRY;
	q += NLA_HDRLEN;
	q = nla_put(q, MGRE_ENTRY_A_PROTO_ADDR4, &proto, sizeof(proto));
	q = nla_put(q, MGRE_ENTRY_A_NBMA_ADDR4, &nbma, sizeof(nbma));
	nest->nla_len = q - (uint8_t *)nest;
	nlh->nlmsg_len = q - p;
	return nlh->nlmsg_len;
}

static void fill(void)
{
	static uint8_t out[NLBUF], in[NLBUF];
	int fd, one = 1, rcvbuf = 32 << 20;
	uint32_t ifindex, next = 0, done = 0;
	uint16_t fid;

	ifindex = if_nametoindex(opt.dev);
	if (!ifindex)
		die("no device \"%s\"", opt.dev);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die("netlink socket: %s", strerror(errno));
	/* Acks without the request echoed: more of them fit the buffer. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	fid = genl_family(fd);

	while (done < opt.spokes) {
		size_t len = 0;
		ssize_t n;

		/* As many requests as the window allows, in one send(). */
		while (next < opt.spokes && next - done < opt.window &&
		       len + ADD_MSG_LEN <= sizeof(out))
			len += put_add(out + len, fid, ifindex, next++);
		if (len && send(fd, out, len, 0) < 0)
			die("netlink send: %s", strerror(errno));
		n = recv(fd, in, sizeof(in), 0);
		if (n < 0)
			die("netlink recv: %s", strerror(errno));
		for (struct nlmsghdr *h = (struct nlmsghdr *)in;
		     NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			done++;
			if (e->error) {
				st.nak++;
				st.last_nak_code = -e->error;
			} else {
				st.ok++;
			}
		}
	}
	close(fd);
}

/* ---- verification and output -------------------------------------------- */

static int verify(uint64_t *lo, uint64_t *hi, long long *got)
{
	int64_t t0, t1;
	char line[64] = "";
	FILE *f;
	uint32_t i;

	t0 = now_ms();
	f = popen(opt.verify, "r");
	if (!f || !fgets(line, sizeof(line), f))
		die("--verify command gave nothing: %s", opt.verify);
	pclose(f);
	t1 = now_ms();
	*got = strtoll(line, NULL, 10);
	*lo = *hi = 0;
	for (i = 0; i < opt.spokes; i++) {
		const struct spoke *sp = &spokes[i];
		bool live = sp->state == SP_REGISTERED ||
			    sp->state == SP_ABANDONED;

		/* Present for sure: registered, and not due before the
		 * command ended.  Possibly present: not certainly expired
		 * when it started (expiry runs at most ~1 s late).
		 */
		if (live && !sp->unknown && sp->exp_min > t1)
			(*lo)++;
		if ((live || sp->unknown) && sp->exp_max + 2000 > t0)
			(*hi)++;
	}
	return *got >= (long long)*lo && *got <= (long long)*hi;
}

static void report(double secs, int verified, uint64_t lo, uint64_t hi,
		   long long got)
{
	double per_s = secs > 0 ? st.ok / secs : 0;
	double res_s = secs > 0 ? (st.res_ok + st.res_nak) / secs : 0;
	double lat_us = st.lat_n ? st.lat_sum_ns / 1000.0 / st.lat_n : 0;

#define FIELDS(X) \
	X("spokes", "%u", opt.spokes) \
	X("seconds", "%.3f", secs) \
	X("sent", "%llu", (unsigned long long)st.sent) \
	X("resent", "%llu", (unsigned long long)st.resent) \
	X("replies", "%llu", (unsigned long long)st.replies) \
	X("ok", "%llu", (unsigned long long)st.ok) \
	X("nak", "%llu", (unsigned long long)st.nak) \
	X("last_nak_code", "%u", st.last_nak_code) \
	X("timeouts", "%llu", (unsigned long long)st.timeouts) \
	X("stale", "%llu", (unsigned long long)st.stale) \
	X("other_rx", "%llu", (unsigned long long)st.other_rx) \
	X("data_rx", "%llu", (unsigned long long)st.data_rx) \
	X("registers", "%llu", (unsigned long long)st.registers) \
	X("renewals", "%llu", (unsigned long long)st.renewals) \
	X("purges", "%llu", (unsigned long long)st.purges) \
	X("abandons", "%llu", (unsigned long long)st.abandons) \
	X("resolves", "%llu", (unsigned long long)st.resolves) \
	X("res_ok", "%llu", (unsigned long long)st.res_ok) \
	X("res_nak", "%llu", (unsigned long long)st.res_nak) \
	X("ok_per_s", "%.0f", per_s) \
	X("res_per_s", "%.0f", res_s) \
	X("lat_avg_us", "%.0f", lat_us) \
	X("lat_max_us", "%.0f", st.lat_max_ns / 1000.0) \
	X("spray_sent", "%llu", (unsigned long long)st.spray_sent) \
	X("spray_err", "%llu", (unsigned long long)st.spray_err)
#define TEXT(k, f, v) printf(" " k "=" f, v);
#define JSON(k, f, v) printf(",\"" k "\":" f, v);

	if (opt.json) {
		printf("{\"tool\":\"nhrp-load\",\"mode\":\"%s\"", opt.mode);
		FIELDS(JSON)
		if (verified >= 0)
			printf(",\"verify_lo\":%llu,\"verify_hi\":%llu,"
			       "\"verify_got\":%lld,\"verify_ok\":%s",
			       (unsigned long long)lo, (unsigned long long)hi,
			       got, verified ? "true" : "false");
		printf("}\n");
	} else {
		printf("nhrp-load: mode=%s", opt.mode);
		FIELDS(TEXT)
		if (verified >= 0)
			printf(" verify=%s expected=%llu..%llu got=%lld",
			       verified ? "ok" : "FAILED",
			       (unsigned long long)lo, (unsigned long long)hi,
			       got);
		printf("\n");
	}
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: nhrp-load { register | resolve | churn } --hub NBMA --hub-proto ADDR\n"
		"                 [ --key KEY ] [ --spokes N ] [ --nbma-base ADDR ]\n"
		"                 [ --proto-base ADDR ] [ --holdtime S ] [ --window N ]\n"
		"                 [ --timeout MS ] [ --retries N ] [ --rate N ]\n"
		"                 [ --duration S ] [ --count N ] [ --auth SECRET ]\n"
		"                 [ --verify CMD ] [ --seed N ] [ --strict ] [ --json ]\n"
		"       nhrp-load spray --proto-base ADDR [ --spokes N ] [ --duration S ]\n"
		"                 [ --rate N ] [ --json ]\n"
		"       nhrp-load fill --dev MGREDEV [ --spokes N ] [ --proto-base ADDR ]\n"
		"                 [ --nbma-base ADDR ] [ --nbma-count N ] [ --window N ]\n"
		"                 [ --json ]\n"
		"Defaults: 1000 spokes from NBMA 198.18.0.1 and tunnel address\n"
		"10.128.0.1, holdtime 60, window 256, timeout 1000 ms, 3 retries,\n"
		"duration 10 s, count 10000.\n");
	exit(1);
}

static uint32_t num(const char *s, const char *name, uint32_t min,
		    uint32_t max)
{
	return cli_u32("nhrp-load", s, name, min, max);
}

static void addr(const char *s, const char *name, struct in_addr *a)
{
	cli_addr4("nhrp-load", s, name, a);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hub", 1, NULL, 'h' }, { "hub-proto", 1, NULL, 'H' },
		{ "key", 1, NULL, 'k' }, { "spokes", 1, NULL, 'n' },
		{ "nbma-base", 1, NULL, 'b' }, { "proto-base", 1, NULL, 'p' },
		{ "holdtime", 1, NULL, 't' }, { "window", 1, NULL, 'w' },
		{ "timeout", 1, NULL, 'T' }, { "retries", 1, NULL, 'r' },
		{ "duration", 1, NULL, 'd' }, { "count", 1, NULL, 'c' },
		{ "rate", 1, NULL, 'R' }, { "auth", 1, NULL, 'a' },
		{ "verify", 1, NULL, 'v' }, { "seed", 1, NULL, 's' },
		{ "json", 0, NULL, 'j' }, { "strict", 0, NULL, 'S' },
		{ "dev", 1, NULL, 'D' }, { "nbma-count", 1, NULL, 'N' },
		{ "help", 0, NULL, '?' }, { NULL, 0, NULL, 0 },
	};
	int c;

	inet_pton(AF_INET, "198.18.0.1", &opt.nbma_base);
	inet_pton(AF_INET, "10.128.0.1", &opt.proto_base);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': addr(optarg, "hub", &opt.hub); opt.has_hub = true; break;
		case 'H': addr(optarg, "hub-proto", &opt.hub_proto);
			  opt.has_hub_proto = true; break;
		case 'k': opt.key = num(optarg, "key", 0, UINT32_MAX);
			  opt.has_key = true; break;
		case 'n': opt.spokes = num(optarg, "spokes", 1, 1 << 24); break;
		case 'b': addr(optarg, "nbma-base", &opt.nbma_base); break;
		case 'p': addr(optarg, "proto-base", &opt.proto_base); break;
		case 't': opt.holdtime = num(optarg, "holdtime", 1, 65535); break;
		case 'w': opt.window = num(optarg, "window", 1, MAX_WINDOW); break;
		case 'T': opt.timeout_ms = num(optarg, "timeout", 1, 600000); break;
		case 'r': opt.retries = num(optarg, "retries", 0, 100); break;
		case 'd': opt.duration = num(optarg, "duration", 1, 86400);
			  opt.has_duration = true; break;
		case 'D': opt.dev = optarg; break;
		case 'N': opt.nbma_count = num(optarg, "nbma-count", 1, 1 << 24);
			  break;
		case 'c': opt.count = num(optarg, "count", 1, UINT32_MAX); break;
		case 'R': opt.rate = num(optarg, "rate", 0, UINT32_MAX); break;
		case 'a':
			if (!*optarg || strlen(optarg) > NHRP_AUTH_CISCO_MAX)
				die("--auth wants 1..8 bytes, not \"%s\"", optarg);
			opt.auth = optarg;
			break;
		case 'v': opt.verify = optarg; break;
		case 's': opt.seed = num(optarg, "seed", 0, UINT32_MAX); break;
		case 'j': opt.json = true; break;
		case 'S': opt.strict = true; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	opt.mode = argv[optind];
	if (strcmp(opt.mode, "register") && strcmp(opt.mode, "resolve") &&
	    strcmp(opt.mode, "churn") && strcmp(opt.mode, "spray") &&
	    strcmp(opt.mode, "fill"))
		die("unknown mode \"%s\" (register, resolve, churn, spray, fill)",
		    opt.mode);
	if (!strcmp(opt.mode, "fill") && !opt.dev)
		die("%s", "fill needs --dev");
	if (strcmp(opt.mode, "spray") && strcmp(opt.mode, "fill") &&
	    (!opt.has_hub || !opt.has_hub_proto))
		die("%s needs --hub and --hub-proto", opt.mode);
}

int main(int argc, char **argv)
{
	int one = 1, rcvbuf = 16 << 20, verified = -1, bad;
	uint64_t lo = 0, hi = 0;
	long long got = 0;
	double secs;
	uint32_t i;

	parse_args(argc, argv);
	t_start = now_ns();
	if (!strcmp(opt.mode, "spray")) {
		spray();
		report((now_ns() - t_start) / 1e9, -1, 0, 0, 0);
		return 0;
	}
	if (!strcmp(opt.mode, "fill")) {
		fill();
		report((now_ns() - t_start) / 1e9, -1, 0, 0, 0);
		return st.nak ? 3 : 0;
	}

	sock = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	if (sock < 0)
		die("raw socket: %s (root needed)", strerror(errno));
	if (setsockopt(sock, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("IP_HDRINCL: %s", strerror(errno));
	/* Force past rmem_max: replies come in bursts of a whole window. */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));

	slots = calloc(opt.window, sizeof(*slots));
	free_slots = calloc(opt.window, sizeof(*free_slots));
	spokes = calloc(opt.spokes, sizeof(*spokes));
	if (!slots || !free_slots || !spokes)
		die("%s", "out of memory");
	for (i = opt.window; i > 0; i--)
		free_slots[nfree++] = i - 1;

	if (!strcmp(opt.mode, "register")) {
		register_all();
	} else if (!strcmp(opt.mode, "resolve")) {
		register_all();
		memset(&st, 0, sizeof(st));
		t_start = now_ns();
		resolve();
	} else {
		register_all();
		churn();
	}
	secs = (now_ns() - t_start) / 1e9;
	if (opt.verify)
		verified = verify(&lo, &hi, &got);
	report(secs, verified, lo, hi, got);

	bad = st.nak || verified == 0 || (opt.strict && st.timeouts);
	return bad ? 3 : 0;
}
