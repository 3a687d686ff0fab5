/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgrectl: shared declarations.
 */
#ifndef _MGRECTL_H
#define _MGRECTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

#define __maybe_unused __attribute__((unused))

/* Big enough for the largest dump skb the kernel builds (32 KiB). */
#define MGRE_NL_RXBUF		65536
#define MGRE_NL_TXBUF		MNL_SOCKET_BUFFER_SIZE

/* args.c: messages and argument helpers */
void mgre_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mgre_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void __attribute__((noreturn)) mgre_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
const char *mgre_next_arg(int *argc, char ***argv);
unsigned int mgre_ifindex(const char *name);
unsigned int mgre_parse_dev(int argc, char **argv, const char **name);
int mgre_parse_type(const char *word);
const char *mgre_type_name(unsigned int type);
bool mgre_is_help(int argc, char **argv);

/* nl.c: netlink sockets, requests, acks and dumps */
struct mgre_nl {
	struct mnl_socket *sock;
	unsigned int	portid;
	unsigned int	seq;
	int		bus;
	uint16_t	family;		/* generic netlink family id */
	uint32_t	events_grp;	/* "events" multicast group */
	bool		dump_intr;	/* a dump saw NLM_F_DUMP_INTR */
	int		err;		/* errno of the last failure */
	char		errmsg[256];	/* extack message, if any */
	char		badattr[96];	/* the offending attribute */
	char		*txbuf;
	char		*rxbuf;
};

typedef int (*mgre_msg_cb)(const struct nlmsghdr *nlh, void *data);

int mgre_nl_open(struct mgre_nl *nl, int bus);
void mgre_nl_close(struct mgre_nl *nl);
struct nlmsghdr *mgre_genl_msg(struct mgre_nl *nl, uint8_t cmd,
			       uint16_t flags);
struct nlmsghdr *mgre_rtnl_msg(struct mgre_nl *nl, uint16_t type,
			       uint16_t flags);
int mgre_nl_talk(struct mgre_nl *nl, struct nlmsghdr *nlh, mgre_msg_cb cb,
		 void *data);
void __attribute__((noreturn)) mgre_nl_die(struct mgre_nl *nl);
void mgre_nl_dump_warn(struct mgre_nl *nl);
int mgre_genl_open(struct mgre_nl *nl);
int mgre_nl_join_events(struct mgre_nl *nl);

/* Attribute tables for mnl_attr_parse(): see nl.c. */
#define MGRE_ATTR_TYPES(t)	(t), (int)(sizeof(t) / sizeof((t)[0]))
int mgre_attr_store(const struct nlattr *a, const struct nlattr **tb, int max,
		    const enum mnl_attr_data_type *types, int ntypes);
int mgre_top_attr_cb(const struct nlattr *a, void *data);
void mgre_top_dev(const struct nlattr *tb[], unsigned int *ifindex,
		  char *ifname);

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

/* entry.c: the entry verbs */
int do_show(int argc, char **argv);
int do_get(int argc, char **argv);
int do_add(int argc, char **argv);
int do_del(int argc, char **argv);
int do_flush(int argc, char **argv);
void usage_show(FILE *f);
void usage_get(FILE *f);
void usage_add(FILE *f);
void usage_del(FILE *f);
void usage_flush(FILE *f);

/* stats.c: counters and events */
int do_stats(int argc, char **argv);
int do_monitor(int argc, char **argv);
void usage_stats(FILE *f);
void usage_monitor(FILE *f);

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
};

int mgre_nhs_parse(const struct nlmsghdr *nlh, struct mgre_nhs *n);
const char *mgre_nhs_state_name(unsigned int state);
void mgre_nhs_json(const struct mgre_nhs *n);
const char *mgre_nhs_proto_str(const struct mgre_nhs *n, char *buf,
			       size_t len);
struct nhs_list {
	struct mgre_nhs	*nhs;
	unsigned int	n;
};

void mgre_dump_nhs(struct mgre_nl *nl, unsigned int ifindex,
		   struct nhs_list *l);
void mgre_hms(uint64_t s, char *buf, size_t len);

/* nhrp.c: NHS state, NHRP traffic, resolution */
int do_nhs(int argc, char **argv);
int do_traffic(int argc, char **argv);
int do_resolve(int argc, char **argv);
void usage_nhs(FILE *f);
void usage_traffic(FILE *f);
void usage_resolve(FILE *f);

/* dmvpn.c: the operator's summary (Cisco "show dmvpn") and NHS detail */
int do_dmvpn(int argc, char **argv);

/* link.c: rtnetlink devices */
int do_link(int argc, char **argv);
void usage_link(FILE *f);

/* json.c: the output mode (-json, -pretty) and a small JSON writer on stdout */
extern bool json_output;
extern bool pretty_output;

void json_begin_object(const char *name);
void json_end_object(void);
void json_begin_array(const char *name);
void json_end_array(void);
void json_string(const char *name, const char *val);
void json_u64(const char *name, uint64_t val);
void json_null(const char *name);
void json_bool(const char *name, bool val);
void json_flush(void);

#endif /* _MGRECTL_H */
