#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the virtme-ng VM that selftests/vm-run.sh boots.  The staging
# directory (this script's parent's parent) holds mgre.ko, tools/ and
# selftests/, read-only.  Loads the module, runs the selected tests (each
# under its own timeout), counts their TAP cases, unloads the module while
# traffic still flows through a tunnel, and fails a last case if the kernel
# log shows a splat.
#
# Usage: run-in-vm.sh [--timeout SEC] (--tests [NAMES...] | --demo)
#
# MGRE_TRACE=1 runs each test under bash -x with a microsecond stamp on
# every command and prints the trace after the test, each line led by
# "T| ": where a slow tier's time goes, command by command.
#
# The last line printed is machine readable:
#   MGRE-VM-RESULT: pass=N fail=N skip=N
# (after each test a "... partial" one is printed too).

SELFTESTS=$(cd "$(dirname "$0")" && pwd)
STAGE=$(dirname "$SELFTESTS")
TEST_TIMEOUT=${MGRE_TEST_TIMEOUT:-180}
mode=tests
tests=()

while [ $# -gt 0 ]; do
	case $1 in
	--timeout) TEST_TIMEOUT=$2; shift 2 ;;
	--tests) mode=tests; shift ;;
	--demo) mode=demo; shift ;;
	*) tests+=("$1"); shift ;;
	esac
done

pass=0
fail=0
skip=0
case_no=0

# Cases of the runner itself are TAP lines like the tests' own.
runner_case()
{
	local rc=$1 desc=$2 msg=$3

	case_no=$((case_no + 1))
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $case_no - runner: $desc"
	else
		fail=$((fail + 1))
		echo "not ok $case_no - runner: $desc # $msg"
	fi
}

# save_result [final]: print the counts so far, so that the host still
# counts them if the VM dies or hits its deadline later.  The host takes the
# last such line; only a final one means the run completed.
save_result()
{
	local line="MGRE-VM-RESULT: pass=$pass fail=$fail skip=$skip"

	[ "${1:-}" = final ] || line="$line partial"
	echo "$line"
}

finish()
{
	save_result final
	exit 0
}

export PATH="$STAGE/tools:$PATH"
export IP_LIB_DIR="$STAGE/tools"
export MGRE_STAGE="$STAGE"
export PYTHONDONTWRITEBYTECODE=1

echo "# kernel $(uname -r), $(nproc) cpus, staging dir $STAGE"
dmesg -C
# panic_on_warn stays as vm-run.sh boots it (1): no WARN may be reachable,
# from the wire or anywhere else (issue 38); one ends the run at once,
# and vm-run.sh reports a VM that ended without its final result.
# Kernel messages on the console would break TAP lines: keep them in dmesg.
dmesg -n 1 2>/dev/null

# A kernel booted from its build tree (make check-debug) brings its modules
# in the staging directory: vng's own link to the tree's .virtme_mods points
# into /var/cache, which the VM sees as an empty tmpfs.
if [ ! -e "/lib/modules/$(uname -r)/modules.dep" ] && [ -d "$STAGE/modules" ]; then
	ln -sfn "$STAGE/modules" "/lib/modules/$(uname -r)" ||
		echo "# cannot link the staged modules into /lib/modules"
fi

# Built in on some kernels: modprobe then succeeds quietly.
for m in gre veth bridge; do
	modprobe "$m" || echo "# modprobe $m failed"
done

insmod_out=$(insmod "$STAGE/mgre.ko" 2>&1)
insmod_rc=$?
runner_case $insmod_rc "insmod mgre.ko" "insmod failed: $insmod_out"
if [ $insmod_rc -ne 0 ]; then
	dmesg | sed 's/^/#   /'
	finish
fi

# run_one SCRIPT: run a test, print its output, add its TAP cases to ours.
run_one()
{
	local script=$1 name log rc p f s t0 limit
	name=$(basename "$script")
	# A test may ask for more time: "# mgre-timeout: SECONDS", stretched
	# by MGRE_TIME_SCALE as the test's own waits are (make check-debug:
	# mgre_fuzz's 600 s ran out at 900 on a slow host); a longer
	# MGRE_TEST_TIMEOUT (make soak, make check-debug) wins.
	limit=$(sed -n 's/^# mgre-timeout: *\([0-9][0-9]*\)$/\1/p' "$script")
	limit=$(( ${limit:-$TEST_TIMEOUT} * ${MGRE_TIME_SCALE:-1} ))
	[ "$TEST_TIMEOUT" -gt "$limit" ] && limit=$TEST_TIMEOUT
	log=$(mktemp /tmp/mgre-test.XXXXXX)

	echo "# ===== $name (timeout ${limit}s) ====="
	t0=$(date +%s)
	if [ "${MGRE_TRACE:-0}" = 1 ]; then
		# shellcheck disable=SC2016
		(cd "$SELFTESTS" && timeout -k 10 "$limit" bash -c \
			'exec 9> "/tmp/trace-${0##*/}"; BASH_XTRACEFD=9
			 PS4="+ \${EPOCHREALTIME} "; set -x; source "$0"' \
			"$script"; rc=$?; sed 's/^/T| /' "/tmp/trace-$name"
			exit $rc) 2>&1 < /dev/null | tee "$log"
	else
		(cd "$SELFTESTS" && timeout -k 10 "$limit" bash "$script") \
			2>&1 < /dev/null | tee "$log"
	fi
	rc=${PIPESTATUS[0]}

	p=$(grep -cE '^ok [0-9]+' "$log")
	s=$(grep -E '^ok [0-9]+' "$log" | grep -ciE '# *SKIP')
	f=$(grep -cE '^not ok [0-9]+' "$log")
	p=$((p - s))
	if grep -qE '^1\.\.0 # SKIP' "$log"; then
		s=$((s + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))

	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail=$((fail + 1))
		echo "not ok - $name: TIMED OUT after ${limit}s"
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		fail=$((fail + 1))
		echo "not ok - $name: exited with status $rc without a failed case"
	elif [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; then
		echo "# $name: exit status 0 despite $f failed case(s)"
	elif [ "$((p + f + s))" -eq 0 ]; then
		fail=$((fail + 1))
		echo "not ok - $name: reported no test case (status $rc, $(($(date +%s) - t0))s)"
	fi
	echo "# ----- $name: $p passed, $f failed, $s skipped (status $rc, $(($(date +%s) - t0))s)"
	rm -f "$log"
	save_result
}

if [ "$mode" = demo ]; then
	run_one "$SELFTESTS/demo.sh"
else
	if [ ${#tests[@]} -eq 0 ]; then
		for t in "$SELFTESTS"/mgre_*.sh; do
			tests+=("$(basename "$t")")
		done
	fi
	for t in "${tests[@]}"; do
		t=${t%.sh}
		[ -f "$SELFTESTS/$t.sh" ] || t=mgre_$t
		if [ ! -f "$SELFTESTS/$t.sh" ]; then
			runner_case 1 "test $t" "no such test: $SELFTESTS/$t.sh"
			continue
		fi
		run_one "$SELFTESTS/$t.sh"
	done
fi

# Unload the module while packets flow through a tunnel with live entries:
# module exit must tear the devices down cleanly under traffic.
rmmod_under_traffic()
{
	local a b i ok=0 out rc

	a=rmA-$$ b=rmB-$$
	ip netns add $a && ip netns add $b || return 1
	ip link add va netns $a type veth peer name vb netns $b
	ip -n $a addr add 198.51.100.1/24 dev va
	ip -n $b addr add 198.51.100.2/24 dev vb
	ip -n $a link set va up
	ip -n $b link set vb up
	for i in a b; do
		local ns=${!i} me peer
		[ $i = a ] && me=1 peer=2 || { me=2; peer=1; }
		ip -n "$ns" link add mgre0 type mgre local 198.51.100.$me key 7 ||
			echo "# ip link add type mgre failed in $ns"
		ip -n "$ns" addr add 10.0.0.$me/24 dev mgre0
		ip -n "$ns" link set mgre0 up
		ip netns exec "$ns" mgrectl add 10.0.0.$peer \
			nbma 198.51.100.$peer dev mgre0 >/dev/null ||
			echo "# mgrectl add failed in $ns"
	done
	ip netns exec $a ping -q -c 1 -W 2 10.0.0.2 >/dev/null 2>&1 && ok=1
	[ $ok = 1 ] || echo "# warning: tunnel does not pass traffic before rmmod"
	ip netns exec $a ping -q -f -w 30 10.0.0.2 >/dev/null 2>&1 &
	local p1=$!
	ip netns exec $b ping -q -f -w 30 10.0.0.1 >/dev/null 2>&1 &
	local p2=$!
	sleep 1
	out=$(rmmod mgre 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out" | sed 's/^/#   /'
	kill $p1 $p2 2>/dev/null
	wait $p1 $p2 2>/dev/null
	ip netns del $a
	ip netns del $b
	[ $rc -eq 0 ] && [ ! -d /sys/module/mgre ]
}

if [ -d /sys/module/mgre ]; then
	rmmod_under_traffic
	runner_case $? "rmmod mgre while a ping flood runs through a tunnel" \
		"rmmod failed or left the module loaded"
else
	runner_case 1 "rmmod mgre" "module no longer loaded before rmmod"
fi

# Give deferred work (RCU callbacks, netns cleanup) a moment to complete and
# to complain.
sleep 2

# A kernel with kmemleak (the debug tier): nothing mgre allocated may be
# left unreferenced once it is unloaded.
[ -d /sys/kernel/debug ] && ! mountpoint -q /sys/kernel/debug &&
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Two scans: kmemleak reports an object only once it has been seen
	# unreferenced twice.
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -n "$leaks" ]; then
		echo "$leaks" | head -60 | sed 's/^/#   /'
		runner_case 1 "kmemleak clean" \
			"$(echo "$leaks" | grep -c '^unreferenced object') leaked objects"
	else
		runner_case 0 "kmemleak clean"
	fi
fi
splat_re='WARNING:|BUG|Oops|refcount|leak|Call Trace|general protection|UBSAN|KASAN'
# The boot command line carries base64 that can spell "BUG".
splats=$(dmesg | grep -v 'ommand line:' | grep -E "$splat_re")
if [ -n "$splats" ]; then
	echo "# kernel log shows problems:"
	echo "$splats" | head -50 | sed 's/^/#   /'
	echo "# full kernel log (last 100 lines):"
	dmesg | tail -100 | sed 's/^/#   /'
	runner_case 1 "dmesg clean" "kernel log matches /$splat_re/"
else
	runner_case 0 "dmesg clean"
fi

finish
