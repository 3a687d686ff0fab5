// SPDX-License-Identifier: GPL-2.0
/*
 * The expiry wheel (see nhrp_wheel.h).
 */

#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "nhrp_wheel.h"

/**
 * nhrp_wheel_init() - set up an empty wheel
 * @w: the wheel
 *
 * Process context, may sleep.
 *
 * Return: 0, or -ENOMEM when the slots cannot be allocated.
 */
int nhrp_wheel_init(struct nhrp_wheel *w)
{
	w->slots = kvcalloc(NHRP_WHEEL_SLOTS, sizeof(*w->slots), GFP_KERNEL);
	w->nr = 0;
	return w->slots ? 0 : -ENOMEM;
}

/**
 * nhrp_wheel_destroy() - free the slots of a wheel
 * @w: the wheel, with no node armed any more
 *
 * Process context.
 */
void nhrp_wheel_destroy(struct nhrp_wheel *w)
{
	kvfree(w->slots);
}

/**
 * nhrp_wheel_slot() - the slot of one second
 * @w: the wheel
 * @sec: the second (jiffies / HZ)
 *
 * Return: the slot; it holds the nodes due in @sec and those deferred
 * to it, due later.
 */
struct hlist_head *nhrp_wheel_slot(struct nhrp_wheel *w, unsigned long sec)
{
	return &w->slots[sec & (NHRP_WHEEL_SLOTS - 1)];
}

/*
 * The second whose slot takes a node due at @expires, looked at from @sec:
 * the second it is due (rounded up: due once its whole second has passed),
 * or, if that is a turn of the wheel or more from @sec, the last second
 * before the wheel comes round to @sec's slot again.
 */
static unsigned long wheel_second(unsigned long expires, unsigned long sec)
{
	unsigned long due = DIV_ROUND_UP(expires, HZ);
	unsigned long last = sec + NHRP_WHEEL_SLOTS - 1;

	return (long)(due - last) > 0 ? last : due;
}

/**
 * nhrp_wheel_arm() - put a node in the slot of the second it falls due
 * @w: the wheel
 * @n: the node, not armed
 * @expires: when it falls due, in jiffies
 *
 * A node due more than a turn of the wheel from now goes in the slot of
 * the turn's last second, and is deferred from there.
 *
 * Return: true when @n is the only node armed, so the owner must start
 * handling seconds again (from now: the wheel's second is reset).
 */
bool nhrp_wheel_arm(struct nhrp_wheel *w, struct hlist_node *n,
		    unsigned long expires)
{
	unsigned long now = jiffies / HZ;

	hlist_add_head(n, nhrp_wheel_slot(w, wheel_second(expires, now)));
	if (w->nr++)
		return false;
	w->sec = now;
	return true;
}

/**
 * nhrp_wheel_defer() - move on a node its slot's second found not yet due
 * @w: the wheel
 * @n: the node, armed in the slot of @sec
 * @expires: when it falls due, in jiffies: after the second @sec
 * @sec: the second being handled
 *
 * The node goes to the slot of its second, or of the last second before
 * the wheel comes round to @sec again: never back into @sec's slot, so the
 * owner's walk of that slot makes progress whatever it stops at.
 */
void nhrp_wheel_defer(struct nhrp_wheel *w, struct hlist_node *n,
		      unsigned long expires, unsigned long sec)
{
	hlist_del(n);
	hlist_add_head(n, nhrp_wheel_slot(w, wheel_second(expires, sec)));
}

/**
 * nhrp_wheel_disarm() - take an armed node out of its slot
 * @w: the wheel
 * @n: the node, armed
 */
void nhrp_wheel_disarm(struct nhrp_wheel *w, struct hlist_node *n)
{
	hlist_del(n);
	w->nr--;
}
