/* SPDX-License-Identifier: GPL-2.0 */
/* A settable jiffies clock, for building nhrp_wheel.c in userspace. */
#ifndef _SHIM_LINUX_JIFFIES_H
#define _SHIM_LINUX_JIFFIES_H

#define HZ 100
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define time_before(a, b) ((long)((a) - (b)) < 0)

extern unsigned long jiffies;

#endif
