#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the mgre selftests, in the manner of the kernel's
# tools/testing/selftests/net/lib.sh.  A test sources this file, builds its
# topology with setup_ns, runs commands through run_cmd, checks each step
# with check_err/check_fail, closes each case with log_test and finishes with
# tests_done.  Output is TAP: "ok N - what" / "not ok N - what # why",
# "# ..." lines are diagnostics, and the plan "1..N" comes last.
#
# Environment:
#   VERBOSE=1       also print the output of commands that succeed
#   PAUSE_ON_FAIL=1 wait for Enter after a failed case (debugging)
#   MGRE_TIME_SCALE=N  stretch timing tolerances (and, unless
#                      MGRE_HOLD_SCALE says otherwise, protocol timers) N times
#   MGRE_HOLD_SCALE=N  stretch protocol timers (holdtimes, hello intervals)
#                      N times

ksft_pass=0
ksft_fail=1
ksft_xfail=2
ksft_skip=4

RET=0
RETMSG=
TESTS_RUN=0
TESTS_PASSED=0
TESTS_FAILED=0
TESTS_SKIPPED=0
NS_LIST=()
BG_PIDS=()
VERBOSE=${VERBOSE:-0}
PAUSE_ON_FAIL=${PAUSE_ON_FAIL:-0}
CASE_T0=${EPOCHREALTIME//[!0-9]/}

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Timing checks stretch by this factor on slow kernels (make check-debug).
TIME_SCALE=${MGRE_TIME_SCALE:-1}
# Protocol timers (holdtimes, hello intervals, the waits built on them)
# stretch by this one.  A tolerance costs nothing when things are on time;
# a timer costs its whole length in every run.  The debug kernel is slow
# to start processes, not to run the protocol: make check-debug stretches
# tolerances 4 times and timers 2 times.
HOLD_SCALE=${MGRE_HOLD_SCALE:-$TIME_SCALE}

# Diagnostics are TAP comments, so a TAP reader skips them.
log_info() { echo "# $*"; }

# Print each line of stdin as a TAP comment.
comment() { sed -e 's/^/#   /'; }

# run_cmd CMD [ARGS...]: print the command, run it, print its output when it
# fails (or always with VERBOSE=1), return its exit status.  The output is
# kept in $CMD_OUT for checks of error messages.
CMD_OUT=
run_cmd()
{
	local rc

	echo "# + $*"
	CMD_OUT=$("$@" 2>&1)
	rc=$?
	if [ -n "$CMD_OUT" ] && { [ "$VERBOSE" = 1 ] || [ $rc -ne 0 ]; }; then
		printf '%s\n' "$CMD_OUT" | comment
	fi
	return $rc
}

# run_cmd_quiet: like run_cmd, never prints the output (expected failures).
run_cmd_quiet()
{
	local rc

	echo "# + $*"
	CMD_OUT=$("$@" 2>&1)
	rc=$?
	[ "$VERBOSE" = 1 ] && [ -n "$CMD_OUT" ] && printf '%s\n' "$CMD_OUT" | comment
	return $rc
}

# check_err STATUS MSG: record MSG as the failure of this case if STATUS is
# not 0 (the first failure of a case is the one reported).
check_err()
{
	local err=$1
	local msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -ne 0 ]; then
		RET=$err
		RETMSG=$msg
	fi
}

# check_fail STATUS MSG: record MSG as the failure if STATUS is 0, i.e. the
# step was expected to fail and did not.
check_fail()
{
	local err=$1
	local msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -eq 0 ]; then
		RET=$ksft_fail
		RETMSG=$msg
	fi
}

# case_time: print how long the case just closed took (from the previous
# case's end), so a slow tier shows which cases its time goes to.
case_time()
{
	local t1=${EPOCHREALTIME//[!0-9]/} el

	el=$(((t1 - CASE_T0) / 1000))
	CASE_T0=$t1
	echo "# case $TESTS_RUN took $((el / 1000)).$((el % 1000 / 100)) s"
}

# log_test DESCRIPTION: close the current case, print its TAP line.
log_test()
{
	local desc=$1

	TESTS_RUN=$((TESTS_RUN + 1))
	if [ "$RET" -ne 0 ]; then
		TESTS_FAILED=$((TESTS_FAILED + 1))
		echo "not ok $TESTS_RUN - $desc # ${RETMSG:-failed}"
		if [ "$PAUSE_ON_FAIL" = 1 ]; then
			echo "# hit enter to continue"
			read -r _
		fi
	else
		TESTS_PASSED=$((TESTS_PASSED + 1))
		echo "ok $TESTS_RUN - $desc"
	fi
	case_time
	RET=0
	RETMSG=
}

# log_test_skip DESCRIPTION REASON
log_test_skip()
{
	TESTS_RUN=$((TESTS_RUN + 1))
	TESTS_SKIPPED=$((TESTS_SKIPPED + 1))
	echo "ok $TESTS_RUN - $1 # SKIP $2"
	case_time
	RET=0
	RETMSG=
}

# tests_done: print the plan and a summary, exit 0 if nothing failed, 4 if
# everything was skipped, else 1.
tests_done()
{
	echo "1..$TESTS_RUN"
	echo "# $(basename "$0"): $TESTS_PASSED passed, $TESTS_FAILED failed, $TESTS_SKIPPED skipped"
	if [ "$TESTS_FAILED" -ne 0 ]; then
		exit $ksft_fail
	fi
	if [ "$TESTS_RUN" -gt 0 ] && [ "$TESTS_SKIPPED" -eq "$TESTS_RUN" ]; then
		exit $ksft_skip
	fi
	exit $ksft_pass
}

# skip_all REASON: the whole script cannot run here.
skip_all()
{
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

# require_cmd CMD...: skip the script when a tool is missing.
require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c not found"
	done
}

# require_mgre: the module must be loaded (run-in-vm.sh does insmod).
require_mgre()
{
	[ "$(id -u)" -eq 0 ] || skip_all "needs root"
	[ -d /sys/module/mgre ] || skip_all "mgre module not loaded"
	require_cmd ip mgrectl
}

# new_ns VAR: a network namespace with a unique name, stored in VAR and
# registered for cleanup; its loopback still down.  The name is made in
# bash: on the debug kernel every exec costs most of a second.
new_ns()
{
	local var=$1 ns

	ns="$var-$(printf '%04x%04x' $RANDOM $RANDOM)"
	if ! ip netns add "$ns"; then
		echo "# failed to create netns $ns"
		return $ksft_fail
	fi
	NS_LIST+=("$ns")
	eval "$var=$ns"
}

# setup_ns VAR...: create one network namespace per VAR with a unique name,
# store the name in VAR, bring its loopback up and register it for cleanup.
setup_ns()
{
	local var

	for var in "$@"; do
		new_ns "$var" || return
		ip -n "${!var}" link set lo up
	done
}

# cleanup_ns NS...: kill what still runs in the namespaces and delete them.
# A process is in NS when its /proc/PID/ns/net is the same file as
# /run/netns/NS (what ip netns pids compares), tested in bash; the
# namespaces go in one ip -batch.
cleanup_ns()
{
	local ns p dels=

	for p in /proc/[0-9]*; do
		for ns in "$@"; do
			[ -n "$ns" ] && [ "$p/ns/net" -ef "/run/netns/$ns" ] &&
				kill -9 "${p#/proc/}" 2>/dev/null
		done
	done
	for ns in "$@"; do
		[ -n "$ns" ] && dels+="netns del $ns"$'\n'
	done
	[ -n "$dels" ] && ip -force -batch - <<< "$dels" >/dev/null 2>&1
}

cleanup_all_ns()
{
	cleanup_ns "${NS_LIST[@]}"
	NS_LIST=()
}

# bg NS CMD...: start CMD in namespace NS in the background, remember its pid
# for cleanup; the pid is left in $BG_PID.
BG_PID=
bg()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@" >/dev/null 2>&1 &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

kill_bg()
{
	local pid

	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	BG_PIDS=()
}

# Tests may override cleanup() and call cleanup_all_ns themselves.
cleanup()
{
	kill_bg
	cleanup_all_ns
}

trap cleanup EXIT

# now_ms: monotonic-enough wall clock in milliseconds.  Bash's own clock:
# on the debug kernel every exec costs most of a second, and the suite
# reads the clock thousands of times.
now_ms() { local us=${EPOCHREALTIME//[!0-9]/}; echo $((us / 1000)); }

# snooze SECONDS: sleep without an exec (read times out on a pipe that
# only we could write to), for the polling loops; sleep(1) where the
# pipe could not be made.
if ! exec {SNOOZE_FD}<> <(:) 2>/dev/null; then
	SNOOZE_FD=
fi
snooze()
{
	if [ -n "$SNOOZE_FD" ]; then
		read -r -t "$1" -u "$SNOOZE_FD" _
	else
		sleep "$1"
	fi
	return 0
}

# busywait TIMEOUT_MS CMD...: run CMD until it succeeds or TIMEOUT_MS has
# passed; return CMD's last status.  The last output of CMD is echoed.
busywait()
{
	local timeout=$1
	local start out rc

	shift
	start=${EPOCHREALTIME//[!0-9]/}
	while true; do
		out=$("$@")
		rc=$?
		if [ $rc -eq 0 ]; then
			[ -n "$out" ] && echo "$out"
			return 0
		fi
		if [ $(((${EPOCHREALTIME//[!0-9]/} - start) / 1000)) -ge "$timeout" ]; then
			[ -n "$out" ] && echo "$out"
			return $rc
		fi
		snooze 0.05
	done
}

# ---------------------------------------------------------------------------
# mgre helpers

# nsx NS CMD...: run CMD inside NS.  mgrectl enters NS itself (-n NS):
# one exec and no mount namespace less, on a debug kernel most of a
# second a call.  Commands that only use sockets, netlink and /proc
# (ping, sysctl, python3...) enter NS's network namespace alone with
# nsenter, a third cheaper there; the rest (anything that may read
# /sys/class/net) through ip netns exec, which mounts NS's own sysfs.
nsx()
{
	local ns=$1

	shift
	case $1 in
	mgrectl)
		shift
		mgrectl -n "$ns" "$@"
		;;
	ping|python3|sysctl|ethtool|iptables|conntrack|nstat|taskset)
		nsenter --net="/run/netns/$ns" "$@"
		;;
	*)
		ip netns exec "$ns" "$@"
		;;
	esac
}

# mgrectl_ns NS ARGS...: mgrectl inside NS with a CPU time and memory
# bound, so that a dump that never ends fails the test instead of hanging
# it or exhausting the VM's memory (a dump that stops without its end
# blocks until the test's own timeout).  The bound stretches with the time
# scale, as a large dump on a debug kernel is that much slower too.  Shell
# limits, not timeout(1): an exec is most of a second on the debug kernel.
MGRE_CMD_TIMEOUT=${MGRE_CMD_TIMEOUT:-$((30 * TIME_SCALE))}
mgrectl_ns()
{
	local ns=$1

	shift
	(ulimit -v 1048576 -t "$MGRE_CMD_TIMEOUT"; exec mgrectl -n "$ns" "$@")
}

# mgre_stat NS NAME: sum of every numeric field NAME (at any depth) in
# `mgrectl -j stats` inside NS; counters per device and per namespace are
# both found, whatever the nesting.  If the JSON does not parse (a tools
# bug that mgre_stats_json_ok reports), the text output is read instead so
# that the kernel's counters are still checked.  Prints 0 when absent.
mgre_stat()
{
	local ns=$1 name=$2 out

	out=$(mgrectl_ns "$ns" -j stats 2>/dev/null |
		jq -r --arg n "$name" \
			'[.. | objects | .[$n]? | numbers] | add // 0' 2>/dev/null)
	if [ -z "$out" ]; then
		out=$(mgrectl_ns "$ns" stats 2>/dev/null |
			awk -v n="$name" '{ for (i = 1; i < NF; i++)
				if ($i == n) s += $(i + 1) } END { print s + 0 }')
	fi
	echo "${out:-0}"
}

# mgre_stats_json_ok NS: `mgrectl -j stats` is valid JSON.
mgre_stats_json_ok()
{
	mgrectl_ns "$1" -j stats | jq -e . >/dev/null
}

# The jq filter that makes `mgrectl -j show` a flat array of entry objects
# (it accepts a bare array or an object wrapping one).
MGRE_ENTRIES_JQ='if type == "array" then . else
	[.. | arrays | select(length > 0 and (.[0] | type) == "object")] |
	(.[0] // []) end'

# mgre_entries_json NS [ARGS...]: `mgrectl -j show ARGS` as a flat JSON
# array of entry objects.
mgre_entries_json()
{
	local ns=$1

	shift
	mgrectl_ns "$ns" -j show "$@" | jq -c "$MGRE_ENTRIES_JQ"
}

# mgre_entry_json NS PROTO_ADDR: the entry object whose fields contain
# PROTO_ADDR as a value ("" if none).  One jq (each exec costs most of a
# second on the debug kernel).
mgre_entry_json()
{
	local ns=$1 addr=$2

	mgrectl_ns "$ns" -j show | jq -c --arg a "$addr" "$MGRE_ENTRIES_JQ"' |
		[.[] | select([.[]?] | index($a))] | .[0] // empty'
}

# mgre_entry_field NS PROTO_ADDR FIELD: one field of that entry, raw
# ("" if no entry or no such field), in one jq.
mgre_entry_field()
{
	local ns=$1 addr=$2 field=$3

	mgrectl_ns "$ns" -j show | jq -r --arg a "$addr" --arg f "$field" \
		"$MGRE_ENTRIES_JQ"' |
		[.[] | select([.[]?] | index($a))] | .[0][$f] // empty'
}

# mgre_has_entry NS PROTO_ADDR: status 0 if the entry is listed.
mgre_has_entry()
{
	[ -n "$(mgre_entry_json "$1" "$2")" ]
}

# mgre_registered NS PROTO...: NS lists every PROTO as registered.
mgre_registered()
{
	local ns=$1 p

	shift
	for p in "$@"; do
		[ "$(mgre_entry_json "$ns" "$p" | jq -r '.type // empty')" = \
			registered ] || return 1
	done
}

# mgre_shortcut_json NS PREFIX: the shortcut entry for PREFIX ("" if none).
mgre_shortcut_json()
{
	mgre_entries_json "$1" | jq -c --arg p "$2" \
		'[.[] | select(.shortcut and .protocol == $p)] | .[0] // empty'
}

# mgre_has_shortcut NS PREFIX LEN NBMA: a learnt shortcut PREFIX/LEN -> NBMA.
mgre_has_shortcut()
{
	local e

	e=$(mgre_shortcut_json "$1" "$2")
	[ "$(jq -r '"\(.prefix_len) \(.nbma) \(.type)"' <<<"$e" 2>/dev/null)" = \
		"$3 $4 resolved" ]
}

# link_packets NS DEV rx|tx: DEV's packet count in NS, from one ip -n -s -o
# (ip netns exec would also mount a sysfs: twice the time on the debug
# kernel).  Its line is fields split by backslashes: the header, the link
# (maybe more), then RX's names and numbers, then TX's.
link_packets()
{
	local line f i b p want=RX:

	[ "$3" = tx ] && want=TX:
	line=$(ip -n "$1" -s -o link show dev "$2") || return 1
	IFS='\' read -ra f <<< "$line"
	for ((i = 0; i + 1 < ${#f[@]}; i++)); do
		read -r b _ <<< "${f[i]}"
		[ "$b" = "$want" ] || continue
		read -r b p _ <<< "${f[i + 1]}"
		echo "$p"
		return 0
	done
	return 1
}
# link_rx_packets NS DEV / link_tx_packets NS DEV
link_rx_packets() { link_packets "$1" "$2" rx; }
link_tx_packets() { link_packets "$1" "$2" tx; }

# ---------------------------------------------------------------------------
# Hub-and-spoke topology: every node is a namespace with one veth (veth0)
# plugged into bridge br0 of namespace $SW; underlay 192.0.2.OCTET/24,
# overlay 10.0.0.OCTET/24 on mgre0.  IPv6 is off on the underlay so that no
# background traffic (router solicitations, MLD) disturbs packet counters.

UNDERLAY=192.0.2
OVERLAY=10.0.0

# topo_init: the switch namespace $SW with bridge br0.
topo_init()
{
	setup_ns SW || return 1
	ip -n "$SW" link add br0 type bridge &&
		ip -n "$SW" link set br0 up
}

# topo_node VAR OCTET: namespace VAR plugged into the switch.  One ip
# -batch per namespace (an exec is most of a second on the debug kernel).
topo_node()
{
	local var=$1 octet=$2 ns

	new_ns "$var" || return 1
	ns=${!var}
	# Before veth0 exists: it never has IPv6.
	nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$SW" link add "p$octet" master br0 up type veth \
		peer name veth0 netns "$ns" || return 1
	ip -n "$ns" -batch - <<-EOF
		link set lo up
		addr add $UNDERLAY.$octet/24 dev veth0
		link set veth0 up
	EOF
}

# topo_mgre NS OCTET KEY [DEV]: an mgre device through the iproute2 plugin,
# with its overlay address, up.
topo_mgre()
{
	local ns=$1 octet=$2 key=$3 dev=${4:-mgre0}

	run_cmd ip -n "$ns" link add "$dev" type mgre \
		local "$UNDERLAY.$octet" key "$key" || return 1
	ip -n "$ns" -batch - <<-EOF
		addr add $OVERLAY.$octet/24 dev $dev
		link set $dev up
	EOF
}

# topo_map NS PEER_OCTET... : static entries 10.0.0.P -> 192.0.2.P on mgre0.
topo_map()
{
	local ns=$1 p rc=0

	shift
	for p in "$@"; do
		run_cmd nsx "$ns" mgrectl add "$OVERLAY.$p" \
			nbma "$UNDERLAY.$p" dev mgre0 || rc=1
	done
	return $rc
}

# tshark_wanted: decode captures with tshark.  make check-debug sets
# MGRE_TSHARK=0: tshark's first start there reads libwireshark (110 MB)
# through 9p, 150 s under TCG, to check bytes the same code builds on any
# kernel; make check decodes them.
tshark_wanted()
{
	[ "${MGRE_TSHARK:-1}" != 0 ] && command -v tshark >/dev/null
}

# dev_up NS DEV ADDR...: DEV in NS gets each address (an ADDR may carry
# options: "2001:db8::1/64 nodad") and comes up, in one ip -batch.
dev_up()
{
	local ns=$1 dev=$2 a cmds=

	shift 2
	for a in "$@"; do
		cmds+="addr add $a dev $dev"$'\n'
	done
	cmds+="link set $dev up"$'\n'
	ip -n "$ns" -batch - <<< "$cmds"
}

# topo_lan NS ADDR/LEN: a LAN behind a node, lan0 with ADDR; a veth pair
# (lan0, lan0p) inside NS, since debug kernels may lack the dummy driver.
topo_lan()
{
	ip -n "$1" -batch - <<-EOF
		link add lan0 type veth peer name lan0p
		addr add $2 dev lan0
		link set lan0p up
		link set lan0 up
	EOF
}

# ping_ok NS DST: at least 2 of up to a few echo replies within 5 s (times
# the time scale).
ping_ok()
{
	run_cmd nsx "$1" ping -q -c 2 -i 0.2 -w $((5 * TIME_SCALE)) "$2"
}
