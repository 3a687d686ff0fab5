#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 10,000 entries in one device: add over one netlink socket (nl.py addmany),
# dump them all (a multi-part, resumed dump), count, flush.
#
#   netns NS
#   lo     192.0.2.1/32
#   mgre0  local 192.0.2.1 key 42
#          10.64.0.0 .. 10.64.39.15 -> 198.51.100.1 .. 198.51.100.250

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq python3

N=10000
NL="python3 $(dirname "$0")/nl.py"

setup_ns NS
ip -n "$NS" addr add 192.0.2.1/32 dev lo
topo_mgre "$NS" 1 42
check_err $? "creating mgre0 failed"
log_test "one mgre device"

t0=$(now_ms)
run_cmd nsx "$NS" $NL addmany mgre0 $N --proto 10.64.0.0 --nbma 198.51.100.0
check_err $? "adding $N entries failed: $CMD_OUT"
log_info "$CMD_OUT ($(($(now_ms) - t0)) ms)"
log_test "add $N entries over one socket"

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
echo "$json" | jq -e '[.[] | select(.protocol == "10.64.39.15" and .nbma == "198.51.100.250")] | length == 1' >/dev/null
check_err $? "the last entry 10.64.39.15 -> 198.51.100.250 is missing"
log_test "mgrectl -j show lists exactly $N entries"

n=$(mgrectl_ns "$NS" show dev mgre0 | grep -c '^10\.64\.')
[ "$n" = "$N" ]
check_err $? "the plain listing has ${n:-no} entry lines, expected $N"
log_test "mgrectl show (text) lists exactly $N entries"

n=$(mgrectl_ns "$NS" -j show dev mgre0 type registered | jq length)
[ "$n" = 0 ]
check_err $? "the type filter 'registered' lists ${n:-?} entries, expected 0"
log_test "dump filtered by type"

n=$(mgre_stat "$NS" entries)
[ "$n" = "$N" ]
check_err $? "mgrectl stats reports ${n:-no} entries, expected $N"
log_test "device entry count is $N"

run_cmd nsx "$NS" $NL addmany mgre0 5 --proto 10.65.0.0 --type 1 \
	--holdtime 600
check_err $? "adding 5 registered entries failed"
run_cmd nsx "$NS" mgrectl flush dev mgre0 type registered
check_err $? "mgrectl flush type registered failed"
n=$(mgrectl_ns "$NS" -j show dev mgre0 | jq length)
[ "$n" = "$N" ]
check_err $? "flush by type left ${n:-?} entries, expected the $N static ones"
log_test "flush by type removes only that type"

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

run_cmd nsx "$NS" mgrectl flush dev mgre0
check_err $? "mgrectl flush failed"
n=$(mgrectl_ns "$NS" -j show dev mgre0 | jq length)
[ "$n" = 0 ]
check_err $? "${n:-?} entries left after flush"
n=$(mgre_stat "$NS" entries)
[ "$n" = 0 ]
check_err $? "mgrectl stats reports ${n:-?} entries after flush"
log_test "flush removes all $N entries"

tests_done
