#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Phase 3, the hub's half: a hub with "redirect on" that forwards a packet
# from the tunnel back into it sends the packet's source a Traffic
# Indication (NHRP type 8, Cisco "ip nhrp redirect"), rate-limited per
# (source, destination) and per device.
#
#   hub (NHS, redirect on)   spoke1                   spoke2
#   mgre0 10.0.0.1/24        mgre0 10.0.0.11/24       mgre0 10.0.0.12/24
#                            lan0 198.51.100.1/25     lan0 198.51.100.129/25
#   veth0 192.0.2.1          veth0 192.0.2.11         veth0 192.0.2.12
#
# Spokes route the other LAN (and 203.0.113.0/24, 198.18.0.0/16) through the
# hub only, as with a summary route; the hub routes each LAN via its spoke.
#
# mgre-timeout: 300

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping python3 tcpdump tshark

PCAP=$(mktemp /tmp/mgre-redirect-pcap.XXXXXX)

node()
{
	local ns=$1 octet=$2 lan=$3

	shift 3
	run_cmd ip -n "$ns" link add mgre0 type mgre local "$UNDERLAY.$octet" \
		key 42 network-id 1 holdtime 60 "$@" || return 1
	dev_up "$ns" mgre0 "$OVERLAY.$octet/24" || return 1
	[ -z "$lan" ] && return 0
	topo_lan "$ns" "$lan"
}

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 || return 1
	node "$HUB" 1 "" redirect on &&
		node "$S1" 11 198.51.100.1/25 nhs "$OVERLAY.1" nbma "$UNDERLAY.1" &&
		node "$S2" 12 198.51.100.129/25 nhs "$OVERLAY.1" nbma "$UNDERLAY.1" ||
		return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.mgre0.send_redirects=0
	ip -n "$HUB" route add 198.51.100.0/25 via "$OVERLAY.11" &&
		ip -n "$HUB" route add 198.51.100.128/25 via "$OVERLAY.12" &&
		ip -n "$HUB" route add 203.0.113.0/24 via "$OVERLAY.12" &&
		ip -n "$HUB" route add 198.18.0.0/16 via "$OVERLAY.12" &&
		ip -n "$S1" route add 198.51.100.128/25 via "$OVERLAY.1" &&
		ip -n "$S1" route add 203.0.113.0/24 via "$OVERLAY.1" &&
		ip -n "$S1" route add 198.18.0.0/16 via "$OVERLAY.1" &&
		ip -n "$S2" route add 198.51.100.0/25 via "$OVERLAY.1"
}

# traffic NS DIRECTION NAME: an NHRP counter of mgre0 in NS.
traffic()
{
	mgrectl_ns "$1" -j traffic |
		jq -r --arg d "$2" --arg n "$3" \
			'[.devices[0][$d][$n] // 0] | add'
}

ti_sent() { traffic "$HUB" sent traffic-indication; }

registered() { mgre_registered "$HUB" "$OVERLAY.11" "$OVERLAY.12"; }

lan_ping() # COUNT INTERVAL
{
	nsx "$S1" ping -q -c "$1" -i "$2" -w $((10 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129 >/dev/null 2>&1
}

test_setup()
{
	setup
	check_err $? "hub and two spokes with LANs and routes through the hub"
	busywait $((10000 * TIME_SCALE)) registered
	check_err $? "spokes did not register"
	log_test "hub (redirect on) and two spokes whose LANs route through it"
}

test_indication()
{
	local t0 r0 t1 r1 out

	# The first Traffic Indication comes once: tcpdump must capture
	# before the first ping, which it says on stderr.
	nsx "$S1" tcpdump -q -U -i veth0 -w "$PCAP" ip proto 47 \
		>/dev/null 2>"$PCAP.err" &
	BG_PIDS+=($!)
	busywait $((5000 * TIME_SCALE)) grep -q "listening on" "$PCAP.err"
	check_err $? "tcpdump did not start: $(cat "$PCAP.err")"
	t0=$(ti_sent)
	r0=$(traffic "$S1" received traffic-indication)
	lan_ping 3 0.3
	check_err $? "spoke1's LAN cannot reach spoke2's LAN through the hub"
	t1=$(ti_sent)
	r1=$(traffic "$S1" received traffic-indication)
	sleep 0.5
	kill_bg
	log_info "hub sent $((t1 - t0)) Traffic Indications, spoke1 received $((r1 - r0))"
	[ $((t1 - t0)) -ge 1 ] && [ $((r1 - r0)) -ge 1 ]
	check_err $? "no Traffic Indication from the hub to spoke1"
	# tshark: type 8 to spoke1's NHRP address, carrying the data packet.
	if tshark_wanted; then
		out=$(tshark -r "$PCAP" -Y 'nhrp.hdr.op.type == 8' -T fields \
			-e nhrp.dst.prot.addr -e ip.dst -e _ws.expert \
			2>/dev/null | grep -m1 '^198\.51\.100\.1\b')
		log_info "tshark: $out"
		[[ "$out" == 198.51.100.1$'\t'*198.51.100.129* ]]
		check_err $? "tshark: no Traffic Indication to 198.51.100.1 about 198.51.100.129 ($out)"
		[[ "$out" != *alform* ]]
		check_err $? "tshark reports the Traffic Indication malformed"
	else
		log_info "tshark decode skipped (MGRE_TSHARK=0)"
	fi
	log_test "traffic forwarded spoke to spoke: Traffic Indication to the source, tshark decodes it"
}

test_pair_limit()
{
	local a0 a1 b0 b1 l0 l1 a b secs

	# Requests from spoke1 and replies from spoke2 cross the hub: two
	# pairs, each told at most once a second.
	a0=$(traffic "$S1" received traffic-indication)
	b0=$(traffic "$S2" received traffic-indication)
	l0=$(mgre_stat "$HUB" tx_redirect_limited)
	a=$(now_ms)
	lan_ping 200 0.01
	b=$(now_ms)
	sleep 0.3
	a1=$(traffic "$S1" received traffic-indication)
	b1=$(traffic "$S2" received traffic-indication)
	l1=$(mgre_stat "$HUB" tx_redirect_limited)
	secs=$(((b - a + 999) / 1000))
	log_info "200 pings in $((b - a)) ms: spoke1 told $((a1 - a0)) times, spoke2 $((b1 - b0)), $((l1 - l0)) held back"
	[ $((a1 - a0)) -ge 1 ] && [ $((a1 - a0)) -le $((secs + 1)) ] &&
		[ $((b1 - b0)) -ge 1 ] && [ $((b1 - b0)) -le $((secs + 1)) ]
	check_err $? "Traffic Indications per pair in $((b - a)) ms: $((a1 - a0)) and $((b1 - b0))"
	[ $((l1 - l0)) -ge 100 ]
	check_err $? "only $((l1 - l0)) counted as held back"
	log_test "one (source, destination) pair: at most one Traffic Indication a second"
}

test_device_limit()
{
	local t0 t1 a b secs bound

	t0=$(ti_sent)
	a=$(now_ms)
	nsx "$S1" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.1", 0))
for i in range(3000):
    s.sendto(b"x", ("198.18.%d.%d" % (i // 250, 1 + i % 250), 9))'
	b=$(now_ms)
	t1=$(ti_sent)
	secs=$(((b - a + 999) / 1000))
	bound=$((100 * (secs + 1)))
	log_info "3000 destinations in $((b - a)) ms: $((t1 - t0)) Traffic Indications (bound $bound)"
	[ "$bound" -lt 3000 ]
	check_err $? "the flood took $((b - a)) ms: too slow to tell"
	[ $((t1 - t0)) -ge 50 ] && [ $((t1 - t0)) -le "$bound" ]
	check_err $? "$((t1 - t0)) Traffic Indications for 3000 destinations in $((b - a)) ms"
	log_test "a flood to 3000 destinations: at most 100 Traffic Indications a second"
}

test_not_for_own_or_off()
{
	local t0 t1

	sleep 1.1
	t0=$(ti_sent)
	run_cmd nsx "$HUB" ping -q -c 3 -i 0.2 -w 5 198.51.100.129
	check_err $? "the hub cannot reach spoke2's LAN"
	t1=$(ti_sent)
	[ "$t1" -eq "$t0" ]
	check_err $? "the hub sent $((t1 - t0)) Traffic Indications for its own traffic"
	run_cmd ip -n "$HUB" link set mgre0 type mgre redirect off
	run_cmd ip -n "$HUB" -d link show mgre0
	[[ "$CMD_OUT" == *"redirect off"* ]]
	check_err $? "ip -d link show does not say redirect off"
	sleep 1.1
	t0=$(ti_sent)
	lan_ping 3 0.3
	check_err $? "LAN-to-LAN ping with redirect off"
	t1=$(ti_sent)
	[ "$t1" -eq "$t0" ]
	check_err $? "redirect off: the hub sent $((t1 - t0)) Traffic Indications"
	log_test "none for the hub's own traffic, none with redirect off"
}

trap 'rm -f "$PCAP" "$PCAP.err"; cleanup' EXIT

test_setup
test_indication
test_pair_limit
test_device_limit
test_not_for_own_or_off

tests_done
