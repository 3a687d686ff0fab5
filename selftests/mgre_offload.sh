#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offloads: mgre0 advertises scatter-gather, checksum offload, TSO and GSO
# as ip_gre does, so TCP hands it super-packets and GSO of GRE cuts them
# after encapsulation.  Every transfer here is checked byte for byte at the
# receiver (SHA-256 of what was sent and what arrived), with TSO on and off,
# IPv4 and IPv6 inside, with segmentation and checksums done in software
# (every veth's offloads off), spoke to spoke over a resolved entry and over
# a phase 3 shortcut, and as a UDP GSO packet to a multicast group.
#
#   hub (NHS, redirect on,   spoke1 (shortcut on)     spoke2 (shortcut on)
#        mcast-dynamic on)
#   mgre0 10.0.0.1/24        mgre0 10.0.0.11/24       mgre0 10.0.0.12/24
#         2001:db8::1/64           2001:db8::11/64          2001:db8::12/64
#                            lan0 198.51.100.1/25     lan0 198.51.100.129/25
#   veth0 192.0.2.1          veth0 192.0.2.11         veth0 192.0.2.12
#
# A TSO super-packet crosses the underlay's veths whole (they take GSO of
# GRE), so with TSO on the sender's veth0 carries frames longer than its
# MTU on average; with TSO off every frame fits the MTU.
#
# mgre-timeout: 420

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping python3 ethtool

BULK="$LIB_DIR/bulk.py"
TMP=$(mktemp -d /tmp/mgre-offload.XXXXXX)
V6=2001:db8:
BYTES=$((4 * 1024 * 1024))
PORT=5001
GROUP=239.1.2.3
SEGS=16
SEGSIZE=1000
# The longest frame a veth sends unsegmented: the MTU and Ethernet's header
# (its byte counters count frames).
FRAME=$((1500 + 14))

node()
{
	local ns=$1 octet=$2 lan=$3

	shift 3
	run_cmd ip -n "$ns" link add mgre0 type mgre local "$UNDERLAY.$octet" \
		key 42 network-id 1 holdtime $((30 * TIME_SCALE)) "$@" ||
		return 1
	nsx "$ns" sysctl -qw net.ipv6.conf.mgre0.disable_ipv6=0 &&
		dev_up "$ns" mgre0 "$OVERLAY.$octet/24" "$V6:$octet/64 nodad" || return 1
	[ -z "$lan" ] && return 0
	topo_lan "$ns" "$lan" &&
		ip -n "$ns" route add 198.51.100.0/24 via "$OVERLAY.1"
}

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 || return 1
	node "$HUB" 1 "" redirect on mcast-dynamic on &&
		node "$S1" 11 198.51.100.1/25 shortcut on \
			nhs "$OVERLAY.1" nbma "$UNDERLAY.1" &&
		node "$S2" 12 198.51.100.129/25 shortcut on \
			nhs "$OVERLAY.1" nbma "$UNDERLAY.1" || return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.mgre0.send_redirects=0 &&
		ip -n "$HUB" route add 198.51.100.0/25 via "$OVERLAY.11" &&
		ip -n "$HUB" route add 198.51.100.128/25 via "$OVERLAY.12"
}

registered()
{
	mgre_registered "$HUB" "$OVERLAY.11" "$OVERLAY.12" "$V6:11" "$V6:12"
}

# veth_stats NS: "tx_packets tx_bytes" of NS's veth0.
veth_stats()
{
	echo "$(link_tx_packets "$1" veth0)" \
		"$(nsx "$1" cat /sys/class/net/veth0/statistics/tx_bytes)"
}

# csum_errors NS: TCP segments NS dropped for a bad checksum, so far.
csum_errors()
{
	nsx "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' \
		/proc/net/snmp
}

# transfer SRC_NS DST_NS DST_ADDR: BYTES over TCP from SRC_NS to DST_ADDR
# in DST_NS; succeeds when all of it arrived unchanged.  Leaves the average
# length of the packets SRC_NS's veth0 sent meanwhile in $AVG.
transfer()
{
	local sns=$1 dns=$2 daddr=$3 pid rx tx p0 b0 p1 b1

	AVG=0
	rm -f "$TMP/ready"
	BULK_READY=$TMP/ready nsx "$dns" python3 "$BULK" tcp-recv "$daddr" \
		"$PORT" $((60 * TIME_SCALE)) > "$TMP/rx" 2>&1 &
	pid=$!
	busywait $((10000 * TIME_SCALE)) ls "$TMP/ready" >/dev/null 2>&1
	read -r p0 b0 < <(veth_stats "$sns")
	tx=$(nsx "$sns" timeout $((90 * TIME_SCALE)) python3 "$BULK" \
		tcp-send "$daddr" "$PORT" "$BYTES" 2>&1)
	wait "$pid"
	read -r p1 b1 < <(veth_stats "$sns")
	rx=$(cat "$TMP/rx")
	[ "$p1" -gt "$p0" ] && AVG=$(((b1 - b0) / (p1 - p0)))
	log_info "$daddr: sent $tx"
	log_info "$daddr: got  $rx ($((p1 - p0)) underlay packets, $AVG bytes on average)"
	[ -n "$tx" ] && [ "$tx" = "$rx" ] && [ "${tx%% *}" = "$BYTES" ]
}

# tso NS on|off: TCP segmentation offload of NS's mgre0.
tso() { run_cmd ip netns exec "$1" ethtool -K mgre0 tso "$2"; }

test_setup()
{
	setup
	check_err $? "hub and two dual-stack spokes"
	busywait $((10000 * TIME_SCALE)) registered
	check_err $? "spokes did not register both addresses"
	log_test "hub (redirect, mcast-dynamic) and two dual-stack spokes (shortcut)"
}

test_features()
{
	local f

	run_cmd nsx "$S1" ethtool -k mgre0
	for f in scatter-gather tx-checksumming tcp-segmentation-offload \
		 generic-segmentation-offload generic-receive-offload; do
		grep -q "^$f: on" <<<"$CMD_OUT"
		check_err $? "ethtool -k mgre0: $f is not on"
	done
	for f in sg tx tso gso; do
		run_cmd nsx "$S1" ethtool -K mgre0 "$f" off
		check_err $? "ethtool -K mgre0 $f off"
	done
	run_cmd nsx "$S1" ethtool -k mgre0
	grep -q '^tcp-segmentation-offload: off' <<<"$CMD_OUT" &&
		grep -q '^scatter-gather: off' <<<"$CMD_OUT"
	check_err $? "ethtool -K did not turn the offloads off"
	for f in sg tx tso gso; do
		run_cmd nsx "$S1" ethtool -K mgre0 "$f" on
	done
	run_cmd nsx "$S1" ethtool -k mgre0
	grep -q '^tcp-segmentation-offload: on' <<<"$CMD_OUT"
	check_err $? "ethtool -K could not turn TSO back on"
	log_test "ethtool -k shows SG, checksum, TSO and GSO on; ethtool -K turns each off and on"
}

test_tcp_hub()
{
	local a

	for a in "$OVERLAY.1" "$V6:1"; do
		tso "$S1" on
		transfer "$S1" "$HUB" "$a"
		check_err $? "TCP to $a with TSO on: not byte-exact"
		[ "$AVG" -gt "$FRAME" ]
		check_err $? "TSO on: $AVG bytes per underlay frame, none longer than the MTU"
		tso "$S1" off
		transfer "$S1" "$HUB" "$a"
		check_err $? "TCP to $a with TSO off: not byte-exact"
		[ "$AVG" -le "$FRAME" ]
		check_err $? "TSO off: $AVG bytes per underlay frame, over the MTU"
	done
	tso "$S1" on
	log_test "4 MiB TCP to the hub, IPv4 and IPv6 inside, TSO on (super-packets) and off: byte-exact"
}

# offloads NS on|off: checksum and segmentation offloads of every veth
# NS has.
offloads()
{
	local ns=$1 v

	for v in $(nsx "$ns" ls /sys/class/net); do
		case $v in lo|mgre*|br*) continue ;; esac
		nsx "$ns" ethtool -K "$v" tx "$2" rx "$2" >/dev/null 2>&1 ||
			return 1
	done
}

# A second tunnel without a key between spoke1 and the hub: a 4-byte GRE
# header under the same GSO.
test_no_key()
{
	local ns o p

	for ns in "$HUB:1:11" "$S1:11:1"; do
		o=${ns#*:} p=${o#*:} o=${o%%:*} ns=${ns%%:*}
		run_cmd ip -n "$ns" link add mgre1 type mgre \
			local "$UNDERLAY.$o" &&
			ip -n "$ns" addr add "10.1.0.$o/24" dev mgre1 &&
			ip -n "$ns" link set mgre1 up &&
			run_cmd nsx "$ns" mgrectl add "10.1.0.$p" \
				nbma "$UNDERLAY.$p" dev mgre1
		check_err $? "mgre1 without a key"
	done
	run_cmd nsx "$S1" ethtool -k mgre1
	grep -q '^tcp-segmentation-offload: on' <<<"$CMD_OUT"
	check_err $? "mgre1: TSO is not on"
	transfer "$S1" "$HUB" 10.1.0.1
	check_err $? "TCP over a tunnel without a key: not byte-exact"
	[ "$AVG" -gt "$FRAME" ]
	check_err $? "no key: $AVG bytes per underlay frame, no super-packets"
	ip -n "$S1" link del mgre1
	ip -n "$HUB" link del mgre1
	log_test "TSO over a tunnel without a key (4-byte GRE header): byte-exact"
}

test_software()
{
	local ns e0 e1 rc=0

	for ns in "$SW" "$HUB" "$S1" "$S2"; do
		offloads "$ns" off || rc=1
	done
	check_err $rc "ethtool -K tx off rx off on the underlay's veths"
	e0=$(csum_errors "$HUB")
	transfer "$S1" "$HUB" "$OVERLAY.1"
	check_err $? "TCP over IPv4 with software segmentation: not byte-exact"
	transfer "$S1" "$HUB" "$V6:1"
	check_err $? "TCP over IPv6 with software segmentation: not byte-exact"
	e1=$(csum_errors "$HUB")
	log_info "hub: $((e1 - e0)) TCP checksum errors"
	[ "$e1" = "$e0" ]
	check_err $? "the hub dropped $((e1 - e0)) segments with bad checksums"
	for ns in "$SW" "$HUB" "$S1" "$S2"; do
		offloads "$ns" on
	done
	log_test "GSO of GRE cut and checksummed in software (underlay offloads off): byte-exact, checksums verified"
}

hub_bytes() { nsx "$HUB" cat /sys/class/net/veth0/statistics/rx_bytes; }

resolved() { [ "$(mgre_entry_json "$S1" "$1" | jq -r .type)" = resolved ]; }

test_spoke_to_spoke()
{
	local a h0 h1

	for a in "$OVERLAY.12" "$V6:12"; do
		ping_ok "$S1" "$a"
		check_err $? "spoke1 cannot ping $a"
		busywait $((8000 * TIME_SCALE)) resolved "$a"
		check_err $? "spoke1 did not resolve $a"
		h0=$(hub_bytes)
		transfer "$S1" "$S2" "$a"
		check_err $? "TCP spoke to spoke ($a): not byte-exact"
		h1=$(hub_bytes)
		log_info "the hub received $((h1 - h0)) bytes meanwhile"
		[ $((h1 - h0)) -lt $((BYTES / 10)) ]
		check_err $? "the hub received $((h1 - h0)) bytes of a direct transfer"
	done
	log_test "TCP spoke to spoke over resolved entries, IPv4 and IPv6: direct and byte-exact"
}

shortcut_up()
{
	mgre_has_shortcut "$S1" 198.51.100.128 25 "$UNDERLAY.12" >/dev/null
}

test_shortcut()
{
	local t h0 h1

	nsx "$S1" ping -q -c 3 -i 0.3 -w $((10 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129 >/dev/null 2>&1
	busywait $((8000 * TIME_SCALE)) shortcut_up
	check_err $? "spoke1 has no shortcut to 198.51.100.128/25"
	for t in on off; do
		tso "$S1" "$t"
		h0=$(hub_bytes)
		transfer "$S1" "$S2" 198.51.100.129
		check_err $? "TCP over the shortcut, TSO $t: not byte-exact"
		h1=$(hub_bytes)
		[ $((h1 - h0)) -lt $((BYTES / 10)) ]
		check_err $? "TSO $t: the hub received $((h1 - h0)) bytes of a shortcut transfer"
	done
	tso "$S1" on
	log_test "TCP LAN to LAN over a phase 3 shortcut, TSO on and off: direct and byte-exact"
}

# mcast_flagged: the hub replicates to both spokes.
mcast_flagged()
{
	local s

	for s in 11 12; do
		mgre_entry_json "$HUB" "$OVERLAY.$s" |
			jq -e '.flags | index("multicast")' >/dev/null || return 1
	done
}

copies() { mgre_stat "$HUB" tx_mcast_copies; }

test_udp_gso_mcast()
{
	local s ns pids=() ready=() c0 c1 r

	busywait $((8000 * TIME_SCALE)) mcast_flagged
	check_err $? "the hub has not flagged both spokes for multicast"
	rm -f "$TMP/done"
	for s in 11 12; do
		ns=S1
		[ "$s" = 12 ] && ns=S2
		BULK_READY=$TMP/$s.ready BULK_DONE=$TMP/done \
			nsx "${!ns}" python3 "$BULK" gso-recv "$GROUP" 5002 \
			"$OVERLAY.$s" $((30 * TIME_SCALE)) "$SEGSIZE" \
			> "$TMP/$s" 2>&1 &
		pids+=($!)
		ready+=("$TMP/$s.ready")
	done
	busywait $((10000 * TIME_SCALE)) ls "${ready[@]}" >/dev/null 2>&1
	sleep 0.2
	c0=$(copies)
	run_cmd nsx "$HUB" python3 "$BULK" gso-send "$GROUP" 5002 \
		"$OVERLAY.1" "$SEGS" "$SEGSIZE"
	check_err $? "UDP GSO send on the hub"
	sleep 0.5
	touch "$TMP/done"
	wait "${pids[@]}"
	c1=$(copies)
	log_info "hub: $((c1 - c0)) multicast copies for one GSO packet of $SEGS segments"
	for s in 11 12; do
		r=$(cat "$TMP/$s")
		log_info "spoke $OVERLAY.$s: bad, distinct segments: $r"
		[ "$r" = "0 $SEGS" ]
		check_err $? "$OVERLAY.$s received '$r' (bad, distinct) of $SEGS segments"
	done
	# One copy per flagged entry of the whole super-packet, not one per
	# segment: replication ran before segmentation.
	[ $((c1 - c0)) -ge 2 ] && [ $((c1 - c0)) -lt $((2 * SEGS)) ]
	check_err $? "$((c1 - c0)) copies for one GSO packet to 2 spokes"
	log_test "a UDP GSO packet to a group reaches every spoke as intact segments"
}

cleanup()
{
	kill_bg
	cleanup_all_ns
	rm -rf "$TMP"
}
trap cleanup EXIT

test_setup
test_features
test_tcp_hub
test_no_key
test_software
test_spoke_to_spoke
test_shortcut
test_udp_gso_mcast

tests_done
