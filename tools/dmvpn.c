// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl show dmvpn: the operator's summary of each device, after Cisco's
 * "show dmvpn": one line per NBMA peer (the cache entries that map to it,
 * whether it is one of our NHSs, its state and how long it has been known).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mgre.h>

#include "util.h"
#include "fmt.h"
#include "verbs.h"

enum {
	ATTR_STATIC	= 1 << 0,	/* S */
	ATTR_DYNAMIC	= 1 << 1,	/* D: registered or resolved */
	ATTR_INCOMPLETE	= 1 << 2,	/* I */
	ATTR_NEGATIVE	= 1 << 3,	/* N */
	ATTR_NHS	= 1 << 4,	/* H: one of our NHSs */
	ATTR_SHORTCUT	= 1 << 5,	/* C: holds a shortcut prefix */
};

static const struct {
	unsigned int	bit;
	char		letter;
	const char	*name;
} attrs[] = {
	{ ATTR_STATIC,		'S', "static" },
	{ ATTR_DYNAMIC,		'D', "dynamic" },
	{ ATTR_INCOMPLETE,	'I', "incomplete" },
	{ ATTR_NEGATIVE,	'N', "negative" },
	{ ATTR_NHS,		'H', "nhs" },
	{ ATTR_SHORTCUT,	'C', "shortcut" },
};

#define NR_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

struct peer {
	bool			has_nbma;
	struct in_addr		nbma;
	unsigned int		ents;
	const struct mgre_entry	*first;	/* the address shown */
	bool			has_age;
	uint64_t		age;	/* ms, of its oldest entry */
	unsigned int		attrs;
	const struct mgre_nhs	*nhs;
};

static void usage_dmvpn(FILE *f)
{
	fprintf(f, "mgrectl show dmvpn [ dev IFNAME ]\n");
}

static unsigned int entry_attr(const struct mgre_entry *e)
{
	switch (e->type) {
	case MGRE_ENTRY_STATIC:
		return ATTR_STATIC;
	case MGRE_ENTRY_REGISTERED:
	case MGRE_ENTRY_RESOLVED:
		return ATTR_DYNAMIC;
	case MGRE_ENTRY_INCOMPLETE:
		return ATTR_INCOMPLETE;
	case MGRE_ENTRY_NEGATIVE:
		return ATTR_NEGATIVE;
	}
	return 0;
}

/* Mappings before shortcuts, IPv4 before IPv6, then by address. */
static int entry_cmp(const struct mgre_entry *a, const struct mgre_entry *b)
{
	if (!a->plen != !b->plen)
		return a->plen ? 1 : -1;
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	return memcmp(&a->proto, &b->proto, sizeof(a->proto));
}

static struct peer *peer_get(struct peer **peers, unsigned int *n,
			     bool has_nbma, struct in_addr nbma)
{
	struct peer *p;
	unsigned int i;

	for (i = 0; has_nbma && i < *n; i++)
		if ((*peers)[i].has_nbma && (*peers)[i].nbma.s_addr == nbma.s_addr)
			return &(*peers)[i];
	p = realloc(*peers, (*n + 1) * sizeof(*p));
	if (!p)
		mgre_die("out of memory");
	*peers = p;
	p = &p[(*n)++];
	memset(p, 0, sizeof(*p));
	p->has_nbma = has_nbma;
	p->nbma = nbma;
	return p;
}

/* Peers with an NBMA address first, by address; the rest by tunnel address. */
static int peer_cmp(const void *va, const void *vb)
{
	const struct peer *a = va, *b = vb;

	if (a->has_nbma != b->has_nbma)
		return a->has_nbma ? -1 : 1;
	if (a->has_nbma && a->nbma.s_addr != b->nbma.s_addr)
		return ntohl(a->nbma.s_addr) < ntohl(b->nbma.s_addr) ? -1 : 1;
	if (a->first && b->first)
		return entry_cmp(a->first, b->first);
	return 0;
}

/*
 * UP, NHRP (registering or resolving) or DOWN, as Cisco names them; an
 * NHS in standby (nhs-max-connections) is IDLE, as Cisco's unused ones.
 */
static const char *peer_state(const struct peer *p)
{
	if (p->nhs)
		return p->nhs->state == MGRE_NHS_UP ? "UP" :
		       p->nhs->state == MGRE_NHS_REGISTERING ? "NHRP" :
		       p->nhs->state == MGRE_NHS_STANDBY ? "IDLE" : "DOWN";
	/* S or D: an entry transmit may use. */
	if (p->attrs & (ATTR_STATIC | ATTR_DYNAMIC))
		return "UP";
	return p->attrs & ATTR_INCOMPLETE ? "NHRP" : "DOWN";
}

static unsigned int dev_peers(const struct dev_list *dl,
			      const struct nhs_list *nl, unsigned int ifindex,
			      struct peer **peers, unsigned int *nhs)
{
	unsigned int i, n = 0;

	*peers = NULL;
	*nhs = 0;
	for (i = 0; i < dl->nentries; i++) {
		const struct mgre_entry *e = &dl->entries[i];
		struct peer *p;

		if (e->ifindex != ifindex || e->type == MGRE_ENTRY_LOCAL)
			continue;
		p = peer_get(peers, &n, e->has_nbma, e->nbma);
		p->ents++;
		p->attrs |= entry_attr(e) | (e->plen ? ATTR_SHORTCUT : 0);
		if (!p->first || entry_cmp(e, p->first) < 0)
			p->first = e;
		if (!p->has_age || e->age > p->age) {
			p->has_age = true;
			p->age = e->age;
		}
	}
	for (i = 0; i < nl->n; i++) {
		const struct mgre_nhs *h = &nl->nhs[i];
		struct peer *p;

		if (h->ifindex != ifindex)
			continue;
		(*nhs)++;
		p = peer_get(peers, &n, true, h->nbma);
		p->attrs |= ATTR_NHS;
		p->nhs = h;
	}
	if (n)
		qsort(*peers, n, sizeof(**peers), peer_cmp);
	return n;
}

static void peer_tunnel(const struct peer *p, char *buf, size_t len)
{
	if (p->first)
		mgre_entry_name(p->first, buf, len);
	else if (p->nhs)
		mgre_nhs_proto_str(p->nhs, buf, len);
	else
		snprintf(buf, len, "-");
}

static void print_peer_json(const struct peer *p, const struct dev_list *dl,
			    unsigned int ifindex)
{
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned int i;

	json_begin_object(NULL);
	if (p->has_nbma)
		json_string("nbma", inet_ntoa(p->nbma));
	else
		json_null("nbma");
	if (p->first || (p->nhs && p->nhs->proto.s_addr)) {
		peer_tunnel(p, buf, sizeof(buf));
		json_string("tunnel", buf);
	} else {
		json_null("tunnel");
	}
	json_begin_array("tunnel_addrs");
	for (i = 0; i < dl->nentries; i++) {
		const struct mgre_entry *e = &dl->entries[i];

		if (e->ifindex != ifindex || e->type == MGRE_ENTRY_LOCAL ||
		    e->has_nbma != p->has_nbma ||
		    (p->has_nbma ? e->nbma.s_addr != p->nbma.s_addr :
				   e != p->first))
			continue;
		json_string(NULL, mgre_entry_name(e, buf, sizeof(buf)));
	}
	json_end_array();
	json_u64("entries", p->ents);
	strcpy(buf, peer_state(p));
	for (i = 0; buf[i]; i++)
		buf[i] = buf[i] - 'A' + 'a';
	json_string("state", buf);
	if (p->has_age)
		json_u64("uptime", p->age / 1000);
	else
		json_null("uptime");
	json_begin_array("attributes");
	for (i = 0; i < NR_ATTRS; i++)
		if (p->attrs & attrs[i].bit)
			json_string(NULL, attrs[i].name);
	json_end_array();
	json_end_object();
}

static void print_peer_line(const struct peer *p)
{
	char tunnel[INET6_ADDRSTRLEN + 8], updn[24] = "never", attr[8];
	unsigned int i, k = 0;

	peer_tunnel(p, tunnel, sizeof(tunnel));
	if (p->has_age)
		mgre_hms(p->age / 1000, updn, sizeof(updn));
	for (i = 0; i < NR_ATTRS; i++)
		if (p->attrs & attrs[i].bit)
			attr[k++] = attrs[i].letter;
	attr[k] = '\0';
	printf("%6u  %-15s  %-22s  %-5s  %-8s  %s\n", p->ents,
	       p->has_nbma ? inet_ntoa(p->nbma) : "-", tunnel, peer_state(p),
	       updn, attr);
}

static void print_dev(const struct dev *d, const struct dev_list *dl,
		      const struct nhs_list *nl, bool first)
{
	unsigned int i, n, nhs;
	struct peer *peers;

	n = dev_peers(dl, nl, d->ifindex, &peers, &nhs);
	if (json_output) {
		json_begin_object(NULL);
		json_string("ifname", d->ifname);
		json_u64("ifindex", d->ifindex);
		json_string("type", nhs ? "spoke" : "hub");
		json_u64("nhrp_peers", n);
		json_begin_array("peers");
		for (i = 0; i < n; i++)
			print_peer_json(&peers[i], dl, d->ifindex);
		json_end_array();
		json_end_object();
		free(peers);
		return;
	}
	printf("%sInterface: %s, NHRP Details\n", first ? "" : "\n",
	       d->ifname);
	printf("Type: %s, NHRP Peers: %u\n", nhs ? "spoke" : "hub", n);
	if (n) {
		printf("\n # Ent  Peer NBMA Addr   Peer Tunnel Addr        State  UpDn Tm   Attrb\n");
		printf(" -----  ---------------  ----------------------  -----  --------  -----\n");
	}
	for (i = 0; i < n; i++)
		print_peer_line(&peers[i]);
	free(peers);
}

int do_dmvpn(int argc, char **argv)
{
	struct dev_list dl = { 0 };
	struct nhs_list nl = { 0 };
	unsigned int ifindex, i;
	struct mgre_nl nl_sock;

	if (mgre_is_help(argc, argv)) {
		usage_dmvpn(stdout);
		return 0;
	}
	ifindex = mgre_parse_dev(argc, argv, NULL);

	mgre_genl_open(&nl_sock);
	mgre_dump_entries(&nl_sock, ifindex, -1, &dl);
	mgre_dump_nhs(&nl_sock, ifindex, &nl);

	if (json_output) {
		json_begin_array(NULL);
	} else {
		printf("Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete, N - Negative,\n"
		       "                  H - NHS, C - Shortcut\n"
		       "        # Ent --> Number of NHRP entries with same NBMA peer\n"
		       "        State --> UP, NHRP (registering or resolving), DOWN\n"
		       "        UpDn Tm --> age of the peer's oldest entry\n"
		       "==========================================================================\n\n");
	}
	for (i = 0; i < dl.ndevs; i++)
		print_dev(&dl.devs[i], &dl, &nl, i == 0);
	if (json_output)
		json_end_array();
	fflush(stdout);
	mgre_nl_dump_warn(&nl_sock);
	mgre_nl_close(&nl_sock);
	mgre_dev_list_free(&dl);
	free(nl.nhs);
	return 0;
}
