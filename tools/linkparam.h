/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of mgre device parameters, shared by mgrectl and link_mgre.so.
 */
#ifndef _MGRE_LINKPARAM_H
#define _MGRE_LINKPARAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/mgre.h>

#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

struct mgre_link_params {
	bool		has_local;
	uint32_t	local;		/* network byte order */
	bool		has_key;
	uint32_t	key;
	bool		nokey;
	bool		has_ttl;
	uint8_t		ttl;
	bool		has_tos;
	uint8_t		tos;
	bool		has_holdtime;
	uint16_t	holdtime;
	bool		has_link;
	uint32_t	link;
	bool		has_max_entries;
	uint32_t	max_entries;
	bool		has_network_id;
	uint32_t	network_id;
	bool		has_nhs;	/* send IFLA_MGRE_NHS_LIST ("nhs"/"nonhs") */
	bool		nonhs;		/* ... empty: clear the list */
	unsigned int	n_nhs;
	struct mgre_nhs_param {
		uint32_t	proto;	/* network byte order; 0 = dynamic */
		uint32_t	nbma;	/* network byte order */
		uint8_t		priority;	/* 0 ranks first */
	} nhs[MGRE_MAX_NHS];
	bool		has_mcast_dynamic;
	bool		mcast_dynamic;
	bool		has_mcast_nhs;
	bool		mcast_nhs;
	bool		has_mcast_limit;
	uint32_t	mcast_limit;
	bool		has_redirect;
	bool		redirect;
	bool		has_shortcut;
	bool		shortcut;
	bool		has_max_per_nbma;
	uint32_t	max_per_nbma;
	bool		has_max_holdtime;
	uint16_t	max_holdtime;
	bool		has_reg_timeout;
	uint16_t	reg_timeout;
	bool		has_nhs_max_conn;
	uint8_t		nhs_max_conn;
	bool		has_nhs_fallback;
	uint16_t	nhs_fallback;
	bool		has_auth;	/* send IFLA_MGRE_AUTH ("auth"/"noauth") */
	bool		noauth;		/* ... empty: no authentication */
	unsigned int	auth_len;
	char		auth[MGRE_AUTH_MAX];
};

#define MGRE_LINK_PARSE_HELP	1

int mgre_link_parse(int argc, char **argv, struct mgre_link_params *p,
		    bool change);
void mgre_link_params_usage(FILE *f);
int mgre_parse_u32(const char *s, int base, uint32_t max, uint32_t *val);
int mgre_parse_key(const char *s, uint32_t *key);

#endif /* _MGRE_LINKPARAM_H */
