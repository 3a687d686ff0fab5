/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/mgre.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_MGRE_GEN_H
#define _LINUX_MGRE_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/mgre.h>

/* Common nested types */
extern const struct nla_policy mgre_entry_nl_policy[MGRE_ENTRY_A_PREFIXLEN + 1];

/* Ops table for mgre */
extern const struct genl_split_ops mgre_nl_ops[10];

int mgre_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		     struct genl_info *info);
int mgre_nl_pre_doit_opt(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info);
void
mgre_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		  struct genl_info *info);

int mgre_nl_entry_add_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_entry_del_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_entry_get_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_entry_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgre_nl_entry_flush_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgre_nl_netns_get_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_nhs_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgre_nl_resolve_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	MGRE_NLGRP_EVENTS,
};

#endif /* _LINUX_MGRE_GEN_H */
