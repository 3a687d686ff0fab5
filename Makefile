# SPDX-License-Identifier: GPL-2.0
#
# make               build mgre.ko (for KVER) and the tools
# make check         install what is missing, build, run the selftests in a VM
# make demo          install what is missing, build, show a hub and two spokes
# make check-debug   the selftests on a KASAN/UBSAN/KMEMLEAK/lockdep kernel
# make check-debug-scale  the scale test at 1,000,000 entries, debug kernel
# make soak          100,000 spokes churning at a hub for 10 minutes
# make fuzz-vm       the VM fuzzer at 100,000 packets per target and messages
# make bench         data path, NHRP and memory beside ip_gre and FRR nhrpd,
#                    in one VM boot; writes BENCHMARKS.md
# make install       modules_install + depmod, mgrectl, the ip link plugin,
#                    the man pages and the bash completion
# make debug         module with -DDEBUG and debug info
# make fuzz          libFuzzer over the NHRP parser (FUZZ_SECONDS=60)
# make sparse        sparse over the module (endian checks)
# make style         checkpatch --strict over the sources, cppcheck over tools
# make spec-check    the netlink spec against the uapi header and the schema
# make netlink-gen   regenerate the netlink tables from the spec (netlink-gen.c)
# make layering      calls go only to lower floors (tools/layers.conf), no
#                    kernel file over 750 lines, exports with kernel-doc
#
# KSERIES=6.1 (default) or 6.12 picks the Debian kernel series that setup
# installs, the module is built for and the VM boots; KVER names one exact
# installed kernel instead (default: the newest of the series in /boot);
# KDIR overrides the build tree.

KSERIES ?= 6.1
KVER ?= $(shell ls /boot/vmlinuz-$(KSERIES).* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
PWD := $(shell pwd)
VM_TIMEOUT ?= 2400

# checkpatch comes from Debian's linux-source-6.1 (the tarball), unpacked
# once outside the repository.
CP_DIR ?= /var/cache/mgre/checkpatch
CHECKPATCH ?= $(CP_DIR)/scripts/checkpatch.pl
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# What DKMS needs to build the module: dkms.conf drives kbuild directly.
# Every .c file at the top is the module's (kbuild leaves mgre.mod.c there).
KSOURCES := $(filter-out %.mod.c,$(wildcard *.c))
DKMS_FILES := Kbuild dkms.conf $(KSOURCES) include
SOURCES := $(KSOURCES) $(wildcard include/*.h) include/uapi/linux/mgre.h

all: module tools

kdir-check:
	@test -d "$(KDIR)" || { echo "error: no kernel build tree at '$(KDIR)'" \
		"(run selftests/setup.sh, or pass KDIR= or KVER=)" >&2; exit 1; }

module: kdir-check
	$(MAKE) -C $(KDIR) M=$(PWD) W=1 modules

debug: kdir-check
	$(MAKE) -C $(KDIR) M=$(PWD) W=1 CONFIG_MGRE_DEBUG=y modules

tools:
	$(MAKE) -C tools

# INSTALL_MOD_PATH and DESTDIR stage an install elsewhere (packaging).
install: all
	$(MAKE) -C $(KDIR) M=$(PWD) modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)
	$(MAKE) -C tools install PREFIX=$(PREFIX)

# The module's source as DKMS wants it, under $(DESTDIR)/usr/src/mgre-VERSION.
dkms-src:
	install -d $(DESTDIR)/usr/src/mgre-$(VERSION)
	tar -c $(DKMS_FILES) | tar -x -C $(DESTDIR)/usr/src/mgre-$(VERSION)

# Register with DKMS, build and install for KVER (make dkms-install KVER=...
# again for another kernel; DKMS's own hooks cover kernels installed later).
dkms-install: dkms-src
	dkms status -m mgre -v $(VERSION) | grep -q . || dkms add mgre/$(VERSION)
	dkms build mgre/$(VERSION) -k $(KVER)
	dkms install mgre/$(VERSION) -k $(KVER)

dkms-remove:
	dkms remove mgre/$(VERSION) --all
	rm -rf /usr/src/mgre-$(VERSION)

# DKMS on this host for 6.1 and 6.12, make deb, an install on a fresh
# bookworm and the module loaded in VMs (3-6 min; selftests/packaging.sh).
check-packaging: setup
	selftests/setup.sh 6.12
	selftests/packaging.sh

# mgre-dkms and mgre-tools, built from the tracked files in build/deb.
deb:
	@v=$$(dpkg-parsechangelog -S Version) && [ "$$v" = "$(VERSION)" ] || \
		{ echo "error: debian/changelog is at $$v, dkms.conf at $(VERSION)" >&2; exit 1; }
	rm -rf build/deb && mkdir -p build/deb/mgre-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | xargs -0 tar -c | tar -x -C build/deb/mgre-$(VERSION)
	cd build/deb/mgre-$(VERSION) && dpkg-buildpackage -b -us -uc
	lintian --fail-on error build/deb/*.changes

sparse: kdir-check
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 CF=-D__CHECK_ENDIAN__ modules

$(CP_DIR)/scripts/checkpatch.pl:
	@ls /usr/src/linux-source-6.1.tar.* >/dev/null 2>&1 || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.1
	mkdir -p $(CP_DIR)
	tar -C $(CP_DIR) --strip-components=1 -xf $$(ls /usr/src/linux-source-6.1.tar.* | head -n 1) \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch

cppcheck:
	$(MAKE) -C tools cppcheck

# The compat header is the one place allowed to test kernel versions.
style: $(CHECKPATCH) cppcheck
	$(CHECKPATCH) --strict --no-tree --terse \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
		--file $(SOURCES)

# Documentation/netlink/specs/mgre.yaml against include/uapi/linux/mgre.h
# and the kernel's netlink-spec schema; the schema and the ynl CLI come from
# Debian's linux-source-6.12, unpacked once outside the repository.
YNL_DIR ?= /var/cache/mgre/ynl
spec-check:
	@selftests/ynl-fetch.sh $(YNL_DIR) >/dev/null
	tools/netlink-spec-check.py \
		--schema $(YNL_DIR)/Documentation/netlink/genetlink-legacy.yaml
	tools/tests/spec-check.sh $(YNL_DIR)/Documentation/netlink/genetlink-legacy.yaml

# netlink-gen.c and include/netlink-gen.h: the family's policies and ops
# table, generated from the spec by the kernel's ynl-gen-c.py (6.12's, as
# unpacked for spec-check); netlink-gen-check fails when the committed
# files are not what the generator makes of the spec.
netlink-gen:
	@selftests/ynl-fetch.sh $(YNL_DIR) >/dev/null
	tools/netlink-gen.sh --ynl $(YNL_DIR)

netlink-gen-check:
	@selftests/ynl-fetch.sh $(YNL_DIR) >/dev/null
	tools/netlink-gen.sh --check --ynl $(YNL_DIR)

# tools/layering.py over the table in tools/layers.conf.  The kernel's
# scripts/kernel-doc, when a linux-source tarball is at hand (6.1, else the
# 6.12 that setup installs), is unpacked once outside the repository, like
# checkpatch; without one the checker does its own kernel-doc check only.
KDOC_DIR ?= /var/cache/mgre/kernel-doc
KDOC_TAR := $(firstword $(wildcard /usr/src/linux-source-6.1.tar.*) \
	$(wildcard /usr/src/linux-source-6.12.tar.*))
KERNEL_DOC ?= $(firstword $(wildcard $(CP_DIR)/scripts/kernel-doc) \
	$(if $(KDOC_TAR),$(KDOC_DIR)/scripts/kernel-doc))

$(KDOC_DIR)/scripts/kernel-doc:
	mkdir -p $(@D)
	tar -xOf $(KDOC_TAR) $(basename $(basename $(notdir $(KDOC_TAR))))/scripts/kernel-doc > $@.tmp
	chmod 755 $@.tmp && mv $@.tmp $@

layering: $(KERNEL_DOC)
	tools/layering.py $(if $(KERNEL_DOC),--kernel-doc $(KERNEL_DOC))

setup:
	selftests/setup.sh $(KSERIES)

# The sub-make re-reads KVER after setup may have installed the kernel.
check: setup
	$(MAKE) --no-print-directory check-run

check-run: all
	selftests/check.sh --kver $(KVER) --timeout $(VM_TIMEOUT) --tests $(TESTS)

# The debug tier: a 6.1 kernel with KASAN, UBSAN, KMEMLEAK, lockdep and
# DEBUG_NET (built once, ~25 min at nice 19 beside VM runs, cached in
# /var/cache/mgre), the module built against it, the whole VM suite booted
# on it, then a kmemleak scan.  There every exec costs 0.35-0.4 s (python3
# 2.5 s; measured in its VM 2026-12-07), so the suite starts as few
# processes as it can.  Tolerances stretch 4 times (MGRE_TIME_SCALE),
# protocol timers (holdtimes, OSPF intervals), which every run waits out,
# 2 times (MGRE_HOLD_SCALE).  What only scale needs is cut, what races need
# is kept: the fuzzers send 3,000 packets per target and 2,000 netlink
# messages (20,000 and 20,000 took 404 s of the tier, 9 times make check's
# 44 s); the scale test adds 2,000 entries (make check 10,000); the churn
# test plays 500 spokes against traffic and dumps for 30 s (make check 25;
# holdtime 40: spokes expire while it churns); captures are not decoded with
# tshark (MGRE_TSHARK=0: its first start reads 110 MB of libwireshark
# through 9p, 150 s there, to check bytes the same code builds on any
# kernel); two CPUs, concurrent traffic and configuration everywhere as in
# make check.
check-debug: setup
	@tree=$$(selftests/debug-kernel.sh | tail -n 1) && \
	$(MAKE) --no-print-directory KDIR=$$tree all && \
	MGRE_TEST_TIMEOUT=900 MGRE_TIME_SCALE=4 MGRE_HOLD_SCALE=2 \
	MGRE_FUZZ_PACKETS=3000 MGRE_SCALE_ENTRIES=2000 \
	MGRE_FUZZ_MESSAGES=2000 MGRE_SOAK_SPOKES=500 MGRE_SOAK_HOLDTIME=40 \
	MGRE_SOAK_SECONDS=30 MGRE_TSHARK=0 \
	selftests/vm-run.sh --kernel-tree $$tree \
		--timeout 7200 --tests $(TESTS)

# The scale test at a million entries on the debug kernel: a flush, a mass
# expiry and a device delete of that size, with lockdep, KASAN and the
# soft-lockup and RCU-stall detectors watching.
SCALE_ENTRIES ?= 1000000
check-debug-scale: setup
	@tree=$$(selftests/debug-kernel.sh | tail -n 1) && \
	$(MAKE) --no-print-directory KDIR=$$tree all && \
	MGRE_SCALE_ENTRIES=$(SCALE_ENTRIES) MGRE_TEST_TIMEOUT=5400 \
	MGRE_TIME_SCALE=4 selftests/vm-run.sh --kernel-tree $$tree \
		--timeout 6000 --tests scale

# Churn and soak: 100,000 spokes for 10 minutes at one hub (about 20 min
# in all under TCG); the same test runs small in make check.
SOAK_SPOKES ?= 100000
SOAK_SECONDS ?= 600
SOAK_HOLDTIME ?= 60
soak: setup
	$(MAKE) --no-print-directory all
	MGRE_SOAK_SPOKES=$(SOAK_SPOKES) MGRE_SOAK_SECONDS=$(SOAK_SECONDS) \
	MGRE_SOAK_HOLDTIME=$(SOAK_HOLDTIME) MGRE_TEST_TIMEOUT=3000 \
		selftests/vm-run.sh --kver $(KVER) --timeout 3600 --tests churn

# The VM fuzzer at full size (about 10 min under TCG by make check's rates;
# not timed yet); make check runs it
# with 25,000 packets per target and 15,000 netlink messages.
FUZZ_VM_PACKETS ?= 100000
FUZZ_VM_MESSAGES ?= 100000
fuzz-vm: setup
	$(MAKE) --no-print-directory all
	MGRE_FUZZ_PACKETS=$(FUZZ_VM_PACKETS) MGRE_FUZZ_MESSAGES=$(FUZZ_VM_MESSAGES) \
	MGRE_TEST_TIMEOUT=1500 selftests/vm-run.sh --kver $(KVER) --timeout 2200 \
		--tests fuzz

# The benchmarks of issue 5: one VM boot (~25 min under TCG), one table,
# written with the method and the machine to BENCHMARKS.md.  MGRE_BENCH_*
# (see selftests/bench.sh) scale it down.
bench: setup
	$(MAKE) --no-print-directory bench-run

# BENCH_ONLY=rx,latency,...: re-measure some sections; the report then
# goes to selftests/out/bench-only.md instead of BENCHMARKS.md.
# A second boot counts instructions per packet with a TCG plugin
# (BENCH_ONLY=insn for that boot alone); BENCHMARKS.svg is the plot.
# BENCH_PROFILE=1: that boot also profiles the kernel by function, into
# selftests/out/insn-profile.txt (where mgre's instructions go).
bench-run: all
	BENCH_ONLY="$(BENCH_ONLY)" KVER=$(KVER) selftests/bench-run.sh

demo: setup
	$(MAKE) --no-print-directory demo-run

demo-run: all
	selftests/vm-run.sh --kver $(KVER) --timeout 600 --demo

# libFuzzer over the NHRP parser: make fuzz FUZZ_SECONDS=600
fuzz:
	$(MAKE) -C tests/codec fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

clean:
	-$(MAKE) -C $(KDIR) M=$(PWD) clean
	$(MAKE) -C tools clean
	$(MAKE) -C tests/codec clean
	$(MAKE) -C tests/wheel clean

.PHONY: all kdir-check module debug tools install sparse style cppcheck spec-check layering \
	netlink-gen netlink-gen-check \
	setup check check-run check-debug check-debug-scale soak fuzz-vm dkms-src dkms-install dkms-remove deb check-packaging \
	bench bench-run demo demo-run fuzz clean
