/* SPDX-License-Identifier: GPL-2.0 */
/* rtnl.c: the "mgre" link kind. */
#ifndef _MGRE_RTNL_H
#define _MGRE_RTNL_H

int mgre_rtnl_init(void);
void mgre_rtnl_uninit(void);

#endif /* _MGRE_RTNL_H */
