// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: device and namespace counters, and the event monitor.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/mgre.h>

#include "util.h"
#include "fmt.h"
#include "verbs.h"

void usage_stats(FILE *f)
{
	fprintf(f, "mgrectl stats [ dev IFNAME ]\n");
}

void usage_monitor(FILE *f)
{
	fprintf(f,
		"mgrectl monitor   (cache entry events: add, change, del, expire;\n"
		"                   NHS events: nhs-up, nhs-down)\n");
}

static const char * const stat_names[] = {
	[MGRE_STATS_A_TX_NO_ENTRY]	= "tx_no_entry",
	[MGRE_STATS_A_TX_NO_ROUTE]	= "tx_no_route",
	[MGRE_STATS_A_TX_LOOP]		= "tx_loop",
	[MGRE_STATS_A_TX_BAD_PROTO]	= "tx_bad_proto",
	[MGRE_STATS_A_RX_KEY_MISMATCH]	= "rx_key_mismatch",
	[MGRE_STATS_A_RX_BAD_PROTO]	= "rx_bad_proto",
	[MGRE_STATS_A_RX_NHRP]		= "rx_nhrp",
	[MGRE_STATS_A_RX_NO_TUNNEL]	= "rx_no_tunnel",
	[MGRE_STATS_A_RX_MALFORMED]	= "rx_malformed",
	[MGRE_STATS_A_TX_MCAST]		= "tx_mcast",
	[MGRE_STATS_A_TX_MCAST_COPIES]	= "tx_mcast_copies",
	[MGRE_STATS_A_TX_MCAST_NO_TARGET] = "tx_mcast_no_target",
	[MGRE_STATS_A_TX_MCAST_LIMITED]	= "tx_mcast_limited",
	[MGRE_STATS_A_TX_REDIRECT_LIMITED] = "tx_redirect_limited",
	[MGRE_STATS_A_TX_ROUTE_LOOKUPS]	= "tx_route_lookups",
	[MGRE_STATS_A_TX_NO_SOURCE]	= "tx_no_source",
	[MGRE_STATS_A_NHS_UNIQUE_REFUSED] = "nhs_unique_refused",
	[MGRE_STATS_A_NHS_MOVED]	= "nhs_moved",
	[MGRE_STATS_A_NHS_QUOTA_REFUSED] = "nhs_quota_refused",
	[MGRE_STATS_A_NHS_FULL_REFUSED]	= "nhs_full_refused",
	[MGRE_STATS_A_NHS_HOLDTIME_CAPPED] = "nhs_holdtime_capped",
	[MGRE_STATS_A_RES_RETRIED] = "res_retried",
	[MGRE_STATS_A_REG_RETRANSMITS] = "reg_retransmits",
};

/* A newer kernel may report counters this mgrectl does not know yet. */
static const char *stat_name(unsigned int i)
{
	static char buf[24];

	if (i < sizeof(stat_names) / sizeof(stat_names[0]) && stat_names[i])
		return stat_names[i];
	snprintf(buf, sizeof(buf), "counter_%u", i);
	return buf;
}

struct counters {
	bool		present[MGRE_STATS_A_MAX + 1];
	uint64_t	val[MGRE_STATS_A_MAX + 1];
};

struct dev_stats {
	unsigned int	ifindex;
	char		ifname[16];
	bool		has_entries;
	uint32_t	entries;
	bool		has_max_entries;
	uint32_t	max_entries;
	struct counters	c;
};

struct stats_data {
	struct dev_stats	*devs;
	unsigned int		ndevs;
	struct counters		netns;
};

static void parse_counters(const struct nlattr *nest, struct counters *c)
{
	const struct nlattr *a;

	if (!nest)
		return;
	mnl_attr_for_each_nested(a, nest) {
		int type = mnl_attr_get_type(a);

		if (type == MGRE_STATS_A_PAD || type > MGRE_STATS_A_MAX ||
		    mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			continue;
		c->present[type] = true;
		c->val[type] = mnl_attr_get_u64(a);
	}
}

static int dev_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	struct stats_data *sd = data;
	struct dev_stats *d;

	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) < 0 ||
	    !tb[MGRE_A_IFINDEX] ||
	    mnl_attr_validate(tb[MGRE_A_IFINDEX], MNL_TYPE_U32) < 0) {
		mgre_warn("skipping a malformed device record");
		return 0;
	}

	d = realloc(sd->devs, (sd->ndevs + 1) * sizeof(*d));
	if (!d)
		mgre_die("out of memory");
	sd->devs = d;
	d = &sd->devs[sd->ndevs++];
	memset(d, 0, sizeof(*d));

	d->ifindex = mnl_attr_get_u32(tb[MGRE_A_IFINDEX]);
	if (tb[MGRE_A_IFNAME] &&
	    mnl_attr_validate(tb[MGRE_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		snprintf(d->ifname, sizeof(d->ifname), "%s",
			 mnl_attr_get_str(tb[MGRE_A_IFNAME]));
	else
		snprintf(d->ifname, sizeof(d->ifname), "if%u", d->ifindex);
	if (tb[MGRE_A_ENTRY_COUNT] &&
	    mnl_attr_validate(tb[MGRE_A_ENTRY_COUNT], MNL_TYPE_U32) >= 0) {
		d->has_entries = true;
		d->entries = mnl_attr_get_u32(tb[MGRE_A_ENTRY_COUNT]);
	}
	if (tb[MGRE_A_MAX_ENTRIES] &&
	    mnl_attr_validate(tb[MGRE_A_MAX_ENTRIES], MNL_TYPE_U32) >= 0) {
		d->has_max_entries = true;
		d->max_entries = mnl_attr_get_u32(tb[MGRE_A_MAX_ENTRIES]);
	}
	parse_counters(tb[MGRE_A_STATS], &d->c);
	return 0;
}

static int netns_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	struct stats_data *sd = data;

	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) >= 0)
		parse_counters(tb[MGRE_A_STATS], &sd->netns);
	return 0;
}

static void print_counters(const struct counters *c, const char *indent)
{
	unsigned int i;

	for (i = 1; i <= MGRE_STATS_A_MAX; i++) {
		if (!c->present[i])
			continue;
		if (json_output) {
			json_u64(stat_name(i), c->val[i]);
		} else {
			printf("%s%s %llu\n", indent, stat_name(i),
			       (unsigned long long)c->val[i]);
		}
	}
}

static void print_stats(const struct stats_data *sd)
{
	unsigned int i;

	if (json_output) {
		json_begin_object(NULL);
		json_begin_array("devices");
	}
	for (i = 0; i < sd->ndevs; i++) {
		const struct dev_stats *d = &sd->devs[i];

		if (json_output) {
			json_begin_object(NULL);
			json_string("ifname", d->ifname);
			json_u64("ifindex", d->ifindex);
			if (d->has_entries)
				json_u64("entries", d->entries);
			if (d->has_max_entries)
				json_u64("max_entries", d->max_entries);
			json_begin_object("stats");
			print_counters(&d->c, NULL);
			json_end_object();
			json_end_object();
			continue;
		}
		printf("%s:\n", d->ifname);
		if (d->has_entries)
			printf("    entries %u\n", d->entries);
		if (d->has_max_entries)
			printf("    max_entries %u\n", d->max_entries);
		print_counters(&d->c, "    ");
		printf("\n");
	}
	if (json_output) {
		json_end_array();
		json_begin_object("netns");
		print_counters(&sd->netns, NULL);
		json_end_object();
		json_end_object();
		return;
	}
	printf("netns:");
	for (i = 1; i <= MGRE_STATS_A_MAX; i++)
		if (sd->netns.present[i])
			printf(" %s %llu", stat_name(i),
			       (unsigned long long)sd->netns.val[i]);
	printf("\n");
}

int do_stats(int argc, char **argv)
{
	struct stats_data sd = { 0 };
	unsigned int ifindex = mgre_parse_dev(argc, argv, NULL);
	struct nlmsghdr *nlh;
	struct mgre_nl nl;

	mgre_genl_open(&nl);

	nlh = mgre_genl_msg(&nl, MGRE_CMD_DEV_GET, ifindex ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, MGRE_A_IFINDEX, ifindex);
	if (mgre_nl_talk(&nl, nlh, dev_stats_cb, &sd))
		mgre_nl_die(&nl);

	nlh = mgre_genl_msg(&nl, MGRE_CMD_NETNS_GET, 0);
	if (mgre_nl_talk(&nl, nlh, netns_stats_cb, &sd))
		mgre_nl_die(&nl);

	print_stats(&sd);
	fflush(stdout);
	mgre_nl_dump_warn(&nl);
	mgre_nl_close(&nl);
	free(sd.devs);
	return 0;
}

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case MGRE_CMD_EVT_ADD:
		return "add";
	case MGRE_CMD_EVT_CHANGE:
		return "change";
	case MGRE_CMD_EVT_DEL:
		return "del";
	case MGRE_CMD_EVT_EXPIRE:
		return "expire";
	}
	return NULL;
}

static void print_event(const char *event, const struct mgre_entry *e)
{
	if (json_output) {
		json_begin_object(NULL);
		json_string("event", event);
		mgre_entry_json(e);
		json_end_object();
	} else {
		char proto[INET6_ADDRSTRLEN + 8];

		printf("%s %s nbma %s dev %s type %s", event,
		       mgre_entry_name(e, proto, sizeof(proto)),
		       e->has_nbma ? inet_ntoa(e->nbma) : "-", e->ifname,
		       mgre_type_name(e->type));
		if (e->flags) {
			char flags[64];

			mgre_flags_str(e->flags, flags, sizeof(flags), true);
			printf(" flags %s", flags);
		}
		if (e->has_expires)
			printf(" expires %u", mgre_sec_up(e->expires));
		printf("\n");
	}
}

static void print_nhs_event(const char *event, const struct mgre_nhs *n)
{
	if (json_output) {
		json_begin_object(NULL);
		json_string("event", event);
		mgre_nhs_json(n);
		json_end_object();
	} else {
		char proto[INET_ADDRSTRLEN];

		printf("%s %s nbma %s dev %s\n", event,
		       mgre_nhs_proto_str(n, proto, sizeof(proto)),
		       inet_ntoa(n->nbma), n->ifname);
	}
}

/*
 * MGRE_CMD_EVT_SUMMARY: entries changed in bulk (a flush, a flag changed on
 * many, a mass expiry), not listed one by one.
 */
static void print_summary(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[MGRE_A_MAX + 1] = { NULL };
	char ifname[IF_NAMESIZE] = "";
	unsigned int ifindex = 0;
	const char *event = NULL;
	uint32_t count;
	int type = -1;

	if (mnl_attr_parse(nlh, GENL_HDRLEN, mgre_top_attr_cb, tb) < 0 ||
	    !tb[MGRE_A_EVENT] || !tb[MGRE_A_EVENT_COUNT] ||
	    mnl_attr_validate(tb[MGRE_A_EVENT], MNL_TYPE_U8) < 0 ||
	    mnl_attr_validate(tb[MGRE_A_EVENT_COUNT], MNL_TYPE_U32) < 0 ||
	    !(event = event_name(mnl_attr_get_u8(tb[MGRE_A_EVENT])))) {
		mgre_warn("skipping a malformed summary event");
		return;
	}
	count = mnl_attr_get_u32(tb[MGRE_A_EVENT_COUNT]);
	if (tb[MGRE_A_TYPE] &&
	    mnl_attr_validate(tb[MGRE_A_TYPE], MNL_TYPE_U8) >= 0)
		type = mnl_attr_get_u8(tb[MGRE_A_TYPE]);
	mgre_top_dev(tb, &ifindex, ifname);
	if (json_output) {
		json_begin_object(NULL);
		json_string("event", event);
		json_bool("summary", true);
		json_string("ifname", ifname);
		json_u64("ifindex", ifindex);
		json_u64("entries", count);
		if (type >= 0)
			json_string("type", mgre_type_name(type));
		json_end_object();
	} else {
		printf("%s summary dev %s entries %u", event, ifname, count);
		if (type >= 0)
			printf(" type %s", mgre_type_name(type));
		printf("\n");
	}
}

static void handle_event(struct mgre_nl *nl, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl;
	struct mgre_entry e;
	struct mgre_nhs n;
	const char *event;

	if (nlh->nlmsg_type != nl->family ||
	    nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN))
		return;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd == MGRE_CMD_EVT_NHS_UP ||
	    genl->cmd == MGRE_CMD_EVT_NHS_DOWN) {
		event = genl->cmd == MGRE_CMD_EVT_NHS_UP ? "nhs-up" :
							   "nhs-down";
		if (mgre_nhs_parse(nlh, &n))
			mgre_warn("skipping a malformed %s event", event);
		else
			print_nhs_event(event, &n);
		return;
	}
	if (genl->cmd == MGRE_CMD_EVT_SUMMARY) {
		print_summary(nlh);
		return;
	}
	event = event_name(genl->cmd);
	if (!event)
		return;
	if (mgre_entry_parse(nlh, &e)) {
		mgre_warn("skipping a malformed %s event", event);
		return;
	}
	print_event(event, &e);
}

int do_monitor(int argc, char **argv)
{
	int rcvbuf = 32 << 20;
	struct pollfd pfd;
	struct mgre_nl nl;

	if (argc > 0)
		mgre_die("unknown keyword \"%s\"", argv[0]);

	mgre_genl_open(&nl);
	if (mgre_nl_join_events(&nl))
		exit(1);
	/* A hub can change thousands of entries a second: a socket buffer
	 * past rmem_max where we may (CAP_NET_ADMIN), else what we get.
	 */
	if (setsockopt(mnl_socket_get_fd(nl.sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(nl.sock), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	pfd.fd = mnl_socket_get_fd(nl.sock);
	pfd.events = POLLIN;

	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t len;
		int rest;

		len = mnl_socket_recvfrom(nl.sock, nl.rxbuf, MGRE_NL_RXBUF);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				mgre_warn("receive buffer overrun; some events were lost");
				continue;
			}
			mgre_die("receiving events: %s", strerror(errno));
		}
		rest = len;
		for (nlh = (const void *)nl.rxbuf; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest))
			handle_event(&nl, nlh);
		/* Write when the queue is empty, not once per event. */
		if (poll(&pfd, 1, 0) <= 0)
			fflush(stdout);
	}
}
