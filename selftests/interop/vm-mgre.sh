#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Side A of the FRR nhrpd interop test (vm-both.sh runs it beside side B,
# vm-frr.sh, in one VM): the mgre side.  Loads mgre.ko from $MGRE_STAGE
# unless loaded and builds, in network namespaces bridged onto the link to
# side B:
#
#   HUB  192.0.2.1   mgre0 10.0.0.1/24   key 42, NHS of network 1
#   SP1  192.0.2.11  mgre0 10.0.0.11/24  key 42, nhs 10.0.0.1 nbma 192.0.2.1
#   SP2  192.0.2.12  mgre0 10.0.0.12/24  key 43, nhs dynamic nbma 192.0.2.2
#                                        (the FRR hub of side B)
#
# Each node's underlay (veth0) is captured to $INTEROP_OUT/a-<node>.pcap
# for the host's tshark checks.  TAP output through ../lib.sh.

SELF=$(cd "$(dirname "$0")" && pwd)
source "$SELF/../lib.sh"
INTEROP_ME=a INTEROP_PEER=b
source "$SELF/interop_lib.sh"

T0=$(date +%s)
STAGE=${MGRE_STAGE:-$(dirname "$(dirname "$SELF")")}
export PATH="$STAGE/tools:$PATH"
export IP_LIB_DIR="$STAGE/tools"
CAP_PIDS=()

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
require_cmd ip jq ping tcpdump mgrectl

cleanup()
{
	local pid

	for pid in "${CAP_PIDS[@]}"; do
		kill -INT "$pid" 2>/dev/null
	done
	kill_bg
	cleanup_all_ns
	mark a-done 2>/dev/null
}
trap cleanup EXIT

entry_field()
{
	mgre_entry_json "$1" "$2" | jq -r ".$3 // empty"
}

nhs_field()
{
	mgrectl_ns "$1" -j nhs | jq -r ".[0].$2 // empty"
}

# traffic NS DIRECTION NAME: an NHRP counter of mgre0 in NS.
traffic()
{
	mgrectl_ns "$1" -j traffic |
		jq -r --arg d "$2" --arg n "$3" '[.devices[0][$d][$n] // 0] | add'
}

# entry_is NS PROTO TYPE NBMA
entry_is()
{
	local e

	e=$(mgre_entry_json "$1" "$2")
	[ "$(echo "$e" | jq -r '.type // empty')" = "$3" ] &&
		[ "$(echo "$e" | jq -r '.nbma // empty')" = "$4" ]
}

nhs_up() { [ "$(nhs_field "$1" state)" = up ]; }

# capture NAME NS: record the node's underlay for the host.
capture()
{
	ip netns exec "$2" tcpdump -i veth0 -U -n -s 0 -Z root \
		-w "$OUT/a-$1.pcap" 'ip proto 47' >/dev/null 2>"$OUT/a-$1.tcpdump.log" &
	CAP_PIDS+=($!)
}

show_state()
{
	local ns

	for ns in "$@"; do
		echo "# --- $ns"
		{ mgrectl_ns "$ns" show; mgrectl_ns "$ns" nhs
		  mgrectl_ns "$ns" traffic; } 2>&1 | comment
	done
}

# add_ipv6 NS OCTET: IPv6 on the tunnel as well (lib.sh turns it off for
# new devices), $OVERLAY6::OCTET/64.
add_ipv6()
{
	nsx "$1" sysctl -qw net.ipv6.conf.mgre0.disable_ipv6=0
	ip -n "$1" addr add "$OVERLAY6::$2/64" dev mgre0
}

test_setup()
{
	local out

	if [ ! -d /sys/module/mgre ]; then
		modprobe gre
		out=$(insmod "$STAGE/mgre.ko" 2>&1)
		check_err $? "insmod mgre.ko failed: $out"
	fi
	modprobe veth; modprobe bridge
	underlay_init "$MAC_A"
	check_err $? "no underlay towards side B"
	topo_node HUB 1 && topo_node SP1 11 && topo_node SP2 12
	check_err $? "namespaces"
	capture hub "$HUB"; capture sp1 "$SP1"; capture sp2 "$SP2"

	run_cmd ip -n "$HUB" link add mgre0 type mgre local "$UNDERLAY.1" \
		key 42 network-id 1 holdtime 60
	check_err $? "mgre hub"
	ip -n "$HUB" addr add "$OVERLAY.1/24" dev mgre0
	add_ipv6 "$HUB" 1
	ip -n "$HUB" link set mgre0 up
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1

	run_cmd ip -n "$SP1" link add mgre0 type mgre local "$UNDERLAY.11" \
		key 42 network-id 1 holdtime 60 nhs "$OVERLAY.1" \
		nbma "$UNDERLAY.1"
	check_err $? "mgre spoke 1"
	ip -n "$SP1" addr add "$OVERLAY.11/24" dev mgre0
	add_ipv6 "$SP1" 11
	ip -n "$SP1" link set mgre0 up

	# Spoke 2's NHS is the FRR hub: its link goes up once that runs, so
	# that registration does not start in the middle of a backoff.
	run_cmd ip -n "$SP2" link add mgre0 type mgre local "$UNDERLAY.12" \
		key 43 network-id 1 holdtime 60 nhs dynamic nbma "$UNDERLAY.2"
	check_err $? "mgre spoke 2"
	ip -n "$SP2" addr add "$OVERLAY.12/24" dev mgre0
	add_ipv6 "$SP2" 12

	busywait 5000 entry_is "$HUB" "$OVERLAY.11" registered "$UNDERLAY.11" >/dev/null
	check_err $? "mgre spoke 1 did not register with the mgre hub"
	log_test "setup: mgre hub and spokes, underlay bridged to side B"
}

test_frr_spoke_registers()
{
	local e

	busywait 60000 entry_is "$HUB" "$OVERLAY.21" registered "$UNDERLAY.21" >/dev/null
	check_err $? "mgre hub has no registered entry 10.0.0.21 -> 192.0.2.21"
	e=$(mgre_entry_json "$HUB" "$OVERLAY.21")
	log_info "hub entry: $e"
	[ "$(echo "$e" | jq -r '.holdtime // empty')" = 60 ]
	check_err $? "entry does not carry FRR's holdtime 60"
	echo "$e" | jq -e '.flags | index("unique")' >/dev/null
	check_err $? "FRR registered with U set but the entry is not unique"
	[ "$(traffic "$HUB" sent registration-reply)" -ge 1 ]
	check_err $? "hub counted no Registration Reply sent"
	log_test "a: FRR spoke (nhs dynamic) registers with the mgre hub: 10.0.0.21 -> 192.0.2.21 registered"
}

test_mgre_spoke_registers()
{
	busywait 60000 nhs_up "$SP2"
	check_err $? "mgre spoke 2's NHS (FRR hub) is not up: state $(nhs_field "$SP2" state), last code $(nhs_field "$SP2" last_code)"
	[ "$(nhs_field "$SP2" protocol)" = "$OVERLAY.2" ]
	check_err $? "did not learn the FRR hub's tunnel address 10.0.0.2 (got '$(nhs_field "$SP2" protocol)')"
	[ "$(nhs_field "$SP2" nbma)" = "$UNDERLAY.2" ]
	check_err $? "NHS NBMA address is not 192.0.2.2"
	log_info "nhs: $(mgrectl_ns "$SP2" -j nhs | jq -c '.[0]')"
	log_test "b: mgre spoke registers with the FRR hub: mgrectl nhs says up, hub 10.0.0.2 learnt"
}

test_frr_spoke_registers6()
{
	busywait 60000 entry_is "$HUB" "$OVERLAY6::21" registered "$UNDERLAY.21" >/dev/null
	check_err $? "mgre hub has no registered entry $OVERLAY6::21 -> 192.0.2.21: $(mgrectl_ns "$HUB" show | tr '\n' ' ')"
	log_info "hub entry: $(mgre_entry_json "$HUB" "$OVERLAY6::21")"
	log_test "a6: FRR spoke registers its IPv6 address (0x86DD) with the mgre hub"
}

test_mgre_spoke_registers6()
{
	# The FRR hub's reply to our IPv6 registration names its address.
	busywait 30000 entry_is "$SP2" "$OVERLAY6::2" resolved "$UNDERLAY.2" >/dev/null
	check_err $? "mgre spoke 2 has no mapping $OVERLAY6::2 -> 192.0.2.2 from the FRR hub's reply"
	log_info "spoke 2 entry: $(mgre_entry_json "$SP2" "$OVERLAY6::2")"
	log_test "b6: mgre spoke registers its IPv6 address with the FRR hub and learns the hub's"
}

# resolve_and_ping NS DST NBMA: the first pings trigger the resolution, then
# the entry must be resolved to NBMA and pings must all come back.
resolve_and_ping()
{
	local ns=$1 dst=$2 nbma=$3

	run_cmd nsx "$ns" ping -c 5 -i 0.3 -W 2 "$dst"
	log_info "first pings (resolution under way): status $?"
	busywait 8000 entry_is "$ns" "$dst" resolved "$nbma" >/dev/null
	check_err $? "no resolved entry $dst -> $nbma: $(mgre_entry_json "$ns" "$dst")"
	log_info "entry: $(mgre_entry_json "$ns" "$dst")"
	[ "$(traffic "$ns" sent resolution-request)" -ge 1 ] &&
		[ "$(traffic "$ns" received resolution-reply)" -ge 1 ]
	check_err $? "no Resolution Request/Reply counted"
	run_cmd nsx "$ns" ping -c 10 -i 0.2 -W 2 -w 15 "$dst"
	check_err $? "ping $dst over the shortcut lost packets"
}

test_resolve_via_mgre_hub()
{
	resolve_and_ping "$SP1" "$OVERLAY.21" "$UNDERLAY.21"
	log_test "c1: mgre spoke resolves the FRR spoke through the mgre hub and pings it directly"
}

test_resolve6_via_mgre_hub()
{
	resolve_and_ping "$SP1" "$OVERLAY6::21" "$UNDERLAY.21"
	log_test "c6: mgre spoke resolves the FRR spoke's IPv6 address through the mgre hub and pings it directly"
}

test_resolve_via_frr_hub()
{
	await b-fsp2-registered 60000
	check_err $? "FRR spoke 2 never registered with the FRR hub"
	resolve_and_ping "$SP2" "$OVERLAY.22" "$UNDERLAY.22"
	mark a-c2-pinged
	log_test "c2: mgre spoke resolves the FRR spoke through the FRR hub (FRR answers) and pings it directly"
}

# After side B resolved us through its hub: the Resolution Request FRR
# forwarded was answered by mgre spoke 2.
test_answered_frr()
{
	await b-c2-done 90000
	check_err $? "side B did not finish its shortcut test"
	[ "$(traffic "$SP2" received resolution-request)" -ge 1 ]
	check_err $? "mgre spoke 2 received no Resolution Request from FRR"
	[ "$(traffic "$SP2" sent resolution-reply)" -ge 1 ]
	check_err $? "mgre spoke 2 sent no Resolution Reply"
	busywait 3000 entry_is "$SP2" "$OVERLAY.22" resolved "$UNDERLAY.22" >/dev/null
	check_err $? "mgre spoke 2 lost its entry for the FRR spoke"
	log_test "c2: mgre spoke answers FRR's Resolution Requests"
}

# Nothing FRR sent was dropped by mgre as malformed or unsupported.
test_no_drops()
{
	local ns drops bad=""

	for ns in "$HUB" "$SP1" "$SP2"; do
		drops=$(mgrectl_ns "$ns" -j traffic |
			jq -c '.devices[0].dropped // {} | with_entries(select(.value > 0))')
		log_info "${ns%%-*} drops: $drops"
		# A late answer to a lapsed request is not FRR's fault.
		drops=$(echo "$drops" | jq -c 'del(.unexpected)')
		[ "$drops" = "{}" ] || bad="$bad ${ns%%-*}:$drops"
	done
	[ -z "$bad" ]
	check_err $? "mgre dropped NHRP packets:$bad"
	log_test "mgre dropped none of FRR's NHRP packets (Traffic Indications included)"
}

test_setup
mark a-ready
await b-ready 150000
check_err $? "side B's FRR daemons never came up"
log_test "sync: side B's FRR hub and spokes are up"
ip -n "$SP2" link set mgre0 up

test_frr_spoke_registers
test_mgre_spoke_registers
test_frr_spoke_registers6
test_mgre_spoke_registers6
mark a-registered
test_resolve_via_mgre_hub
test_resolve6_via_mgre_hub
test_resolve_via_frr_hub
test_answered_frr
test_no_drops
show_state "$HUB" "$SP1" "$SP2"
test_dmesg_clean "kernel log clean (side A)"
# Let the captures flush before the host reads them.
for pid in "${CAP_PIDS[@]}"; do kill -INT "$pid" 2>/dev/null; done
sleep 1
CAP_PIDS=()
tests_done
