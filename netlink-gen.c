// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/mgre.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/mgre.h>

/* Common nested types */
const struct nla_policy mgre_entry_nl_policy[MGRE_ENTRY_A_PREFIXLEN + 1] = {
	[MGRE_ENTRY_A_PROTO_ADDR4] = { .type = NLA_U32, },
	[MGRE_ENTRY_A_PROTO_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[MGRE_ENTRY_A_NBMA_ADDR4] = { .type = NLA_U32, },
	[MGRE_ENTRY_A_TYPE] = NLA_POLICY_MAX(NLA_U8, 5),
	[MGRE_ENTRY_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x7),
	[MGRE_ENTRY_A_HOLDTIME] = NLA_POLICY_MIN(NLA_U16, 1),
	[MGRE_ENTRY_A_EXPIRES] = { .type = NLA_U32, },
	[MGRE_ENTRY_A_AGE] = { .type = NLA_U64, },
	[MGRE_ENTRY_A_UPDATED] = { .type = NLA_U64, },
	[MGRE_ENTRY_A_USED] = { .type = NLA_U64, },
	[MGRE_ENTRY_A_PREFIXLEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
};

/* MGRE_CMD_ENTRY_ADD - do */
static const struct nla_policy mgre_entry_add_nl_policy[MGRE_A_REPLACE + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_ENTRY] = NLA_POLICY_NESTED(mgre_entry_nl_policy),
	[MGRE_A_REPLACE] = { .type = NLA_FLAG, },
};

/* MGRE_CMD_ENTRY_DEL - do */
static const struct nla_policy mgre_entry_del_nl_policy[MGRE_A_ENTRY + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_ENTRY] = NLA_POLICY_NESTED(mgre_entry_nl_policy),
};

/* MGRE_CMD_ENTRY_GET - do */
static const struct nla_policy mgre_entry_get_do_nl_policy[MGRE_A_TYPE + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_ENTRY] = NLA_POLICY_NESTED(mgre_entry_nl_policy),
	[MGRE_A_TYPE] = NLA_POLICY_MAX(NLA_U8, 5),
};

/* MGRE_CMD_ENTRY_GET - dump */
static const struct nla_policy mgre_entry_get_dump_nl_policy[MGRE_A_TYPE + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_ENTRY] = NLA_POLICY_NESTED(mgre_entry_nl_policy),
	[MGRE_A_TYPE] = NLA_POLICY_MAX(NLA_U8, 5),
};

/* MGRE_CMD_ENTRY_FLUSH - do */
static const struct nla_policy mgre_entry_flush_nl_policy[MGRE_A_TYPE + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_TYPE] = NLA_POLICY_MAX(NLA_U8, 5),
};

/* MGRE_CMD_DEV_GET - do */
static const struct nla_policy mgre_dev_get_do_nl_policy[MGRE_A_IFINDEX + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
};

/* MGRE_CMD_DEV_GET - dump */
static const struct nla_policy mgre_dev_get_dump_nl_policy[MGRE_A_IFINDEX + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
};

/* MGRE_CMD_NHS_GET - dump */
static const struct nla_policy mgre_nhs_get_nl_policy[MGRE_A_IFINDEX + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
};

/* MGRE_CMD_RESOLVE - do */
static const struct nla_policy mgre_resolve_nl_policy[MGRE_A_ENTRY + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_ENTRY] = NLA_POLICY_NESTED(mgre_entry_nl_policy),
};

/* Ops table for mgre */
const struct genl_split_ops mgre_nl_ops[10] = {
	{
		.cmd		= MGRE_CMD_ENTRY_ADD,
		.pre_doit	= mgre_nl_pre_doit,
		.doit		= mgre_nl_entry_add_doit,
		.post_doit	= mgre_nl_post_doit,
		.policy		= mgre_entry_add_nl_policy,
		.maxattr	= MGRE_A_REPLACE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGRE_CMD_ENTRY_DEL,
		.pre_doit	= mgre_nl_pre_doit,
		.doit		= mgre_nl_entry_del_doit,
		.post_doit	= mgre_nl_post_doit,
		.policy		= mgre_entry_del_nl_policy,
		.maxattr	= MGRE_A_ENTRY,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGRE_CMD_ENTRY_GET,
		.pre_doit	= mgre_nl_pre_doit,
		.doit		= mgre_nl_entry_get_doit,
		.post_doit	= mgre_nl_post_doit,
		.policy		= mgre_entry_get_do_nl_policy,
		.maxattr	= MGRE_A_TYPE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGRE_CMD_ENTRY_GET,
		.dumpit		= mgre_nl_entry_get_dumpit,
		.policy		= mgre_entry_get_dump_nl_policy,
		.maxattr	= MGRE_A_TYPE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGRE_CMD_ENTRY_FLUSH,
		.pre_doit	= mgre_nl_pre_doit_opt,
		.doit		= mgre_nl_entry_flush_doit,
		.post_doit	= mgre_nl_post_doit,
		.policy		= mgre_entry_flush_nl_policy,
		.maxattr	= MGRE_A_TYPE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGRE_CMD_DEV_GET,
		.pre_doit	= mgre_nl_pre_doit,
		.doit		= mgre_nl_dev_get_doit,
		.post_doit	= mgre_nl_post_doit,
		.policy		= mgre_dev_get_do_nl_policy,
		.maxattr	= MGRE_A_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGRE_CMD_DEV_GET,
		.dumpit		= mgre_nl_dev_get_dumpit,
		.policy		= mgre_dev_get_dump_nl_policy,
		.maxattr	= MGRE_A_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= MGRE_CMD_NETNS_GET,
		.doit	= mgre_nl_netns_get_doit,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGRE_CMD_NHS_GET,
		.dumpit		= mgre_nl_nhs_get_dumpit,
		.policy		= mgre_nhs_get_nl_policy,
		.maxattr	= MGRE_A_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGRE_CMD_RESOLVE,
		.pre_doit	= mgre_nl_pre_doit,
		.doit		= mgre_nl_resolve_doit,
		.post_doit	= mgre_nl_post_doit,
		.policy		= mgre_resolve_nl_policy,
		.maxattr	= MGRE_A_ENTRY,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group mgre_nl_mcgrps[] = {
	[MGRE_NLGRP_EVENTS] = { "events", },
};
