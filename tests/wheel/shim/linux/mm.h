/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <errno.h>
#include <stdlib.h>

#define GFP_KERNEL 0
#define kvcalloc(n, size, gfp) calloc(n, size)
#define kvfree(p) free(p)

#endif
