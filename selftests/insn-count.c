// SPDX-License-Identifier: GPL-2.0
/*
 * insn-count: a QEMU TCG plugin that counts the guest instructions every
 * vCPU executes, and writes the counts out whenever a guest program
 * executes the marker instruction `xchg %rbx,%rbx` (48 87 db, a no-op no
 * compiler emits; tools/udp-bench.c's --mark).  The difference between two
 * marks, divided by the packets sent between them, is a cost per packet
 * that does not depend on how busy the host is: the figure of `make bench`
 * that holds when the wall-clock ones move.
 *
 *   qemu-system-x86_64 ... -plugin insn-count.so,out=FILE
 *
 * FILE gets one line per mark: "mark SEQ TOTAL VCPU0 VCPU1 ...", SEQ
 * counting marks from 1.  Instructions are counted per translation block
 * as it starts (a block left early by an interrupt counts whole: the same
 * way every time), each vCPU in its own counter, so vCPU threads never
 * share a cache line they write.
 *
 * With profile=PFILE it also counts, per kernel address at which a
 * translation block starts, the instructions of the blocks started there,
 * and writes at each mark "SEQ ADDR COUNT" for every address whose count
 * moved since the mark before (COUNT is the move).  A block ends at every
 * call and branch, so its start names one function: with the guest's
 * /proc/kallsyms, selftests/insn-profile.py turns this into instructions
 * per packet by function.  The totals of the mark lines are the same with
 * and without it.
 *
 * Built at `make bench` against the qemu-plugin.h of the installed QEMU's
 * Debian source package (selftests/qemu-plugin-fetch.sh).
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS	64

static struct {
	uint64_t n;
	char pad[64 - sizeof(uint64_t)];
} count[MAX_VCPUS];

/* The profile: an open-addressed table of kernel block addresses. */
#define SITE_BITS	20
#define SITE_SLOTS	(1u << SITE_BITS)
#define KERNEL_BASE	0xffff800000000000ull

struct site {
	uint64_t addr;		/* 0: a free slot */
	uint64_t n;		/* instructions of blocks started here */
	uint64_t shown;		/* n at the last mark */
};

static struct site *sites;
static uint64_t sites_full;	/* blocks not profiled: the table was full */
static pthread_mutex_t site_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *prof;

static const unsigned char marker[] = { 0x48, 0x87, 0xdb };
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int nr_vcpus;
static uint64_t seq;
static FILE *out;

static void tb_exec(unsigned int vcpu, void *udata)
{
	if (vcpu < MAX_VCPUS)
		count[vcpu].n += (uintptr_t)udata;
}

/* Under site_lock: the slot of ADDR, taken if new; NULL if the table is full. */
static struct site *site_get(uint64_t addr)
{
	uint64_t h = (addr * 0x9e3779b97f4a7c15ull) >> (64 - SITE_BITS);
	unsigned int i;

	for (i = 0; i < SITE_SLOTS / 2; i++) {
		struct site *s = &sites[(h + i) & (SITE_SLOTS - 1)];

		if (s->addr == addr)
			return s;
		if (!s->addr) {
			s->addr = addr;
			return s;
		}
	}
	return NULL;
}

/* Under out_lock: the profile's lines for mark SEQ. */
static void profile_mark(uint64_t mark)
{
	unsigned int i;

	for (i = 0; i < SITE_SLOTS; i++) {
		struct site *s = &sites[i];
		uint64_t n;

		if (!__atomic_load_n(&s->addr, __ATOMIC_RELAXED))
			continue;
		n = __atomic_load_n(&s->n, __ATOMIC_RELAXED);
		if (n == s->shown)
			continue;
		fprintf(prof, "%" PRIu64 " %" PRIx64 " %" PRIu64 "\n", mark,
			s->addr, n - s->shown);
		s->shown = n;
	}
	if (sites_full)
		fprintf(prof, "%" PRIu64 " full %" PRIu64 "\n", mark,
			sites_full);
	fflush(prof);
}

static void mark_exec(unsigned int vcpu, void *udata)
{
	uint64_t total = 0;
	unsigned int i;

	(void)vcpu;
	(void)udata;
	pthread_mutex_lock(&out_lock);
	for (i = 0; i < nr_vcpus; i++)
		total += __atomic_load_n(&count[i].n, __ATOMIC_RELAXED);
	fprintf(out, "mark %" PRIu64 " %" PRIu64, ++seq, total);
	for (i = 0; i < nr_vcpus; i++)
		fprintf(out, " %" PRIu64,
			__atomic_load_n(&count[i].n, __ATOMIC_RELAXED));
	fputc('\n', out);
	fflush(out);
	if (prof)
		profile_mark(seq);
	pthread_mutex_unlock(&out_lock);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec,
					     QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)n);
	if (prof && qemu_plugin_tb_vaddr(tb) >= KERNEL_BASE) {
		struct site *s;

		pthread_mutex_lock(&site_lock);
		s = site_get(qemu_plugin_tb_vaddr(tb));
		if (!s)
			sites_full++;
		pthread_mutex_unlock(&site_lock);
		/* Not atomic: two vCPUs in one block at once may lose a
		 * count (the profile is a guide; the marks' totals are exact).
		 */
		if (s)
			qemu_plugin_register_vcpu_tb_exec_inline(
				tb, QEMU_PLUGIN_INLINE_ADD_U64, &s->n, n);
	}
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(marker) &&
		    !memcmp(qemu_plugin_insn_data(insn), marker,
			    sizeof(marker)))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, mark_exec, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	mark_exec(0, NULL);
	fclose(out);
	if (prof)
		fclose(prof);
	free(sites);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL, *ppath = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
		else if (!strncmp(argv[i], "profile=", 8))
			ppath = argv[i] + 8;
	}
	if (!path) {
		fprintf(stderr, "insn-count: out=FILE is required\n");
		return -1;
	}
	if (!info->system_emulation) {
		fprintf(stderr, "insn-count: system emulation only\n");
		return -1;
	}
	nr_vcpus = info->system.max_vcpus;
	if (nr_vcpus > MAX_VCPUS) {
		fprintf(stderr, "insn-count: at most %d vCPUs\n", MAX_VCPUS);
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	if (ppath) {
		sites = calloc(SITE_SLOTS, sizeof(*sites));
		prof = fopen(ppath, "w");
		if (!sites || !prof) {
			perror(ppath);
			if (prof)
				fclose(prof);
			free(sites);
			fclose(out);
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
