/* SPDX-License-Identifier: GPL-2.0 */
/* device.c: the mgre netdevice. */
#ifndef _MGRE_DEVICE_H
#define _MGRE_DEVICE_H

#include "mgre.h"

void mgre_dev_setup(struct net_device *dev);
bool netif_is_mgre(const struct net_device *dev);
u64 mgre_dev_counter_sum(const struct mgre_dev *m, int counter);
void mgre_dev_set_events(const struct mgre_event_ops *ops);

#endif /* _MGRE_DEVICE_H */
