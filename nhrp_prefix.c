// SPDX-License-Identifier: GPL-2.0
/*
 * The prefix lengths shortcuts use (see nhrp_prefix.h).
 */

#include <linux/compiler.h>

#include "nhrp_prefix.h"

/**
 * nhrp_prefix_account() - count a shortcut of one length in or out
 * @ps: the set of the shortcut's family
 * @plen: its prefix length, 1..128
 * @add: counted in (true) or out (false)
 *
 * The owner serialises the calls.
 */
void nhrp_prefix_account(struct nhrp_prefix_set *ps, unsigned int plen,
			 bool add)
{
	if (add) {
		if (!ps->count[plen]++)
			set_bit(plen, ps->lens);
		WRITE_ONCE(ps->nr, ps->nr + 1);
	} else {
		if (!--ps->count[plen])
			clear_bit(plen, ps->lens);
		WRITE_ONCE(ps->nr, ps->nr - 1);
	}
}

/**
 * nhrp_prefix_below() - the longest length in use below a bound
 * @ps: the set
 * @size: the bound: lengths below it count
 *
 * Lockless.
 *
 * Return: the length, or 0 when none below @size is in use.
 */
unsigned int nhrp_prefix_below(const struct nhrp_prefix_set *ps,
			       unsigned int size)
{
	/* find_last_bit() answers size when no bit below it is set. */
	unsigned long plen = find_last_bit(ps->lens, size);

	return plen < size ? plen : 0;
}
