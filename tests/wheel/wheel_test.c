// SPDX-License-Identifier: GPL-2.0
/*
 * The expiry wheel (../../nhrp_wheel.c) in userspace, driven the way the
 * NHRP cache's expiry work drives it (nhrp_gc_work(), expire_slot()):
 * every node expires in the pass of the second it falls due, never
 * before; a visit of a slot stops after a few nodes and goes on where it
 * left off, even when the slot holds thousands due turns of the wheel
 * ahead; a node is looked at about once a turn; a stall of several turns
 * is caught up in one pass.
 */

#include <stdio.h>
#include <stdlib.h>

#include <linux/jiffies.h>

#include "nhrp_wheel.h"

unsigned long jiffies;

#define BATCH 4		/* the cache's NHRP_CACHE_BATCH, small here */

struct node {
	struct hlist_node wheel;
	unsigned long expires;
	unsigned long hold;		/* seconds */
	unsigned long expired_at;	/* jiffies, 0: not yet */
	unsigned int looks;		/* times a visit looked at it */
	int armed;
};

static struct nhrp_wheel w;
static int failures;
static unsigned long calls, looked;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		if (failures < 20) {					\
			printf("# %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	}								\
} while (0)

static void arm(struct node *n, unsigned long holdtime_secs)
{
	n->expires = jiffies + holdtime_secs * HZ;
	n->hold = holdtime_secs;
	n->expired_at = 0;
	n->armed = 1;
	/*
	 * True for the first: the owner would schedule its work, which
	 * here runs every second anyway.
	 */
	nhrp_wheel_arm(&w, &n->wheel, n->expires);
}

/* expire_slot(): a batch of the slot's nodes; whether some are left. */
static int visit(unsigned long sec)
{
	struct hlist_node *p = nhrp_wheel_slot(&w, sec)->first, *next;
	unsigned int done = 0;

	calls++;
	for (; p; p = next) {
		struct node *n = container_of(p, struct node, wheel);

		next = p->next;
		if (done++ == BATCH)
			return 1;
		n->looks++;
		looked++;
		if (time_before(jiffies, n->expires)) {
			nhrp_wheel_defer(&w, &n->wheel, n->expires, sec);
			continue;
		}
		nhrp_wheel_disarm(&w, &n->wheel);
		n->armed = 0;
		n->expired_at = jiffies;
	}
	return 0;
}

/* nhrp_gc_work(): every second from the wheel's to now, at most a turn. */
static void gc(void)
{
	unsigned long now_sec = jiffies / HZ, sec, n, guard = 0;

	if (!w.nr)
		return;
	n = now_sec - w.sec + 1;
	if (n > NHRP_WHEEL_SLOTS)
		n = NHRP_WHEEL_SLOTS;
	sec = now_sec + 1 - n;
	while (sec != now_sec + 1) {
		if (!visit(sec))
			sec++;
		if (++guard > 10000000) {
			CHECK(0, "a pass at second %lu does not end", now_sec);
			exit(1);
		}
	}
	w.sec = now_sec + 1;
}

/*
 * A pass at jiffies J handles the seconds up to J / HZ; a node is due in
 * the second DIV_ROUND_UP(expires, HZ) (once that second has passed
 * whole), and expires in that second's pass or an earlier one, never
 * before its time.
 */
static void check_expired(struct node *v, unsigned int nr, const char *what)
{
	unsigned long now_sec = jiffies / HZ;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		unsigned long due = DIV_ROUND_UP(v[i].expires, HZ);

		if (v[i].armed) {
			CHECK(now_sec < due,
			      "%s: node %u due in second %lu still armed in %lu",
			      what, i, due, now_sec);
			continue;
		}
		CHECK(!time_before(v[i].expired_at, v[i].expires),
		      "%s: node %u expired at %lu, before %lu", what, i,
		      v[i].expired_at, v[i].expires);
		/*
		 * In its second's pass, or in an earlier one that came
		 * after it was due (a deferred node may sit a second early).
		 */
		CHECK(v[i].expired_at / HZ <= due,
		      "%s: node %u due in second %lu expired in %lu", what, i,
		      due, v[i].expired_at / HZ);
	}
}

/* Nodes of every holdtime up to five turns, armed over time. */
static void test_every_second(void)
{
	enum { NR = 3000 };
	struct node *v = calloc(NR, sizeof(*v));
	unsigned int i, armed = 0;
	unsigned long t;

	for (t = 0; t < 7000; t++) {
		/* Half armed at the start, the rest one a second or so. */
		while (armed < NR && (armed < NR / 2 || armed < NR / 2 + t)) {
			arm(&v[armed], 1 + (armed * 7919u) % 5000);
			armed++;
		}
		jiffies += HZ;
		gc();
		check_expired(v, armed, "every second");
	}
	for (i = 0; i < NR; i++) {
		CHECK(!v[i].armed, "node %u never expired", i);
		/* Looked at once a turn (1023 s) and once when due. */
		CHECK(v[i].looks <= v[i].hold / (NHRP_WHEEL_SLOTS - 1) + 2,
		      "node %u (holdtime %lu s) looked at %u times",
		      i, v[i].hold, v[i].looks);
	}
	CHECK(w.nr == 0, "%u nodes left armed", w.nr);
	printf("%s every second: 3000 nodes, holdtimes 1-5000 s, %lu looks\n",
	       failures ? "not ok" : "ok", looked);
	if (w.nr)
		exit(1);	/* v is still in the wheel */
	free(v);
}

/* A slot holding 20,000 nodes due turns ahead: each visit takes a batch. */
static void test_crowded_slot(void)
{
	enum { NR = 20000 };
	struct node *v = calloc(NR, sizeof(*v));
	unsigned int i;
	int f = failures;
	unsigned long c0;

	for (i = 0; i < NR; i++)
		arm(&v[i], 3000);	/* all in one second, three turns ahead */
	for (i = 0; i < 3100; i++) {
		c0 = calls;
		jiffies += HZ;
		gc();
		/*
		 * BATCH nodes a call: the pass that meets them takes
		 * NR / BATCH calls, none holds more than BATCH.
		 */
		CHECK(calls - c0 <= NR / BATCH + 2,
		      "second %lu: %lu calls", jiffies / HZ, calls - c0);
	}
	check_expired(v, NR, "crowded slot");
	for (i = 0; i < NR; i++)
		CHECK(v[i].looks <= 4, "node %u looked at %u times", i,
		      v[i].looks);
	CHECK(w.nr == 0, "%u nodes left armed", w.nr);
	printf("%s crowded slot: 20000 nodes due 3000 s ahead, batches of %d\n",
	       failures != f ? "not ok" : "ok", BATCH);
	if (w.nr)
		exit(1);
	free(v);
}

/* No pass for 2500 s (a stalled work): one pass catches up. */
static void test_stall(void)
{
	enum { NR = 2000 };
	struct node *v = calloc(NR, sizeof(*v));
	unsigned int i;
	int f = failures;

	for (i = 0; i < NR; i++)
		arm(&v[i], 1 + (i * 104729u) % 4000);
	jiffies += 2500 * HZ;
	gc();
	for (i = 0; i < NR; i++) {
		if (!time_before(jiffies, v[i].expires))
			CHECK(!v[i].armed, "stall: node %u due at %lu not expired at %lu",
			      i, v[i].expires, jiffies);
		else
			CHECK(v[i].armed, "stall: node %u due at %lu expired at %lu",
			      i, v[i].expires, jiffies);
	}
	for (i = 0; i < 2000; i++) {
		jiffies += HZ;
		gc();
	}
	for (i = 0; i < NR; i++)
		CHECK(!v[i].armed, "stall: node %u never expired", i);
	CHECK(w.nr == 0, "%u nodes left armed", w.nr);
	printf("%s stall: 2500 s without a pass, caught up at once\n",
	       failures != f ? "not ok" : "ok");
	if (w.nr)
		exit(1);
	free(v);
}

int main(void)
{
	if (nhrp_wheel_init(&w))
		return 1;
	jiffies = 1000 * HZ + 37;	/* not on a second */
	test_every_second();
	test_crowded_slot();
	test_stall();
	nhrp_wheel_destroy(&w);
	printf("%d failures\n", failures);
	return failures != 0;
}
