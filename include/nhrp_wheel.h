/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A wheel of one-second expiry slots: a node armed for a time goes in the
 * slot of the second it falls due, so expiry visits only the slots whose
 * second has come.  A node due further ahead than the wheel turns goes in
 * the farthest slot instead, and when that slot's second comes the owner
 * defers it (nhrp_wheel_defer()) to a later one: a slot holds only nodes
 * due in its own second or later, never a second that comes before it, so
 * a visit can stop after any number of nodes and go on where it left off.
 * The owner serialises every call (the NHRP cache does so under its lock);
 * nothing here sleeps but init and destroy.
 */
#ifndef _MGRE_NHRP_WHEEL_H
#define _MGRE_NHRP_WHEEL_H

#include <linux/list.h>

#define NHRP_WHEEL_SLOTS	1024	/* one-second slots */

struct nhrp_wheel {
	struct hlist_head *slots;
	unsigned long sec;	/* the next second the owner handles */
	unsigned int nr;	/* armed nodes */
};

int nhrp_wheel_init(struct nhrp_wheel *w);
void nhrp_wheel_destroy(struct nhrp_wheel *w);
bool nhrp_wheel_arm(struct nhrp_wheel *w, struct hlist_node *n,
		    unsigned long expires);
void nhrp_wheel_defer(struct nhrp_wheel *w, struct hlist_node *n,
		      unsigned long expires, unsigned long sec);
void nhrp_wheel_disarm(struct nhrp_wheel *w, struct hlist_node *n);
struct hlist_head *nhrp_wheel_slot(struct nhrp_wheel *w, unsigned long sec);

#endif /* _MGRE_NHRP_WHEEL_H */
