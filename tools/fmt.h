/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgrectl's printers and parsers of cache entries (entry_fmt.c) and NHSs
 * (nhs_fmt.c): what more than one verb file needs of them.  Below the
 * verbs, above util.h; the two files do not call each other.
 */
#ifndef _MGRECTL_FMT_H
#define _MGRECTL_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "util.h"

/* entry_fmt.c: NHRP cache entries, decoded, named, dumped */
struct mgre_entry {
	unsigned int	ifindex;
	char		ifname[16];
	int		family;		/* AF_INET, AF_INET6 */
	struct in6_addr	proto;		/* IPv4 in the first 4 */
	unsigned int	plen;		/* 0: a mapping; else a shortcut */
	bool		has_nbma;
	struct in_addr	nbma;
	unsigned int	type;
	uint32_t	flags;
	bool		has_holdtime;
	uint16_t	holdtime;
	bool		has_expires;
	uint32_t	expires;	/* ms */
	uint64_t	age;		/* ms */
	uint64_t	updated;	/* ms */
	bool		has_used;
	uint64_t	used;		/* ms */
};

/* The devices of a dump and their entries. */
struct dev_list {
	struct dev {
		unsigned int	ifindex;
		char		ifname[16];
		unsigned int	count;
	} *devs;
	unsigned int	ndevs;
	struct mgre_entry *entries;
	unsigned int	nentries;
	unsigned int	alloc;
	bool		only_shortcuts;
};

int mgre_entry_parse(const struct nlmsghdr *nlh, struct mgre_entry *e);
void mgre_entry_json(const struct mgre_entry *e);
void mgre_flags_str(uint32_t flags, char *buf, size_t len, bool names);
uint32_t mgre_flag_parse(const char *word);
uint32_t mgre_sec_up(uint32_t ms);
const char *mgre_proto_str(const struct mgre_entry *e, char *buf, size_t len);
const char *mgre_entry_name(const struct mgre_entry *e, char *buf, size_t len);
void mgre_dump_entries(struct mgre_nl *nl, unsigned int ifindex, int type,
		       struct dev_list *dl);
void mgre_dev_list_free(struct dev_list *dl);

/* nhs_fmt.c: the NHSs of a device, decoded, named, dumped */
struct mgre_nhs {
	unsigned int	ifindex;
	char		ifname[16];
	struct in_addr	proto;		/* 0: dynamic, not learnt yet */
	struct in_addr	nbma;
	bool		dynamic;
	unsigned int	state;		/* enum mgre_nhs_state */
	bool		has_rtt;
	uint32_t	rtt;		/* ms */
	bool		has_last_reply;
	uint64_t	last_reply;	/* ms ago */
	bool		has_next;
	uint32_t	next;		/* ms */
	uint32_t	registrations;
	uint32_t	failures;
	bool		has_last_code;
	uint8_t		last_code;
	uint8_t		priority;	/* 0 ranks first */
};

/* The NHSs of a dump. */
struct nhs_list {
	struct mgre_nhs	*nhs;
	unsigned int	n;
};

int mgre_nhs_parse(const struct nlmsghdr *nlh, struct mgre_nhs *n);
const char *mgre_nhs_state_name(unsigned int state);
void mgre_nhs_json(const struct mgre_nhs *n);
const char *mgre_nhs_proto_str(const struct mgre_nhs *n, char *buf,
			       size_t len);
void mgre_dump_nhs(struct mgre_nl *nl, unsigned int ifindex,
		   struct nhs_list *l);
void mgre_hms(uint64_t s, char *buf, size_t len);

#endif /* _MGRECTL_FMT_H */
