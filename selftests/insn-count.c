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
	pthread_mutex_unlock(&out_lock);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec,
					     QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)n);
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
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
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
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
