/* SPDX-License-Identifier: GPL-2.0 */
/* xmit.c: the device's transmit path. */
#ifndef _MGRE_XMIT_H
#define _MGRE_XMIT_H

#include "mgre.h"

netdev_tx_t mgre_xmit_skb(struct sk_buff *skb, struct net_device *dev);

#endif /* _MGRE_XMIT_H */
