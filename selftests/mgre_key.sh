#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GRE key mismatch and the drop counters.
#
#   spoke                              hub
#   mgre0 10.0.0.11/24 key 42          mgre0 10.0.0.1/24 key 43
#   veth0 192.0.2.11/24 ------------- veth0 192.0.2.1/24
#                                            192.0.2.2/24 (no tunnel here)
#
# spoke maps 10.0.0.1 -> 192.0.2.1 and 10.0.0.2 -> 192.0.2.2; hub maps
# 10.0.0.11 -> 192.0.2.11.
#   - spoke -> hub: keys differ, pings fail, hub's rx_key_mismatch rises
#   - spoke -> 10.0.0.2: GRE to 192.0.2.2, where no mgre device has that
#     local address: hub netns' rx_no_tunnel rises
#   - spoke -> 10.0.0.99: no entry: spoke's tx_no_entry rises
#   - hub's key set to 42: pings pass (the key was the only problem)

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping

setup()
{
	setup_ns SPOKE HUB || return 1
	ip link add veth0 netns "$SPOKE" type veth peer name veth0 netns "$HUB" ||
		return 1
	ip -n "$SPOKE" addr add 192.0.2.11/24 dev veth0
	ip -n "$HUB" addr add 192.0.2.1/24 dev veth0
	ip -n "$HUB" addr add 192.0.2.2/24 dev veth0
	ip -n "$SPOKE" link set veth0 up
	ip -n "$HUB" link set veth0 up
	topo_mgre "$SPOKE" 11 42 && topo_mgre "$HUB" 1 43 || return 1
	topo_map "$SPOKE" 1 2 && topo_map "$HUB" 11
}

# stat_rises NS NAME CMD...: run CMD, succeed if counter NAME in NS rose.
STAT_BEFORE=0 STAT_AFTER=0
stat_rises()
{
	local ns=$1 name=$2

	shift 2
	STAT_BEFORE=$(mgre_stat "$ns" "$name")
	"$@"
	STAT_AFTER=$(mgre_stat "$ns" "$name")
	log_info "$name: $STAT_BEFORE -> $STAT_AFTER"
	[ "$STAT_AFTER" -gt "$STAT_BEFORE" ]
}

setup
check_err $? "building the topology failed"
log_test "spoke key 42, hub key 43"

out=$(nsx "$HUB" mgrectl -j stats 2>&1)
echo "$out" | comment
echo "$out" | jq -e '.devices[0].stats.rx_key_mismatch' >/dev/null 2>&1
check_err $? "mgrectl -j stats is not valid JSON with devices[].stats.rx_key_mismatch"
echo "$out" | jq -e '.netns.rx_no_tunnel' >/dev/null 2>&1
check_err $? "mgrectl -j stats has no netns.rx_no_tunnel"
log_test "mgrectl -j stats prints valid JSON"

nsx "$SPOKE" ping -q -c 3 -i 0.2 -w 2 10.0.0.1 >/dev/null 2>&1
check_fail $? "spoke reached the hub although their GRE keys differ"
log_test "ping across a key mismatch fails"

stat_rises "$HUB" rx_key_mismatch \
	nsx "$SPOKE" ping -q -c 3 -i 0.2 -w 2 10.0.0.1 >/dev/null 2>&1
check_err $? "hub's rx_key_mismatch did not rise ($STAT_BEFORE -> $STAT_AFTER)"
[ $((STAT_AFTER - STAT_BEFORE)) -ge 3 ]
check_err $? "hub's rx_key_mismatch rose by $((STAT_AFTER - STAT_BEFORE)) for 3 packets"
log_test "rx_key_mismatch counts packets with the wrong key"

stat_rises "$HUB" rx_no_tunnel \
	nsx "$SPOKE" ping -q -c 3 -i 0.2 -w 2 10.0.0.2 >/dev/null 2>&1
check_err $? "hub netns' rx_no_tunnel did not rise ($STAT_BEFORE -> $STAT_AFTER) for GRE to 192.0.2.2"
log_test "rx_no_tunnel counts GRE to an address without a tunnel"

stat_rises "$SPOKE" tx_no_entry \
	nsx "$SPOKE" ping -q -c 3 -i 0.2 -w 2 10.0.0.99 >/dev/null 2>&1
check_err $? "spoke's tx_no_entry did not rise ($STAT_BEFORE -> $STAT_AFTER) for a next hop without entry"
log_test "tx_no_entry counts packets to a next hop without entry"

run_cmd ip -n "$HUB" link set mgre0 type mgre key 42
check_err $? "changing the hub's key with ip link set ... type mgre key 42 failed"
ip -n "$HUB" -d link show mgre0 | grep -q "key 42\b"
check_err $? "ip -d link show does not show the new key 42"
ping_ok "$SPOKE" 10.0.0.1
check_err $? "spoke cannot reach the hub after the keys were made equal"
log_test "with equal keys the tunnel passes traffic"

tests_done
