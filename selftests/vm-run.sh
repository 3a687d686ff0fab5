#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the mgre selftests: boots one virtme-ng VM that loads the
# already built mgre.ko and runs selftests/run-in-vm.sh.
#
# Usage: selftests/vm-run.sh [--kernel VMLINUZ | --kver VER] [--timeout SEC]
#                            [--srcdir DIR] [--qemu-plugin SO,ARGS]
#                            (--tests [NAMES...] | --demo)
#
#   --kernel VMLINUZ  kernel image to boot (its modules must be installed
#                     in /lib/modules/VER)
#   --kver VER        boot /boot/vmlinuz-VER
#                     default: the newest /boot/vmlinuz-6.1.*
#   --kernel-tree DIR boot a kernel built in DIR with vng -b (its modules
#                     come from the tree), e.g. the debug kernel
#   --timeout SEC     deadline for the whole VM run (default 600)
#   --srcdir DIR      tree holding mgre.ko and tools/ (default: this repo)
#   --tests [NAMES]   run the named tests (mgre_basic, basic, mgre_basic.sh)
#                     or, without names, every selftests/mgre_*.sh
#   --demo            run selftests/demo.sh
#   --qemu-plugin SO,ARGS  load a TCG plugin into QEMU (-plugin SO,ARGS),
#                     e.g. selftests/insn-count.c's for make bench
#
# Environment: MGRE_TEST_TIMEOUT per-test timeout in the VM (default 180 s),
# MGRE_YNL_DIR the kernel's ynl to stage (default /var/cache/mgre/ynl),
# KEEP=1 keeps the staging directory, VNG_KVM=0/1 skips KVM detection,
# MGRE_VM_CONSOLE=1 shows the kernel's console (vng --verbose; the default
# with --kernel-tree, whose debug kernel reports on the console);
# MGRE_SOAK_* and MGRE_BENCH_* are passed on to the tests in the VM; MGRE_TRACE=1
# traces every command of every test (selftests/trace-report.py reads the log).
#
# The artifacts are copied to a fresh staging directory first, so rebuilding
# during a run changes nothing the VM sees.  The last line printed is
#   N passed, N failed[, N skipped]
# and the exit status is 0 only if nothing failed and something passed.

set -u
set +m

SELFDIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(dirname "$SELFDIR")
kernel=
kver=
ktree=
timeout=600
plugin=
mode=
tests=()

die()
{
	echo "vm-run: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

usage()
{
	sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--kernel-tree) ktree=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--srcdir) SRCDIR=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--qemu-plugin) plugin=$2; shift 2 ;;
	--tests) mode=tests; shift
		while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do
			tests+=("$1")
			shift
		done ;;
	--demo) mode=demo; shift ;;
	-h|--help) usage ;;
	*) echo "vm-run: unknown argument '$1'" >&2; usage ;;
	esac
done
[ -n "$mode" ] || usage
case $timeout in ''|*[!0-9]*) die "--timeout wants seconds, got '$timeout'" ;; esac
for t in "${tests[@]}"; do
	case $t in *[!A-Za-z0-9_.-]*) die "bad test name '$t'" ;; esac
done

# ---- kernel -------------------------------------------------------------
if [ -n "$ktree" ]; then
	[ -r "$ktree/include/config/kernel.release" ] ||
		die "$ktree is not a built kernel tree"
	kernel=$ktree
	kver=$(cat "$ktree/include/config/kernel.release")
elif [ -n "$kernel" ] && [ -n "$kver" ]; then
	die "--kernel and --kver are exclusive"
elif [ -n "$kver" ]; then
	kernel=/boot/vmlinuz-$kver
elif [ -z "$kernel" ]; then
	kernel=$(ls /boot/vmlinuz-6.1.* 2>/dev/null | sort -V | tail -1)
	[ -n "$kernel" ] || die "no /boot/vmlinuz-6.1.* (run selftests/setup.sh)"
fi
[ -r "$kernel" ] || die "kernel image $kernel not readable"
if [ -z "$kver" ]; then
	case $(basename "$kernel") in
	vmlinuz-*) kver=${kernel##*/vmlinuz-} ;;
	*) kver=$(file -bL "$kernel" | sed -n 's/.*version \([^ ]*\).*/\1/p') ;;
	esac
fi
[ -n "$kver" ] || die "cannot tell the version of $kernel"
[ -n "$ktree" ] || [ -d "/lib/modules/$kver" ] ||
	die "/lib/modules/$kver missing: the VM needs the kernel's modules (gre, veth)"

# ---- artifacts ----------------------------------------------------------
ko=$SRCDIR/mgre.ko
for f in "$ko" "$SRCDIR/tools/mgrectl"; do
	[ -f "$f" ] || die "$f not found: build first (make)"
done
vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{print $1}')
[ "$vermagic" = "$kver" ] ||
	die "mgre.ko was built for '$vermagic' but the kernel is '$kver'" \
	    "(rebuild with KVER=$kver, or pick the kernel with --kver)"
[ -f "$SRCDIR/tools/link_mgre.so" ] ||
	echo "vm-run: warning: tools/link_mgre.so not built: 'ip link ... type mgre' will fail" >&2

stage=$(mktemp -d /tmp/mgre-vm.XXXXXX) || die "mktemp failed"
vng_pid=
cleanup()
{
	local pid

	if [ -n "$vng_pid" ]; then
		# vng runs in its own session: end it and everything it started
		# (qemu), and nothing else.
		for pid in $(pgrep -s "$vng_pid" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		kill -9 "$vng_pid" 2>/dev/null
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "vm-run: staging directory kept: $stage" >&2
	else
		rm -rf "$stage"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$stage/tools" "$stage/selftests"
cp "$ko" "$stage/"
cp "$SRCDIR/tools/mgrectl" "$stage/tools/"
for f in link_mgre.so nhrp-load udp-bench; do
	[ -f "$SRCDIR/tools/$f" ] && cp "$SRCDIR/tools/$f" "$stage/tools/"
done
cp "$SELFDIR"/*.sh "$SELFDIR"/*.py "$stage/selftests/" 2>/dev/null
cp -r "$SRCDIR/examples" "$stage/"
# The netlink spec and the kernel's ynl CLI with its schemas (from
# selftests/ynl-fetch.sh; the VM cannot see /var/cache), for mgre_ynl.sh.
mkdir -p "$stage/Documentation/netlink/specs"
cp "$SRCDIR"/Documentation/netlink/specs/*.yaml \
	"$stage/Documentation/netlink/specs/" 2>/dev/null
ynl=${MGRE_YNL_DIR:-/var/cache/mgre/ynl}
if [ -f "$ynl/tools/net/ynl/cli.py" ]; then
	mkdir -p "$stage/ynl/tools/net/ynl" "$stage/ynl/Documentation/netlink"
	cp -r "$ynl/tools/net/ynl/cli.py" "$ynl/tools/net/ynl/lib" \
		"$stage/ynl/tools/net/ynl/"
	cp "$ynl"/Documentation/netlink/*.yaml "$stage/ynl/Documentation/netlink/"
fi
# A kernel tree's modules, installed into the staging directory for
# run-in-vm.sh to link into /lib/modules: the VM cannot see a tree kept
# under /var/cache, and vng makes its own .virtme_mods only when it boots,
# too late for a freshly built tree.
if [ -n "$ktree" ]; then
	mkdir -p "$stage/modroot" &&
		make -s -C "$ktree" INSTALL_MOD_PATH="$stage/modroot" \
			DEPMOD=/sbin/depmod modules_install >/dev/null 2>&1 &&
		mv "$stage/modroot/lib/modules/$kver" "$stage/modules" &&
		rm -rf "$stage/modroot" "$stage/modules/build" \
			"$stage/modules/source" ||
		die "cannot stage the modules of $ktree"
fi
chmod -R a+rX "$stage"

# ---- VM -----------------------------------------------------------------
# slab_nomerge: the mgre_entry slab cache stays apart in /proc/slabinfo.
# panic_on_warn: no WARN may be reachable, from the wire or anywhere else
# (issue 38); one ends the run at once (panic=-1 reboots, and the VM
# exits) instead of scrolling past in dmesg.
vng_args=(--run "$kernel" --memory 2G --cpus 2 --cwd "$stage"
	  --append slab_nomerge --append panic_on_warn=1 --append panic=-1)

kvm=${VNG_KVM:-}
if [ -z "$kvm" ]; then
	kvm=0
	if [ -w /dev/kvm ] &&
	   timeout -k 5 30 vng "${vng_args[@]}" --exec true \
			</dev/null >/dev/null 2>&1; then
		kvm=1
	fi
fi
[ "$kvm" = 1 ] || vng_args+=(--disable-kvm)
# A kernel tree boots without an initramfs and mounts the host's root
# itself, read-only, from rootflags (the last on the command line wins):
# let it cache what it reads.  Every process start on the debug kernel
# reads its binary and libraries again over 9p without a cache (tshark's
# first start 120 s, 19 s cached; a python3 2.3 s, 1.8 s; boot 20 s less).
# Safe because the root is read-only to the guest and nothing on the host
# that the guest reads changes while it runs (the stage is made before).
# The initramfs of a Debian kernel mounts the root with options of its own.
[ -n "$ktree" ] && vng_args+=(--append
	rootflags=version=9p2000.L,trans=virtio,access=any,cache=loose,msize=512000)
if [ -n "$plugin" ]; then
	[ "$kvm" = 1 ] && die "--qemu-plugin needs TCG; set VNG_KVM=0"
	[ -f "${plugin%%,*}" ] || die "no TCG plugin ${plugin%%,*}"
	vng_args+=(--qemu-opts="-plugin $plugin")
fi
# The kernel's console: a panic or an oops before the tests report is seen.
[ "${MGRE_VM_CONSOLE:-$([ -n "$ktree" ] && echo 1)}" = 1 ] &&
	vng_args+=(--verbose)
echo "# vm-run: kernel $kernel, $([ "$kvm" = 1 ] && echo KVM || echo 'TCG (no KVM)'), deadline ${timeout}s" >&2

if [ "$mode" = demo ]; then
	cmd="$stage/selftests/run-in-vm.sh --demo"
else
	cmd="$stage/selftests/run-in-vm.sh --tests ${tests[*]}"
fi
cmd="MGRE_TEST_TIMEOUT=${MGRE_TEST_TIMEOUT:-180} $cmd"
# Test sizes and time scales (make soak, make check-debug, make bench) go
# through to the VM: MGRE_SOAK_*, MGRE_FUZZ_*, MGRE_BENCH_*, MGRE_SCALE_*,
# MGRE_TSHARK, MGRE_TRACE, MGRE_TIME_SCALE, MGRE_HOLD_SCALE;
# make check-packaging's MGRE_PKG_* (paths).
for v in $(compgen -v | grep -E '^MGRE_(SOAK_|FUZZ_|BENCH_|PKG_|SCALE_|TSHARK$|TRACE$|TIME_SCALE$|HOLD_SCALE$)'); do
	case ${!v} in *[!A-Za-z0-9_.,/-]*) die "bad value in $v" ;; esac
	cmd="$v=${!v} $cmd"
done

log=$stage/console.log
pidfile=$stage/vng.pid
start=$(date +%s)
# vng leads a session of its own (its pid is written to $pidfile), so that it
# and the qemu it starts can be ended without touching anything else.  Its
# output is shown as it comes, a line at a time (tr into a pipe would hold
# back 4 KiB: on the debug kernel, minutes of a test), and kept in $log.
setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" \
	vng "${vng_args[@]}" --exec "$cmd" </dev/null 2>&1 |
	stdbuf -oL tr -d '\r' | tee "$log" &
pipe_pid=$!
while [ ! -s "$pidfile" ] && kill -0 "$pipe_pid" 2>/dev/null; do
	sleep 0.1
done
vng_pid=$(cat "$pidfile" 2>/dev/null)

timed_out=0
while [ -n "$vng_pid" ] && kill -0 "$vng_pid" 2>/dev/null; do
	if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
		timed_out=1
		break
	fi
	sleep 1
done
if [ $timed_out = 1 ]; then
	for pid in $(pgrep -s "$vng_pid" 2>/dev/null); do
		kill -9 "$pid" 2>/dev/null
	done
fi
wait "$pipe_pid" 2>/dev/null
vng_pid=
elapsed=$(($(date +%s) - start))

# ---- verdict ------------------------------------------------------------
result=$(grep -a '^MGRE-VM-RESULT:' "$log" | tail -1)

passed=0 failed=0 skipped=0
if [ -n "$result" ]; then
	passed=$(echo "$result" | sed -n 's/.*pass=\([0-9]*\).*/\1/p')
	failed=$(echo "$result" | sed -n 's/.*fail=\([0-9]*\).*/\1/p')
	skipped=$(echo "$result" | sed -n 's/.*skip=\([0-9]*\).*/\1/p')
	: "${passed:=0}" "${failed:=0}" "${skipped:=0}"
fi
if [ $timed_out = 1 ]; then
	echo "not ok - vm-run: VM killed at the ${timeout}s deadline (results so far counted)"
	failed=$((failed + 1))
elif [ -z "$result" ] || [ "${result%partial}" != "$result" ]; then
	echo "not ok - vm-run: VM ended without a final result: crashed, panicked or failed to boot (see the console output above)"
	failed=$((failed + 1))
fi
echo "# vm-run: VM ran ${elapsed}s"

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
