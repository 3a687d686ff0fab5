// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: the NHRP engine's view (nhs, traffic, resolve).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/mgre.h>

#include "util.h"
#include "fmt.h"
#include "verbs.h"

void usage_nhs(FILE *f)
{
	fprintf(f, "mgrectl nhs [ show | detail ] [ dev IFNAME ]\n");
}

void usage_traffic(FILE *f)
{
	fprintf(f, "mgrectl traffic [ dev IFNAME ]\n");
}

void usage_resolve(FILE *f)
{
	fprintf(f,
		"mgrectl resolve PROTO dev IFNAME   (send a Resolution Request now;\n"
		"                                    PROTO := IPv4 or IPv6 address)\n");
}

/* ---- NHS state -------------------------------------------------------- */

/* RFC 2332 CIE codes a Registration Reply may carry; 255: an Error
 * Indication came back instead. */
static const char *cie_code_name(unsigned int code)
{
	switch (code) {
	case 4:
		return "prohibited";
	case 5:
		return "no-resources";
	case 14:
		return "unique-conflict";
	case 255:
		return "error-indication";
	}
	return NULL;
}

#define NHS_FMT "%-17s %-16s %-12s %-5s %-11s %-9s %-5s %-6s %s%s\n"

static void print_nhs_header(void)
{
	printf(NHS_FMT, "NHS", "NBMA", "State", "RTT", "Last reply", "Next",
	       "Regs", "Fails", "Code", "");
}

static void print_nhs_line(const struct mgre_nhs *n)
{
	char proto[INET_ADDRSTRLEN], nbma[INET_ADDRSTRLEN];
	char rtt[16] = "-", last[24] = "never", next[24] = "-";
	char regs[12], fails[12], code[32] = "-";

	mgre_nhs_proto_str(n, proto, sizeof(proto));
	inet_ntop(AF_INET, &n->nbma, nbma, sizeof(nbma));
	if (n->has_rtt && n->has_last_reply)
		snprintf(rtt, sizeof(rtt), "%ums", n->rtt);
	if (n->has_last_reply)
		mgre_hms(n->last_reply / 1000, last, sizeof(last));
	if (n->has_next)
		mgre_hms(mgre_sec_up(n->next), next, sizeof(next));
	snprintf(regs, sizeof(regs), "%u", n->registrations);
	snprintf(fails, sizeof(fails), "%u", n->failures);
	if (n->has_last_code) {
		const char *name = cie_code_name(n->last_code);

		if (name)
			snprintf(code, sizeof(code), "%u (%s)", n->last_code,
				 name);
		else
			snprintf(code, sizeof(code), "%u", n->last_code);
	}
	printf(NHS_FMT, proto, nbma, mgre_nhs_state_name(n->state), rtt, last,
	       next, regs, fails, code, n->dynamic ? "  (dynamic)" : "");
}

/*
 * "nhs detail", after Cisco's "show ip nhrp nhs detail": one block per NHS,
 * its Cisco letters (R: up, responding; E: expecting a first reply;
 * W: down, waiting to retry) and every counter.
 */
static const char *nhs_letters(unsigned int state)
{
	switch (state) {
	case MGRE_NHS_UP:
		return "R";
	case MGRE_NHS_REGISTERING:
		return "E";
	case MGRE_NHS_STANDBY:
		return "S";
	}
	return "W";
}

static void print_nhs_detail(const struct nhs_list *l)
{
	char proto[INET_ADDRSTRLEN], nbma[INET_ADDRSTRLEN], t[24];
	unsigned int i;

	printf("Legend: E=Expecting replies, R=Responding, W=Waiting, S=Standby\n");
	for (i = 0; i < l->n; i++) {
		const struct mgre_nhs *n = &l->nhs[i];

		if (!i || n->ifindex != l->nhs[i - 1].ifindex)
			printf("%s:\n", n->ifname);
		mgre_nhs_proto_str(n, proto, sizeof(proto));
		inet_ntop(AF_INET, &n->nbma, nbma, sizeof(nbma));
		printf("%-15s %-2s NBMA Address: %s (%s)\n", proto,
		       nhs_letters(n->state), nbma,
		       n->dynamic ? "dynamic" : "static");
		printf("    state %s, priority %u, registrations %u, failures %u",
		       mgre_nhs_state_name(n->state), n->priority,
		       n->registrations, n->failures);
		/* Code 0 before any reply is no news: leave it out. */
		if (n->has_last_code && (n->has_last_reply || n->last_code)) {
			const char *name = n->last_code ? cie_code_name(n->last_code) :
					      "success";
			printf(", last code %u%s%s%s", n->last_code,
			       name ? " (" : "", name ? name : "",
			       name ? ")" : "");
		}
		printf("\n    ");
		if (n->has_last_reply) {
			mgre_hms(n->last_reply / 1000, t, sizeof(t));
			printf("last reply %s ago", t);
			if (n->has_rtt)
				printf(", rtt %u ms", n->rtt);
		} else {
			printf("no reply yet");
		}
		if (n->has_next) {
			mgre_hms(mgre_sec_up(n->next), t, sizeof(t));
			printf(", next request in %s", t);
		}
		printf("\n");
	}
}

int do_nhs(int argc, char **argv)
{
	struct nhs_list l = { 0 };
	const char *name = NULL;
	unsigned int ifindex, i;
	bool detail = false;
	struct mgre_nl nl;

	if (argc > 0 && (!strcmp(argv[0], "show") || !strcmp(argv[0], "list") ||
			 !strcmp(argv[0], "ls"))) {
		argc--;
		argv++;
	} else if (argc > 0 && !strcmp(argv[0], "detail")) {
		detail = true;
		argc--;
		argv++;
	}
	if (mgre_is_help(argc, argv)) {
		usage_nhs(stdout);
		return 0;
	}
	ifindex = mgre_parse_dev(argc, argv, &name);

	mgre_genl_open(&nl);
	mgre_dump_nhs(&nl, ifindex, &l);

	if (json_output)
		json_begin_array(NULL);
	else if (!l.n && name)
		printf("%s: no NHS\n", name);
	else if (detail)
		print_nhs_detail(&l);
	/* -j prints the same objects with and without detail. */
	for (i = 0; i < l.n && (json_output || !detail); i++) {
		const struct mgre_nhs *n = &l.nhs[i];

		if (json_output) {
			json_begin_object(NULL);
			mgre_nhs_json(n);
			json_end_object();
			continue;
		}
		if (!i || n->ifindex != l.nhs[i - 1].ifindex) {
			printf("%s%s:\n", i ? "\n" : "", n->ifname);
			print_nhs_header();
		}
		print_nhs_line(n);
	}
	if (json_output)
		json_end_array();
	fflush(stdout);
	mgre_nl_dump_warn(&nl);
	mgre_nl_close(&nl);
	free(l.nhs);
	return 0;
}

/* ---- NHRP traffic ----------------------------------------------------- */

/* Counters beyond these (a newer kernel) are kept and shown by number. */
#define TRAFFIC_MAX	63

static const char * const pkt_type_names[] = {
	[1] = "resolution-request",
	[2] = "resolution-reply",
	[3] = "registration-request",
	[4] = "registration-reply",
	[5] = "purge-request",
	[6] = "purge-reply",
	[7] = "error-indication",
	[8] = "traffic-indication",
};

static const char * const drop_names[] = {
	[MGRE_NHRP_DROP_UNSPEC]			= "unspec",
	[MGRE_NHRP_DROP_TOO_SHORT]		= "too-short",
	[MGRE_NHRP_DROP_BAD_VERSION]		= "bad-version",
	[MGRE_NHRP_DROP_BAD_SIZE]		= "bad-size",
	[MGRE_NHRP_DROP_BAD_CHECKSUM]		= "bad-checksum",
	[MGRE_NHRP_DROP_BAD_AFN]		= "bad-afn",
	[MGRE_NHRP_DROP_BAD_PROTO]		= "bad-proto",
	[MGRE_NHRP_DROP_BAD_TYPE]		= "bad-type",
	[MGRE_NHRP_DROP_BAD_ADDR_LEN]		= "bad-addr-len",
	[MGRE_NHRP_DROP_BAD_MANDATORY]		= "bad-mandatory",
	[MGRE_NHRP_DROP_TOO_MANY_CIES]		= "too-many-cies",
	[MGRE_NHRP_DROP_BAD_EXTOFF]		= "bad-extoff",
	[MGRE_NHRP_DROP_BAD_EXT_LEN]		= "bad-ext-len",
	[MGRE_NHRP_DROP_BAD_EXT]		= "bad-ext",
	[MGRE_NHRP_DROP_UNKNOWN_COMPULSORY]	= "unknown-compulsory",
	[MGRE_NHRP_DROP_HOPCNT_ZERO]		= "hopcnt-zero",
	[MGRE_NHRP_DROP_DISABLED]		= "disabled",
	[MGRE_NHRP_DROP_AUTH]			= "auth",
	[MGRE_NHRP_DROP_NO_ADDRESS]		= "no-address",
	[MGRE_NHRP_DROP_UNEXPECTED]		= "unexpected",
	[MGRE_NHRP_DROP_UNSUPPORTED]		= "unsupported",
	[MGRE_NHRP_DROP_NO_ROUTE]		= "no-route",
	[MGRE_NHRP_DROP_NOMEM]			= "nomem",
	[MGRE_NHRP_DROP_NOT_NHS]		= "not-nhs",
	[MGRE_NHRP_DROP_TOO_BIG]		= "too-big",
	[MGRE_NHRP_DROP_ASKER_LIMIT]		= "asker-limit",
};

#define NAMES(t) (sizeof(t) / sizeof(t[0]))

static const char *pkt_type_name(unsigned int i)
{
	static char buf[16];

	if (i < NAMES(pkt_type_names) && pkt_type_names[i])
		return pkt_type_names[i];
	snprintf(buf, sizeof(buf), "type-%u", i);
	return buf;
}

static const char *drop_name(unsigned int i)
{
	static char buf[16];

	if (i < NAMES(drop_names) && drop_names[i])
		return drop_names[i];
	snprintf(buf, sizeof(buf), "drop-%u", i);
	return buf;
}

struct dev_traffic {
	unsigned int	ifindex;
	char		ifname[IF_NAMESIZE];
	uint64_t	tx[TRAFFIC_MAX + 1];
	uint64_t	rx[TRAFFIC_MAX + 1];
	uint64_t	drop[TRAFFIC_MAX + 1];
};

struct traffic {
	struct dev_traffic	*devs;
	unsigned int		ndevs;
};

static void parse_u64_nest(const struct nlattr *nest, uint64_t *val)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		unsigned int type = mnl_attr_get_type(a);

		/* type 0 is the kernel's 64-bit alignment padding */
		if (!type || type > TRAFFIC_MAX ||
		    mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			continue;
		val[type] = mnl_attr_get_u64(a);
	}
}

static int traffic_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	struct traffic *t = data;
	struct dev_traffic *d;
	const struct nlattr *a;

	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) < 0 ||
	    !tb[MGRE_A_IFINDEX] ||
	    mnl_attr_validate(tb[MGRE_A_IFINDEX], MNL_TYPE_U32) < 0) {
		mgre_warn("skipping a malformed device record");
		return 0;
	}
	d = realloc(t->devs, (t->ndevs + 1) * sizeof(*d));
	if (!d)
		mgre_die("out of memory");
	t->devs = d;
	d = &t->devs[t->ndevs++];
	memset(d, 0, sizeof(*d));
	mgre_top_dev(tb, &d->ifindex, d->ifname);

	if (!tb[MGRE_A_NHRP_STATS])
		return 0;
	mnl_attr_for_each_nested(a, tb[MGRE_A_NHRP_STATS]) {
		switch (mnl_attr_get_type(a)) {
		case MGRE_NHRP_A_TX:
			parse_u64_nest(a, d->tx);
			break;
		case MGRE_NHRP_A_RX:
			parse_u64_nest(a, d->rx);
			break;
		case MGRE_NHRP_A_DROP:
			parse_u64_nest(a, d->drop);
			break;
		}
	}
	return 0;
}

/* Every known packet type, zeros included; unknown ones only if set. */
static bool show_type(const struct dev_traffic *d, unsigned int i)
{
	if (i <= MGRE_NHRP_TYPE_MAX)
		return true;
	return i <= TRAFFIC_MAX && (d->tx[i] || d->rx[i]);
}

static void print_traffic_dev(const struct dev_traffic *d)
{
	unsigned int i;

	if (json_output) {
		json_begin_object(NULL);
		json_string("ifname", d->ifname);
		json_u64("ifindex", d->ifindex);
		json_begin_object("sent");
		for (i = 1; i <= TRAFFIC_MAX; i++)
			if (show_type(d, i))
				json_u64(pkt_type_name(i), d->tx[i]);
		json_end_object();
		json_begin_object("received");
		for (i = 1; i <= TRAFFIC_MAX; i++)
			if (show_type(d, i))
				json_u64(pkt_type_name(i), d->rx[i]);
		json_end_object();
		json_begin_object("dropped");
		for (i = 0; i <= TRAFFIC_MAX; i++)
			if (d->drop[i])
				json_u64(drop_name(i), d->drop[i]);
		json_end_object();
		json_end_object();
		return;
	}

	printf("%s:\n", d->ifname);
	printf("    %-22s %12s %12s\n", "Packet type", "Sent", "Received");
	for (i = 1; i <= TRAFFIC_MAX; i++)
		if (show_type(d, i))
			printf("    %-22s %12llu %12llu\n", pkt_type_name(i),
			       (unsigned long long)d->tx[i],
			       (unsigned long long)d->rx[i]);
	for (i = 0; i <= TRAFFIC_MAX; i++)
		if (d->drop[i])
			break;
	if (i > TRAFFIC_MAX)
		return;
	printf("    Dropped\n");
	for (; i <= TRAFFIC_MAX; i++)
		if (d->drop[i])
			printf("    %-22s %12llu\n", drop_name(i),
			       (unsigned long long)d->drop[i]);
}

int do_traffic(int argc, char **argv)
{
	struct traffic t = { 0 };
	unsigned int ifindex, i;
	struct nlmsghdr *nlh;
	struct mgre_nl nl;

	ifindex = mgre_parse_dev(argc, argv, NULL);

	mgre_genl_open(&nl);
	nlh = mgre_genl_msg(&nl, MGRE_CMD_DEV_GET, ifindex ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	if (mgre_nl_talk(&nl, nlh, traffic_cb, &t))
		mgre_nl_die(&nl);

	if (json_output) {
		json_begin_object(NULL);
		json_begin_array("devices");
	}
	for (i = 0; i < t.ndevs; i++) {
		if (!json_output && i)
			printf("\n");
		print_traffic_dev(&t.devs[i]);
	}
	if (json_output) {
		json_end_array();
		json_end_object();
	}
	fflush(stdout);
	mgre_nl_dump_warn(&nl);
	mgre_nl_close(&nl);
	free(t.devs);
	return 0;
}

/* ---- resolve ---------------------------------------------------------- */

int do_resolve(int argc, char **argv)
{
	unsigned int ifindex = 0;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct in6_addr proto;
	bool has_proto = false;
	struct mgre_nl nl;
	int family = 0;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev")) {
			const char *val = mgre_next_arg(&argc, &argv);

			if (ifindex)
				mgre_die("duplicate \"dev\"");
			ifindex = mgre_ifindex(val);
		} else if (has_proto) {
			mgre_die("unknown keyword \"%s\"", argv[0]);
		} else {
			if (inet_pton(AF_INET, argv[0], &proto) == 1)
				family = AF_INET;
			else if (inet_pton(AF_INET6, argv[0], &proto) == 1)
				family = AF_INET6;
			else
				mgre_die("\"%s\" is not a valid protocol address (IPv4 or IPv6)",
					 argv[0]);
			has_proto = true;
		}
	}
	if (!has_proto)
		mgre_die("protocol address (PROTO) is required");
	if (!ifindex)
		mgre_die("\"dev\" is required");

	mgre_genl_open(&nl);
	nlh = mgre_genl_msg(&nl, MGRE_CMD_RESOLVE, 0);
	mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	nest = mnl_attr_nest_start(nlh, MGRE_A_ENTRY);
	if (family == AF_INET)
		mnl_attr_put(nlh, MGRE_ENTRY_A_PROTO_ADDR4, 4, &proto);
	else
		mnl_attr_put(nlh, MGRE_ENTRY_A_PROTO_ADDR6, 16, &proto);
	mnl_attr_nest_end(nlh, nest);
	if (mgre_nl_talk(&nl, nlh, NULL, NULL))
		mgre_nl_die(&nl);
	mgre_nl_close(&nl);
	return 0;
}
