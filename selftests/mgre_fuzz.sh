#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzzing in the VM while traffic flows: mutated and random NHRP and GRE
# packets at a hub and at a spoke, then random generic netlink messages at
# the family; afterwards the caches must be consistent and the tunnel
# working.  The runner's dmesg scan catches any splat.
#
#   hub (NHS)             spoke1 (NHC)          fuzzer
#   mgre0 10.0.0.1/24     mgre0 10.0.0.11/24    (raw sockets)
#   veth0 192.0.2.1       veth0 192.0.2.11      veth0 192.0.2.13
#     |                     |                     |
#     +---- p1 -------- br0 (netns SW) ------- p13 +
#                           p11
#
# mgre-timeout: 600

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq python3 ping

INJECT="$LIB_DIR/nhrp_inject.py"
# make check's size: the two took 273 s of its 29 minutes at 60,000 and
# 40,000 (a message costs ~3.5 ms under TCG here); make fuzz-vm runs them
# at 100,000 per target and 100,000 messages.
PACKETS=${MGRE_FUZZ_PACKETS:-25000}	# per target: 50,000 in all
MESSAGES=${MGRE_FUZZ_MESSAGES:-15000}

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node FZ 13 || return 1
	run_cmd ip -n "$HUB" link add mgre0 type mgre local "$UNDERLAY.1" \
		key 42 network-id 1 holdtime 60 || return 1
	dev_up "$HUB" mgre0 "$OVERLAY.1/24" || return 1
	run_cmd ip -n "$S1" link add mgre0 type mgre local "$UNDERLAY.11" \
		key 42 network-id 1 holdtime 60 nhs "$OVERLAY.1" \
		nbma "$UNDERLAY.1" || return 1
	dev_up "$S1" mgre0 "$OVERLAY.11/24"
}

entry_count()
{
	mgrectl_ns "$1" -j stats dev mgre0 | jq '[.devices[0].entries] | add'
}

# cache_consistent NS: the device's entry count agrees with what a dump
# lists, and every entry is well formed.  Fuzzed registrations keep
# expiring afterwards and nothing adds entries any more, so the count
# before the dump bounds it from above and the count after from below.
cache_consistent()
{
	local ns=$1 dump n c1 c2 bad

	c1=$(entry_count "$ns")
	dump=$(mgrectl_ns "$ns" -j show dev mgre0) || return 1
	c2=$(entry_count "$ns")
	n=$(echo "$dump" | jq length)
	[ "$c1" -ge "$n" ] && [ "$n" -ge "$c2" ] || {
		log_info "$ns: dump lists $n, count says $c1 before and $c2 after"
		return 1
	}
	bad=$(echo "$dump" | jq '[.[] | select(
		(.type | IN("static","registered","resolved","incomplete",
			    "negative","local") | not) or
		(.type != "incomplete" and .nbma == "0.0.0.0") or
		(.type != "static" and (.holdtime // 0) == 0))] | length')
	[ "$bad" = 0 ] || {
		log_info "$ns: $bad malformed entries"
		return 1
	}
}

registered() { mgre_has_entry "$HUB" "$OVERLAY.11"; }

test_packets()
{
	local out drops

	busywait $((5000 * TIME_SCALE)) registered
	check_err $? "precondition: spoke1 did not register"
	# Traffic through the tunnel the whole time.
	ip netns exec "$S1" ping -q -i 0.05 "$OVERLAY.1" >/dev/null 2>&1 &
	BG_PIDS+=($!)

	out=$(nsx "$FZ" python3 "$INJECT" barrage --to "$UNDERLAY.1" \
		--key 42 --src-nbma "$UNDERLAY.13" --count "$PACKETS" --seed 11)
	check_err $? "injector at the hub failed: $out"
	log_info "at the hub: $out"
	out=$(nsx "$FZ" python3 "$INJECT" barrage --to "$UNDERLAY.11" \
		--key 42 --src-nbma "$UNDERLAY.13" --count "$PACKETS" --seed 12)
	check_err $? "injector at the spoke failed: $out"
	log_info "at spoke1: $out"

	drops=$(mgrectl_ns "$HUB" -j traffic | jq '[.devices[0].dropped[]] | add // 0')
	log_info "hub counted $drops NHRP drops"
	[ "$drops" -ge $((PACKETS / 3)) ]
	check_err $? "hub counted only $drops drops for $PACKETS fuzzed packets"
	busywait $((10000 * TIME_SCALE)) cache_consistent "$HUB" &&
		busywait $((10000 * TIME_SCALE)) cache_consistent "$S1"
	check_err $? "cache inconsistent after the packet fuzz"
	registered
	check_err $? "spoke1's registration lost in the fuzz"
	ping_ok "$S1" "$OVERLAY.1"
	check_err $? "the tunnel stopped working after the packet fuzz"
	log_test "$((2 * PACKETS)) fuzzed NHRP/GRE packets at a hub and a spoke under traffic"
}

test_netlink()
{
	local out

	local t0=$(now_ms)
	out=$(nsx "$HUB" python3 "$LIB_DIR/genl_fuzz.py" "$MESSAGES" 5)
	check_err $? "generic netlink fuzz: errors without an extack message"
	echo "$out" | comment
	log_info "$MESSAGES messages in $(( ($(now_ms) - t0) / 1000 )) s"
	# The fuzz may have flushed the spoke's registration, which comes back
	# at its next renewal: compare only between changes.
	busywait $((10000 * TIME_SCALE)) cache_consistent "$HUB"
	check_err $? "cache inconsistent after the netlink fuzz"
	run_cmd nsx "$HUB" mgrectl add 10.0.0.77 nbma 192.0.2.77 dev mgre0 \
		replace &&
		run_cmd nsx "$HUB" mgrectl add 10.0.0.77 nbma 192.0.2.78 \
			dev mgre0 replace &&
		[ "$(mgre_entry_json "$HUB" 10.0.0.77 | jq -r .nbma)" = 192.0.2.78 ]
	check_err $? "the family does not work after the fuzz (add, replace)"
	log_test "$MESSAGES fuzzed generic netlink messages, every family error explained"
}

trap cleanup EXIT

setup
check_err $? "topology setup failed"
log_test "hub and spoke with NHRP"
test_packets
test_netlink

tests_done
