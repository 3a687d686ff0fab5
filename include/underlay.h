/* SPDX-License-Identifier: GPL-2.0 */
/* underlay.c: what the underlay's addresses coming and going set off. */
#ifndef _MGRE_UNDERLAY_H
#define _MGRE_UNDERLAY_H

#include "mgre.h"

int mgre_underlay_init(void);
void mgre_underlay_uninit(void);

#endif /* _MGRE_UNDERLAY_H */
