// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of mgre device parameters, shared by mgrectl ("mgrectl link add")
 * and the iproute2 plugin link_mgre.so ("ip link add ... type mgre").
 * Errors are printed here, naming the offending word.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mgre.h>

#include "linkparam.h"

void mgre_link_params_usage(FILE *f)
{
	fprintf(f,
		"PARAMS := [ local ADDR | any ] [ key KEY ] [ ttl TTL | inherit ]\n"
		"          [ tos TOS | inherit ] [ holdtime SECONDS ]\n"
		"          [ dev UNDERLAY | none ] [ max-entries N ]\n"
		"          [ network-id ID ]\n"
		"          [ nhs { NHS_PROTO | dynamic } nbma NBMA [ priority PRIO ] ]...\n"
		"          [ nonhs ] [ auth SECRET | noauth ]\n"
		"          [ mcast-dynamic { on | off } ] [ mcast-nhs { on | off } ]\n"
		"          [ mcast-limit N ] [ redirect { on | off } ]\n"
		"          [ shortcut { on | off } ] [ max-per-nbma N ]\n"
		"          [ max-holdtime SECONDS ] [ registration-timeout SECONDS ]\n"
		"          [ nhs-max-connections N ] [ nhs-fallback SECONDS ]\n"
		"KEY := { 0..4294967295 | DOTTED_QUAD }\n"
		"TTL := { 0..255 } (0 = inherit; default %u)\n"
		"TOS := { 0..255 } (1 = inherit; default 0)\n"
		"SECONDS := { 1..65535 } (default %u)\n"
		"N := { 1..%u } (default %u)\n"
		"ID := { 0..4294967295 } NHRP network id (0 = NHRP off; default 0)\n"
		"NHS_PROTO, NBMA := IPv4 address; \"dynamic\" learns the NHS's address\n"
		"   from its Registration Reply.  Up to %u \"nhs\"; when any is given\n"
		"   the whole list is replaced.  \"nonhs\" clears it.\n"
		"SECRET := 1..%u bytes (Cisco cleartext authentication); \"noauth\" removes it\n"
		"mcast-dynamic: spokes registering here receive multicast copies (default off)\n"
		"mcast-nhs: this node's NHSs receive multicast copies (default off)\n"
		"mcast-limit: copies of one multicast packet, at most (default %u)\n"
		"redirect: send Traffic Indications for traffic forwarded back into\n"
		"   the tunnel (NHRP phase 3, Cisco \"ip nhrp redirect\"; default off)\n"
		"shortcut: on a Traffic Indication from an NHS, resolve the destination\n"
		"   and install a shortcut (Cisco \"ip nhrp shortcut\"; default off)\n"
		"max-per-nbma: hub: registered entries one NBMA address may hold\n"
		"   (default %u)\n"
		"max-holdtime: hub: longest holdtime granted to a registration,\n"
		"   in seconds (default %u)\n"
		"registration-timeout: spoke: an NHS that answers nothing is declared\n"
		"   down this many seconds after its last answer (Cisco \"ip nhrp\n"
		"   registration timeout\"; 0..65535, 0 = a third of the holdtime,\n"
		"   the default)\n"
		"PRIO := { 0..255 } an NHS's rank, 0 (default) first, as Cisco's\n"
		"   \"ip nhrp nhs ... priority\"; equal ones rank in the order given\n"
		"nhs-max-connections: spoke: register with at most this many NHSs,\n"
		"   the best ranked; the others wait in standby (0..4, 0 = all, the\n"
		"   default; Cisco \"ip nhrp nhs cluster 0 max-connections\")\n"
		"nhs-fallback: spoke: seconds a better NHS that is back stays up\n"
		"   before the worst one up is let go (0..65535, default 0; Cisco\n"
		"   \"ip nhrp nhs fallback\")\n",
		(unsigned int)MGRE_DEFAULT_TTL,
		(unsigned int)MGRE_DEFAULT_HOLDTIME,
		(unsigned int)MGRE_MAX_ENTRIES_LIMIT,
		(unsigned int)MGRE_DEFAULT_MAX_ENTRIES,
		(unsigned int)MGRE_MAX_NHS, (unsigned int)MGRE_AUTH_MAX,
		(unsigned int)MGRE_DEFAULT_MCAST_LIMIT,
		(unsigned int)MGRE_DEFAULT_MAX_PER_NBMA,
		(unsigned int)MGRE_DEFAULT_MAX_HOLDTIME);
}

/* Strict unsigned parsing: no sign, no blanks, no trailing garbage. */
int mgre_parse_u32(const char *s, int base, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*val = v;
	return 0;
}

/* A GRE key, as a number or a dotted quad ("0.0.0.42" is 42). */
int mgre_parse_key(const char *s, uint32_t *key)
{
	struct in_addr a;

	if (strchr(s, '.')) {
		if (inet_pton(AF_INET, s, &a) != 1)
			return -1;
		*key = ntohl(a.s_addr);
		return 0;
	}
	return mgre_parse_u32(s, 10, UINT32_MAX, key);
}

static int parse_on_off(const char *word, const char *val, bool *has,
			bool *on)
{
	if (*has) {
		fprintf(stderr, "Error: duplicate \"%s\"\n", word);
		return -1;
	}
	if (!strcmp(val, "on")) {
		*on = true;
	} else if (!strcmp(val, "off")) {
		*on = false;
	} else {
		fprintf(stderr, "Error: \"%s\" takes on or off, not \"%s\"\n",
			word, val);
		return -1;
	}
	*has = true;
	return 0;
}

/* A number of cache entries: max-entries, mcast-limit, max-per-nbma. */
static int parse_count(const char *word, const char *val, bool *has,
		       uint32_t *out)
{
	uint32_t v;

	if (*has) {
		fprintf(stderr, "Error: duplicate \"%s\"\n", word);
		return -1;
	}
	if (mgre_parse_u32(val, 10, MGRE_MAX_ENTRIES_LIMIT, &v) || !v) {
		fprintf(stderr, "Error: \"%s\" is not a valid %s (1-%u)\n",
			val, word, MGRE_MAX_ENTRIES_LIMIT);
		return -1;
	}
	*has = true;
	*out = v;
	return 0;
}

static int dup_arg(const char *word)
{
	fprintf(stderr, "Error: duplicate \"%s\"\n", word);
	return -1;
}

static int bad_value(const char *val, const char *what)
{
	fprintf(stderr, "Error: \"%s\" is not a valid %s\n", val, what);
	return -1;
}

/*
 * Parse PARAMS into @p.  @change allows "nokey" (changelink).  Returns 0,
 * MGRE_LINK_PARSE_HELP if "help" was given, or -1 after printing an error.
 */
int mgre_link_parse(int argc, char **argv, struct mgre_link_params *p,
		    bool change)
{
	memset(p, 0, sizeof(*p));

	for (; argc > 0; argc--, argv++) {
		const char *word = argv[0];
		const char *val;
		uint32_t v;

		if (!strcmp(word, "help"))
			return MGRE_LINK_PARSE_HELP;

		if (!strcmp(word, "nokey")) {
			if (!change) {
				fprintf(stderr,
					"Error: \"nokey\" is only valid when changing an existing device\n");
				return -1;
			}
			if (p->nokey)
				return dup_arg(word);
			p->nokey = true;
			continue;
		}

		if (!strcmp(word, "nonhs")) {
			if (p->nonhs)
				return dup_arg(word);
			p->nonhs = true;
			p->has_nhs = true;
			continue;
		}
		if (!strcmp(word, "noauth")) {
			if (p->noauth)
				return dup_arg(word);
			p->noauth = true;
			p->has_auth = true;
			continue;
		}
		if (!strcmp(word, "nhs")) {
			struct mgre_nhs_param *n;
			struct in_addr a;

			if (argc < 4 || strcmp(argv[2], "nbma")) {
				fprintf(stderr,
					"Error: \"nhs\" needs { NHS_PROTO | dynamic } nbma NBMA\n");
				return -1;
			}
			if (p->n_nhs == MGRE_MAX_NHS) {
				fprintf(stderr,
					"Error: at most %u \"nhs\" may be given\n",
					(unsigned int)MGRE_MAX_NHS);
				return -1;
			}
			n = &p->nhs[p->n_nhs];
			if (!strcmp(argv[1], "dynamic"))
				a.s_addr = 0;
			else if (inet_pton(AF_INET, argv[1], &a) != 1 ||
				 !a.s_addr)
				return bad_value(argv[1],
						 "NHS protocol address (IPv4 or dynamic)");
			n->proto = a.s_addr;
			if (inet_pton(AF_INET, argv[3], &a) != 1 || !a.s_addr)
				return bad_value(argv[3],
						 "NHS NBMA address (IPv4)");
			n->nbma = a.s_addr;
			n->priority = 0;
			p->n_nhs++;
			p->has_nhs = true;
			argc -= 3;
			argv += 3;
			if (argc >= 2 && !strcmp(argv[1], "priority")) {
				if (argc < 3) {
					fprintf(stderr,
						"Error: \"priority\" needs a value\n");
					return -1;
				}
				if (mgre_parse_u32(argv[2], 10, 255, &v))
					return bad_value(argv[2],
							 "NHS priority (0-255)");
				n->priority = v;
				argc -= 2;
				argv += 2;
			}
			continue;
		}

		if (strcmp(word, "local") && strcmp(word, "key") &&
		    strcmp(word, "ttl") && strcmp(word, "tos") &&
		    strcmp(word, "holdtime") && strcmp(word, "dev") &&
		    strcmp(word, "link") && strcmp(word, "max-entries") &&
		    strcmp(word, "network-id") && strcmp(word, "auth") &&
		    strcmp(word, "mcast-dynamic") && strcmp(word, "mcast-nhs") &&
		    strcmp(word, "mcast-limit") && strcmp(word, "redirect") &&
		    strcmp(word, "shortcut") && strcmp(word, "max-per-nbma") &&
		    strcmp(word, "max-holdtime") &&
		    strcmp(word, "registration-timeout") &&
		    strcmp(word, "nhs-max-connections") &&
		    strcmp(word, "nhs-fallback")) {
			fprintf(stderr, "Error: unknown keyword \"%s\"\n", word);
			return -1;
		}
		if (argc < 2) {
			fprintf(stderr, "Error: \"%s\" needs a value\n", word);
			return -1;
		}
		argc--;
		argv++;
		val = argv[0];

		if (!strcmp(word, "local")) {
			struct in_addr a;

			if (p->has_local)
				return dup_arg(word);
			if (!strcmp(val, "any"))
				a.s_addr = 0;
			else if (inet_pton(AF_INET, val, &a) != 1)
				return bad_value(val,
						 "local address (IPv4 or any)");
			p->has_local = true;
			p->local = a.s_addr;
		} else if (!strcmp(word, "key")) {
			if (p->has_key)
				return dup_arg(word);
			if (mgre_parse_key(val, &p->key))
				return bad_value(val,
						 "key (0-4294967295 or dotted quad)");
			p->has_key = true;
		} else if (!strcmp(word, "ttl")) {
			if (p->has_ttl)
				return dup_arg(word);
			if (!strcmp(val, "inherit"))
				v = 0;
			else if (mgre_parse_u32(val, 10, 255, &v))
				return bad_value(val, "ttl (0-255 or inherit)");
			p->has_ttl = true;
			p->ttl = v;
		} else if (!strcmp(word, "tos")) {
			if (p->has_tos)
				return dup_arg(word);
			if (!strcmp(val, "inherit"))
				v = MGRE_TOS_INHERIT;
			else if (mgre_parse_u32(val, 0, 255, &v))
				return bad_value(val, "tos (0-255 or inherit)");
			p->has_tos = true;
			p->tos = v;
		} else if (!strcmp(word, "holdtime")) {
			if (p->has_holdtime)
				return dup_arg(word);
			if (mgre_parse_u32(val, 10, 65535, &v) || !v)
				return bad_value(val,
						 "holdtime (1-65535 seconds)");
			p->has_holdtime = true;
			p->holdtime = v;
		} else if (!strcmp(word, "dev") || !strcmp(word, "link")) {
			if (p->has_link)
				return dup_arg(word);
			if (!strcmp(val, "none")) {
				v = 0;
			} else {
				v = if_nametoindex(val);
				if (!v) {
					fprintf(stderr,
						"Error: device \"%s\" does not exist\n",
						val);
					return -1;
				}
			}
			p->has_link = true;
			p->link = v;
		} else if (!strcmp(word, "network-id")) {
			if (p->has_network_id)
				return dup_arg(word);
			if (mgre_parse_u32(val, 10, UINT32_MAX, &v))
				return bad_value(val,
						 "network-id (0-4294967295)");
			p->has_network_id = true;
			p->network_id = v;
		} else if (!strcmp(word, "mcast-dynamic")) {
			if (parse_on_off(word, val, &p->has_mcast_dynamic,
					 &p->mcast_dynamic))
				return -1;
		} else if (!strcmp(word, "mcast-nhs")) {
			if (parse_on_off(word, val, &p->has_mcast_nhs,
					 &p->mcast_nhs))
				return -1;
		} else if (!strcmp(word, "redirect")) {
			if (parse_on_off(word, val, &p->has_redirect,
					 &p->redirect))
				return -1;
		} else if (!strcmp(word, "shortcut")) {
			if (parse_on_off(word, val, &p->has_shortcut,
					 &p->shortcut))
				return -1;
		} else if (!strcmp(word, "mcast-limit")) {
			if (parse_count(word, val, &p->has_mcast_limit,
					&p->mcast_limit))
				return -1;
		} else if (!strcmp(word, "max-per-nbma")) {
			if (parse_count(word, val, &p->has_max_per_nbma,
					&p->max_per_nbma))
				return -1;
		} else if (!strcmp(word, "max-holdtime")) {
			if (p->has_max_holdtime)
				return dup_arg(word);
			if (mgre_parse_u32(val, 10, 65535, &v) || !v)
				return bad_value(val,
						 "max-holdtime (1-65535 seconds)");
			p->has_max_holdtime = true;
			p->max_holdtime = v;
		} else if (!strcmp(word, "registration-timeout")) {
			if (p->has_reg_timeout)
				return dup_arg(word);
			if (mgre_parse_u32(val, 10, 65535, &v))
				return bad_value(val,
						 "registration-timeout (0-65535 seconds)");
			p->has_reg_timeout = true;
			p->reg_timeout = v;
		} else if (!strcmp(word, "nhs-max-connections")) {
			if (p->has_nhs_max_conn)
				return dup_arg(word);
			if (mgre_parse_u32(val, 10, MGRE_MAX_NHS, &v))
				return bad_value(val,
						 "nhs-max-connections (0-4)");
			p->has_nhs_max_conn = true;
			p->nhs_max_conn = v;
		} else if (!strcmp(word, "nhs-fallback")) {
			if (p->has_nhs_fallback)
				return dup_arg(word);
			if (mgre_parse_u32(val, 10, 65535, &v))
				return bad_value(val,
						 "nhs-fallback (0-65535 seconds)");
			p->has_nhs_fallback = true;
			p->nhs_fallback = v;
		} else if (!strcmp(word, "auth")) {
			size_t len = strlen(val);

			if (p->auth_len)
				return dup_arg(word);
			if (!len) {
				fprintf(stderr,
					"Error: auth secret must not be empty (use \"noauth\" to remove it)\n");
				return -1;
			}
			if (len > MGRE_AUTH_MAX) {
				fprintf(stderr,
					"Error: auth secret is at most %u bytes (Cisco cleartext)\n",
					(unsigned int)MGRE_AUTH_MAX);
				return -1;
			}
			p->has_auth = true;
			p->auth_len = len;
			memcpy(p->auth, val, len);
		} else {
			if (parse_count(word, val, &p->has_max_entries,
					&p->max_entries))
				return -1;
		}
	}

	if (p->has_key && p->nokey) {
		fprintf(stderr,
			"Error: \"key\" and \"nokey\" are mutually exclusive\n");
		return -1;
	}
	if (p->n_nhs && p->nonhs) {
		fprintf(stderr,
			"Error: \"nhs\" and \"nonhs\" are mutually exclusive\n");
		return -1;
	}
	if (p->auth_len && p->noauth) {
		fprintf(stderr,
			"Error: \"auth\" and \"noauth\" are mutually exclusive\n");
		return -1;
	}
	return 0;
}
