/* SPDX-License-Identifier: GPL-2.0 */
/* rcv.c: GRE receive and the per-netns device list it searches. */
#ifndef _MGRE_RCV_H
#define _MGRE_RCV_H

#include "mgre.h"

extern unsigned int mgre_net_id;

struct mgre_net *mgre_net(struct net *net);
int mgre_rcv_net_get(struct net *net, struct netlink_ext_ack *extack);
void mgre_rcv_net_put(struct net *net);
int mgre_rcv_init(void);
void mgre_rcv_uninit(void);

#endif /* _MGRE_RCV_H */
