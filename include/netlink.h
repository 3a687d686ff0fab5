/* SPDX-License-Identifier: GPL-2.0 */
/* netlink.c: the "mgre" generic netlink family. */
#ifndef _MGRE_NETLINK_H
#define _MGRE_NETLINK_H

int mgre_genl_init(void);
void mgre_genl_uninit(void);

#endif /* _MGRE_NETLINK_H */
