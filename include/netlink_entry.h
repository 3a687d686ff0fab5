/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink_entry.c: the cache entry operations of the "mgre" family (their
 * handlers are declared in netlink-gen.h) and what netlink.c shares of it.
 */
#ifndef _MGRE_NETLINK_ENTRY_H
#define _MGRE_NETLINK_ENTRY_H

#include <net/genetlink.h>

#include "mgre.h"

void mgre_genl_entry_init(const struct genl_family *family);
int mgre_genl_entry_key(struct genl_info *info, struct nhrp_key *key);
size_t mgre_genl_entry_size(void);
int mgre_genl_fill_entry(struct sk_buff *skb, const struct mgre_dev *m,
			 const struct nhrp_entry *e, u32 portid, u32 seq,
			 int flags, u8 cmd, struct netlink_callback *cb);

#endif /* _MGRE_NETLINK_ENTRY_H */
