/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgrectl's bottom floor: the messages and argument helpers (args.c), the
 * netlink plumbing (nl.c), the output mode and the JSON writer (json.c).
 * These files call nothing above them; nl.c prints through args.c's
 * messages, the one call between them.
 */
#ifndef _MGRECTL_UTIL_H
#define _MGRECTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define __maybe_unused __attribute__((unused))

/* Big enough for the largest dump skb the kernel builds (32 KiB). */
#define MGRE_NL_RXBUF		65536
#define MGRE_NL_TXBUF		MNL_SOCKET_BUFFER_SIZE

/* args.c: messages and argument helpers */
void mgre_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mgre_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mgre_netns_enter(const char *name);
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

/* json.c: the output mode (-json, -pretty) and a JSON writer on stdout */
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

#endif /* _MGRECTL_UTIL_H */
