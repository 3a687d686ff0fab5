#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 10,000 entries in one device: add over one netlink socket (nl.py addmany),
# dump them all (a multi-part, resumed dump), count, flush; the same number
# of registrations expiring in one second; the device deleted full.  Bulk
# changes are one summary event each, not one event per entry.
# MGRE_SCALE_ENTRIES=N sets the number (make check-debug-scale: a million
# on the debug kernel, which reports any soft lockup or RCU stall).
#
#   netns NS
#   lo     192.0.2.1/32
#   mgre0  local 192.0.2.1 key 42
#          10.64.0.0 .. 10.64.39.15 -> 198.51.100.1 .. 198.51.100.250

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq python3

N=${MGRE_SCALE_ENTRIES:-10000}
NL="python3 $(dirname "$0")/nl.py"
MON=$(mktemp)
trap 'cleanup; rm -f "$MON"' EXIT

# stalls: the kernel's reports of a CPU held too long since the test began
DMESG0=$(dmesg | wc -l)
stalls() { dmesg | tail -n +$((DMESG0 + 1)) | grep -E "soft lockup|rcu.*stall|hung_task|BUG:|WARNING:"; }
# summaries EVENT: the entry counts of the monitor's summaries of EVENT
summaries() { awk -v ev="$1" '$1 == ev && $2 == "summary" { print $6 }' "$MON"; }
# entry_dels: the entry del events, but for the sentinels' and the one the
# dump interruption case adds and deletes
entry_dels() { grep -vE " 10\.(127\.255|250\.0)\." "$MON" | grep -c "^del [0-9]"; }
# mon_sees WORDS: the monitor printed a line starting with WORDS
mon_sees() { grep -qE "^$*( |$)" "$MON"; }

setup_ns NS
ip -n "$NS" addr add 192.0.2.1/32 dev lo
topo_mgre "$NS" 1 42
check_err $? "creating mgre0 failed"
[ "$N" -lt 200000 ] ||
	ip -n "$NS" link set mgre0 type mgre max-entries $((N + 1000))
nsx "$NS" mgrectl monitor > "$MON" 2>&1 &
BG_PIDS+=($!)
# The monitor listens once it reports an entry added after it started.
for i in $(seq 50); do
	nsx "$NS" mgrectl add 10.127.255.254 nbma 198.51.100.99 dev mgre0
	busywait 200 mon_sees add 10.127.255.254 && break
	nsx "$NS" mgrectl del 10.127.255.254 dev mgre0
done
nsx "$NS" mgrectl del 10.127.255.254 dev mgre0
busywait $((5000 * TIME_SCALE)) mon_sees del 10.127.255.254
check_err $? "mgrectl monitor reports no event"
log_test "one mgre device, watched by mgrectl monitor"

t0=$(now_ms)
run_cmd nsx "$NS" $NL addmany mgre0 $N --proto 10.64.0.0 --nbma 198.51.100.0
check_err $? "adding $N entries failed: $CMD_OUT"
log_info "$CMD_OUT ($(($(now_ms) - t0)) ms)"
log_test "add $N entries over one socket"

# Dumps at this size; a million entries would only time jq and python.
test_dumps()
{
	local json n last

	t0=$(now_ms)
	json=$(mgrectl_ns "$NS" -j show dev mgre0)
	check_err $? "mgrectl -j show dev mgre0 failed or did not finish within ${MGRE_CMD_TIMEOUT}s (a dump that never ends?)"
	log_info "dump of $N entries took $(($(now_ms) - t0)) ms"
	n=$(echo "$json" | jq length)
	[ "$n" = "$N" ]
	check_err $? "the dump lists ${n:-no} entries, expected $N"
	n=$(echo "$json" | jq '[.[].protocol] | unique | length')
	[ "$n" = "$N" ]
	check_err $? "the dump lists ${n:-no} distinct protocol addresses, expected $N (duplicates or losses across dump parts)"
	# The last one added: 10.64.0.0 + N - 1 -> 198.51.100.((N - 1) % 250 + 1)
	last=$((N - 1))
	last="10.64.$((last / 256)).$((last % 256)) 198.51.100.$((last % 250 + 1))"
	echo "$json" | jq -e --arg p "${last% *}" --arg n "${last#* }" \
		'[.[] | select(.protocol == $p and .nbma == $n)] | length == 1' >/dev/null
	check_err $? "the last entry ${last% *} -> ${last#* } is missing"
	log_test "mgrectl -j show lists exactly $N entries"

	n=$(mgrectl_ns "$NS" show dev mgre0 | grep -c '^10\.64\.')
	[ "$n" = "$N" ]
	check_err $? "the plain listing has ${n:-no} entry lines, expected $N"
	log_test "mgrectl show (text) lists exactly $N entries"

	n=$(mgrectl_ns "$NS" -j show dev mgre0 type registered | jq length)
	[ "$n" = 0 ]
	check_err $? "the type filter 'registered' lists ${n:-?} entries, expected 0"
	log_test "dump filtered by type"
}

if [ "$N" -le 100000 ]; then
	test_dumps
else
	log_test_skip "dumps of $N entries" "make check dumps 10,000"
fi

n=$(mgre_stat "$NS" entries)
[ "$n" = "$N" ]
check_err $? "mgrectl stats reports ${n:-no} entries, expected $N"
log_test "device entry count is $N"

# (Address ranges apart at any size: the N static entries from 10.64.0.0,
# these from 10.200.0.0, the N registrations below from 10.100.0.0.)
run_cmd nsx "$NS" $NL addmany mgre0 5 --proto 10.200.0.0 --type 1 \
	--holdtime 600
check_err $? "adding 5 registered entries failed"
run_cmd nsx "$NS" mgrectl flush dev mgre0 type registered
check_err $? "mgrectl flush type registered failed"
n=$(mgre_stat "$NS" entries)
[ "$n" = "$N" ]
check_err $? "flush by type left ${n:-?} entries, expected the $N static ones"
busywait $((5000 * TIME_SCALE)) mon_sees del summary dev mgre0 entries 5 type registered
check_err $? "no summary event for the flush by type: $(grep summary "$MON")"
! grep -q "^del 10\.200\." "$MON"
check_err $? "the flush reported its entries one by one as well"
log_test "flush by type removes only that type, one summary event"

test_dump_intr()
{
	local out

	out=$(nsx "$NS" $NL dumpintr mgre0)
	log_info "quiet dump: $out"
	case $out in "intr=0 entries=$N "*) true ;; *) false ;; esac
	check_err $? "a dump with no change in between was flagged or incomplete: $out"
	out=$(nsx "$NS" $NL dumpintr mgre0 change)
	log_info "dump with an add in the middle: $out"
	case $out in intr=1*) true ;; *) false ;; esac
	check_err $? "a dump interrupted by an add was not flagged NLM_F_DUMP_INTR: $out"
	nsx "$NS" mgrectl del 10.250.0.1 dev mgre0
	log_test "dumps resume across parts and flag interruption (NLM_F_DUMP_INTR)"
}

if [ "$N" -le 100000 ]; then
	test_dump_intr
else
	log_test_skip "dump interruption at $N entries" "make check tests it at 10,000"
fi

run_cmd nsx "$NS" mgrectl flush dev mgre0
check_err $? "mgrectl flush failed"
n=$(mgrectl_ns "$NS" -j show dev mgre0 | jq length)
[ "$n" = 0 ]
check_err $? "${n:-?} entries listed after flush"
n=$(mgre_stat "$NS" entries)
[ "$n" = 0 ]
check_err $? "mgrectl stats reports ${n:-?} entries after flush"
busywait $((5000 * TIME_SCALE)) mon_sees del summary dev mgre0 entries $N
check_err $? "no summary event for the flush of $N: $(grep summary "$MON")"
n=$(entry_dels)
[ "$n" = 0 ]
check_err $? "the flush reported $n entries one by one as well"
log_test "flush removes all $N entries, one summary event"

# Registrations that all fall due in one second: the expiry reports the
# first ones one by one and the rest in summaries, every entry once.
HOLD=$((5 * HOLD_SCALE))
t0=$(now_ms)
run_cmd nsx "$NS" $NL addmany mgre0 $N --proto 10.100.0.0 --type 1 \
	--holdtime $HOLD --window 256
check_err $? "adding $N registrations failed"
add_ms=$(($(now_ms) - t0 + 1))
log_info "added $N registrations in $add_ms ms"
gone() { [ "$(mgre_stat "$NS" entries)" = 0 ]; }
busywait $(((HOLD + 30) * 1000 * TIME_SCALE)) gone
check_err $? "$(mgre_stat "$NS" entries) registrations left $((HOLD + 30)) s after their holdtime"
log_info "all expired $(($(now_ms) - t0)) ms after the first was added"
# Nothing else expires here.  (A summary goes out after the expiry pass
# has dropped the lock, so it may come after the count reads 0.)
reported() {
	one=$(grep -c "^expire [0-9]" "$MON")
	sum=$(summaries expire | awk '{ s += $1 } END { print s + 0 }')
	[ $((one + sum)) -ge "$N" ]
}
busywait $((5000 * TIME_SCALE)) reported
reported	# again, in this shell: busywait ran it in a subshell
log_info "expiry events: $one one by one, $sum in $(summaries expire | wc -l) summaries"
[ $((one + sum)) = "$N" ]
check_err $? "$one + $sum expiries reported for $N registrations"
# Added faster than 512 a second, some second had more than 256 due.
if [ $((N * 1000 / add_ms)) -gt 512 ]; then
	[ "$sum" -gt 0 ]
	check_err $? "$N entries expiring together were all reported one by one"
fi
! grep -q overrun "$MON"
check_err $? "the monitor's socket overran"
log_test "$N registrations expire together: every one reported once, in bulk past 256"

# The device deleted full: its cache goes in batches, with no event per
# entry and no CPU held long enough for the kernel to report it.
run_cmd nsx "$NS" $NL addmany mgre0 $N --proto 10.64.0.0 --nbma 198.51.100.0
check_err $? "adding $N entries again failed"
t0=$(now_ms)
run_cmd ip -n "$NS" link del mgre0
check_err $? "deleting mgre0 failed"
log_info "mgre0 with $N entries deleted in $(($(now_ms) - t0)) ms"
sleep 1
n=$(entry_dels)
[ "$n" = 0 ]
check_err $? "deleting the device reported $n entries one by one"
out=$(stalls)
[ -z "$out" ]
check_err $? "the kernel reported: $(echo "$out" | head -3)"
log_test "device deleted with $N entries: no event per entry, no stall reported"

tests_done
