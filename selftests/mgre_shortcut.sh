#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Phase 3 end to end (DMVPN phase 3, Cisco "ip nhrp redirect" on the hub and
# "ip nhrp shortcut" on the spokes): the spokes route the other LAN through
# the hub with a summary route only.  The hub's Traffic Indication makes a
# spoke resolve the destination; the hub forwards the Resolution Request
# along its route to the other spoke, which answers with the prefix it
# routes the destination by; the asking spoke installs that prefix as a
# shortcut, and transmit sends the traffic straight to the other spoke.
#
#   hub (NHS, redirect on)   spoke1 (shortcut on)     spoke2 (shortcut on)
#   mgre0 10.0.0.1/24        mgre0 10.0.0.11/24       mgre0 10.0.0.12/24
#                            lan0 198.51.100.1/25     lan0 198.51.100.129/25
#   veth0 192.0.2.1          veth0 192.0.2.11         veth0 192.0.2.12
#
# Spokes: 198.51.100.0/24 via 10.0.0.1 (the summary); the hub routes each
# /25 via its spoke.  spoke2 also routes 203.0.113.0/24 onto its LAN (spoke1
# and the hub route it through the hub and spoke2).  Holdtime 10 s (times
# MGRE_HOLD_SCALE) on every node, so that refresh and expiry happen within
# the test.
#
# mgre-timeout: 300

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping

HOLD=$((10 * HOLD_SCALE))

node()
{
	local ns=$1 octet=$2 lan=$3

	shift 3
	run_cmd ip -n "$ns" link add mgre0 type mgre local "$UNDERLAY.$octet" \
		key 42 network-id 1 holdtime "$HOLD" "$@" || return 1
	dev_up "$ns" mgre0 "$OVERLAY.$octet/24" || return 1
	[ -z "$lan" ] && return 0
	topo_lan "$ns" "$lan" &&
		ip -n "$ns" route add 198.51.100.0/24 via "$OVERLAY.1"
}

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 || return 1
	node "$HUB" 1 "" redirect on &&
		node "$S1" 11 198.51.100.1/25 shortcut on \
			nhs "$OVERLAY.1" nbma "$UNDERLAY.1" &&
		node "$S2" 12 198.51.100.129/25 shortcut on \
			nhs "$OVERLAY.1" nbma "$UNDERLAY.1" || return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.mgre0.send_redirects=0
	ip -n "$HUB" route add 198.51.100.0/25 via "$OVERLAY.11" &&
		ip -n "$HUB" route add 198.51.100.128/25 via "$OVERLAY.12" &&
		ip -n "$HUB" route add 203.0.113.0/24 via "$OVERLAY.12" &&
		ip -n "$S1" route add 203.0.113.0/24 via "$OVERLAY.1" &&
		ip -n "$S2" route add 203.0.113.0/24 dev lan0
}

registered() { mgre_registered "$HUB" "$OVERLAY.11" "$OVERLAY.12"; }

shortcut() { mgre_shortcut_json "$@"; }
has_shortcut() { mgre_has_shortcut "$@"; }

lan_ping() # COUNT INTERVAL
{
	nsx "$S1" ping -q -c "$1" -i "$2" -w $((20 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129 >/dev/null 2>&1
}

hub_rx() { link_rx_packets "$HUB" mgre0; }

test_setup()
{
	setup
	check_err $? "hub and two spokes with LANs, summary routes to the hub"
	busywait $((10000 * TIME_SCALE)) registered
	check_err $? "spokes did not register"
	log_test "hub (redirect on), two spokes (shortcut on) with a summary route to the hub"
}

test_shortcut_installed()
{
	local e

	lan_ping 3 0.3
	check_err $? "spoke1's LAN cannot reach spoke2's LAN through the hub"
	busywait $((8000 * TIME_SCALE)) has_shortcut "$S1" 198.51.100.128 25 \
		"$UNDERLAY.12"
	check_err $? "spoke1 has no shortcut 198.51.100.128/25 -> $UNDERLAY.12"
	# At once, while it is fresh: the views and the router's mapping,
	# which came with the same answer.
	log_info "spoke1: $(shortcut "$S1" 198.51.100.128)"
	run_cmd nsx "$S1" mgrectl show dev mgre0 shortcut
	grep -qE '^198\.51\.100\.128/25 +192\.0\.2\.12 +resolved +s ' <<<"$CMD_OUT"
	check_err $? "mgrectl show shortcut: no line for 198.51.100.128/25"
	! grep -q "^$OVERLAY" <<<"$CMD_OUT"
	check_err $? "mgrectl show shortcut lists mappings too"
	e=$(mgre_entry_json "$S1" "$OVERLAY.12")
	log_info "spoke1: $e"
	[ "$(jq -r '"\(.nbma) \(.type)"' <<<"$e")" = "$UNDERLAY.12 resolved" ]
	check_err $? "spoke1 did not learn spoke2's mapping from the answer"
	busywait $((8000 * TIME_SCALE)) has_shortcut "$S2" 198.51.100.0 25 \
		"$UNDERLAY.11"
	check_err $? "spoke2 has no shortcut 198.51.100.0/25 -> $UNDERLAY.11"
	# A destination behind spoke2 by a route, not an address of its own:
	# the answer names the route's prefix (nobody answers these pings).
	nsx "$S1" ping -q -c 3 -i 0.3 -W 1 -I 198.51.100.1 203.0.113.7 \
		>/dev/null 2>&1
	busywait $((8000 * TIME_SCALE)) has_shortcut "$S1" 203.0.113.0 24 \
		"$UNDERLAY.12"
	check_err $? "spoke1 has no shortcut 203.0.113.0/24 -> $UNDERLAY.12"
	log_info "spoke1: $(shortcut "$S1" 203.0.113.0)"
	log_test "Traffic Indication -> resolution -> shortcuts for the answering spoke's prefixes"
}

test_direct_path()
{
	local r0 r1 d0 d1

	# Idle shortcuts expire after ${HOLD} s: use them again first.
	lan_ping 2 0.2
	busywait $((8000 * TIME_SCALE)) has_shortcut "$S1" 198.51.100.128 25 \
		"$UNDERLAY.12" >/dev/null &&
		busywait $((8000 * TIME_SCALE)) has_shortcut "$S2" 198.51.100.0 \
			25 "$UNDERLAY.11" >/dev/null
	check_err $? "the shortcuts are gone"
	r0=$(hub_rx)
	d0=$(link_rx_packets "$S2" mgre0)
	lan_ping 20 0.05
	check_err $? "LAN-to-LAN ping over the shortcut"
	r1=$(hub_rx)
	d1=$(link_rx_packets "$S2" mgre0)
	log_info "20 pings: hub received $((r1 - r0)) packets, spoke2 $((d1 - d0))"
	# Each crossing of the hub costs it one packet in; registrations
	# (every ${HOLD}/3 s per spoke) are all it may see.
	[ $((r1 - r0)) -le 6 ]
	check_err $? "the hub received $((r1 - r0)) packets for 20 LAN-to-LAN pings"
	[ $((d1 - d0)) -ge 20 ]
	check_err $? "spoke2 received $((d1 - d0)) packets for 20 pings"
	log_test "spoke to spoke traffic goes direct: the hub sees none of it"
}

test_refresh()
{
	local e0 e1 q0 q1 secs=$((HOLD * 2))

	e0=$(shortcut "$S1" 198.51.100.128)
	q0=$(mgrectl_ns "$S1" -j traffic |
		jq -r '[.devices[0].sent["resolution-request"] // 0] | add')
	# In use for twice the holdtime: refreshed, never gone.
	nsx "$S1" ping -q -c $((secs * 4)) -i 0.25 -w $((secs + 10 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129 >/dev/null 2>&1
	check_err $? "ping lost packets over a refreshed shortcut"
	e1=$(shortcut "$S1" 198.51.100.128)
	q1=$(mgrectl_ns "$S1" -j traffic |
		jq -r '[.devices[0].sent["resolution-request"] // 0] | add')
	log_info "before: $e0"
	log_info "after ${secs} s of use: $e1 ($((q1 - q0)) Resolution Requests)"
	[ -n "$e1" ] && [ "$(jq -r .age <<<"$e1")" -ge "$secs" ]
	check_err $? "the shortcut was not kept while in use"
	[ $((q1 - q0)) -ge 1 ]
	check_err $? "no refreshing Resolution Request in ${secs} s"
	log_test "a shortcut in use is refreshed before its holdtime runs out"
}

no_shortcut() { [ -z "$(shortcut "$S1" 198.51.100.128)" ]; }

test_expiry()
{
	busywait $(((HOLD + 4 * TIME_SCALE) * 1000)) no_shortcut
	check_err $? "the unused shortcut outlived its holdtime of $HOLD s"
	log_test "an unused shortcut expires with its holdtime"
}

test_static()
{
	local r0 r1

	run_cmd ip -n "$HUB" link set mgre0 type mgre redirect off
	run_cmd nsx "$S1" mgrectl flush dev mgre0 type resolved
	run_cmd nsx "$S2" mgrectl flush dev mgre0 type resolved
	run_cmd nsx "$S1" mgrectl add 198.51.100.128/25 nbma "$UNDERLAY.12" \
		dev mgre0
	check_err $? "mgrectl add of a shortcut"
	run_cmd nsx "$S2" mgrectl add 198.51.100.0/25 nbma "$UNDERLAY.11" \
		dev mgre0
	check_err $? "mgrectl add of a shortcut on spoke2"
	run_cmd nsx "$S1" mgrectl -j get 198.51.100.128/25 dev mgre0
	[ "$(jq -r '"\(.prefix_len) \(.shortcut) \(.type)"' <<<"$CMD_OUT")" = \
		"25 true static" ]
	check_err $? "mgrectl get of the shortcut: $CMD_OUT"
	r0=$(hub_rx)
	lan_ping 10 0.05
	check_err $? "ping over static shortcuts"
	r1=$(hub_rx)
	log_info "static shortcuts: hub received $((r1 - r0)) for 10 pings"
	[ $((r1 - r0)) -le 4 ]
	check_err $? "the hub received $((r1 - r0)) packets over static shortcuts"

	run_cmd nsx "$S1" mgrectl del 198.51.100.128/25 dev mgre0
	check_err $? "mgrectl del of the shortcut"
	run_cmd nsx "$S2" mgrectl del 198.51.100.0/25 dev mgre0
	r0=$(hub_rx)
	lan_ping 10 0.05
	check_err $? "ping through the hub once the shortcuts are deleted"
	r1=$(hub_rx)
	log_info "deleted: hub received $((r1 - r0)) for 10 pings"
	[ $((r1 - r0)) -ge 20 ]
	check_err $? "after del the hub received only $((r1 - r0)) packets"
	run_cmd_quiet nsx "$S1" mgrectl add 198.51.100.129/25 nbma \
		"$UNDERLAY.12" dev mgre0
	check_fail $? "a prefix with host bits was accepted"
	log_test "static shortcuts: mgrectl add, get, del; transmit follows them"
}

test_shortcut_off()
{
	local s0 s1

	run_cmd ip -n "$HUB" link set mgre0 type mgre redirect on
	run_cmd ip -n "$S1" link set mgre0 type mgre shortcut off
	run_cmd ip -n "$S1" -d link show mgre0
	[[ "$CMD_OUT" == *"shortcut off"* ]]
	check_err $? "ip -d link show does not say shortcut off"
	s0=$(mgrectl_ns "$S1" -j traffic |
		jq -r '[.devices[0].received["traffic-indication"] // 0] | add')
	lan_ping 5 0.3
	check_err $? "LAN-to-LAN ping with shortcut off"
	sleep 1
	s1=$(mgrectl_ns "$S1" -j traffic |
		jq -r '[.devices[0].received["traffic-indication"] // 0] | add')
	log_info "shortcut off: $((s1 - s0)) Traffic Indications received"
	[ $((s1 - s0)) -ge 1 ]
	check_err $? "the hub sent spoke1 no Traffic Indication"
	no_shortcut
	check_err $? "spoke1 installed a shortcut with shortcut off"
	log_test "shortcut off: Traffic Indications are counted, not acted on"
}

# hub_nhrp DIR TYPE_OR_REASON: a counter of the hub's mgrectl -j traffic
# (DIR: sent, received or dropped).
hub_nhrp()
{
	mgrectl_ns "$HUB" -j traffic |
		jq -r --arg d "$1" --arg n "$2" '[.devices[0][$d][$n] // 0] | add'
}

# One member passing on all it can (issue 38): the hub passes on 32 of one
# asker's requests at a time (NHRP_INFLIGHT_PER_ASKER), so the table that
# replies are matched against still has room for everyone else's.  The
# requests go towards a next hop that never answers: each waits its 5 s.
test_asker_limit()
{
	local f0 f1 d0 d1 out

	run_cmd nsx "$HUB" mgrectl add "$OVERLAY.99" nbma "$UNDERLAY.99" \
		dev mgre0 &&
		run_cmd ip -n "$HUB" route add 100.64.0.0/24 via "$OVERLAY.99"
	check_err $? "a route towards a silent next hop"
	f0=$(hub_nhrp sent resolution-request)
	d0=$(hub_nhrp dropped asker-limit)
	out=$(nsx "$S1" python3 "$LIB_DIR/nhrp_inject.py" resolve \
		--to "$UNDERLAY.1" --key 42 --src-nbma "$UNDERLAY.11" \
		--src-proto "$OVERLAY.11" --dst-proto 100.64.0.5 --flood 200)
	log_info "spoke1: $out"
	# Another asker is not held back by spoke1's flood.
	run_cmd nsx "$S2" mgrectl resolve 100.64.0.6 dev mgre0
	busywait $((5000 * TIME_SCALE)) eval \
		'[ "$(hub_nhrp sent resolution-request)" -gt $((f0 + 32)) ]'
	f1=$(hub_nhrp sent resolution-request)
	d1=$(hub_nhrp dropped asker-limit)
	log_info "hub: passed on $((f1 - f0)), dropped asker-limit $((d1 - d0))"
	# 200 sent in much less than 5 s: 32 passed on, the rest dropped
	# (a few more pass if the flood outlasted the first ones' 5 s).
	[ $((d1 - d0)) -ge 150 ] && [ $((f1 - f0 + d1 - d0)) -ge 200 ]
	check_err $? "spoke1's flood: $((f1 - f0)) passed on, $((d1 - d0)) dropped"
	[ $((f1 - f0)) -ge 33 ]
	check_err $? "spoke2's request was not passed on beside spoke1's flood"

	# 300 askers that never registered (forged outer sources): one
	# budget for all of them, not 32 each, so they cannot fill the
	# table of requests in flight either; a member still gets through.
	f0=$f1
	d0=$d1
	out=$(nsx "$S1" python3 "$LIB_DIR/nhrp_inject.py" resolve \
		--to "$UNDERLAY.1" --key 42 --src-nbma "$UNDERLAY.13" \
		--src-proto "$OVERLAY.13" --dst-proto 100.64.0.7 \
		--flood 300 --forge 2>&1)
	log_info "forged: $out"
	[ "$out" = "sent 300" ]
	check_err $? "the forged flood was not sent"
	busywait $((5000 * TIME_SCALE)) eval \
		'[ "$(hub_nhrp dropped asker-limit)" -ge $((d0 + 250)) ]'
	f1=$(hub_nhrp sent resolution-request)
	d1=$(hub_nhrp dropped asker-limit)
	log_info "hub: passed on $((f1 - f0)), dropped asker-limit $((d1 - d0))"
	[ $((d1 - d0)) -ge 250 ] && [ $((f1 - f0)) -le 40 ]
	check_err $? "300 forged askers: $((f1 - f0)) passed on, $((d1 - d0)) dropped"
	# The strangers' budget is spent now; spoke2's is not.
	run_cmd nsx "$S2" mgrectl resolve 100.64.0.8 dev mgre0
	busywait $((5000 * TIME_SCALE)) eval \
		'[ "$(hub_nhrp sent resolution-request)" -gt '"$f1"' ]'
	check_err $? "spoke2's request was not passed on beside the forged flood"

	# Requests the hub cannot pass on (hop count spent) hold no slot:
	# spoke2 sends 40 of them, then asks for itself, at once.
	f0=$(hub_nhrp sent resolution-request)
	d0=$(hub_nhrp dropped no-route)
	out=$(nsx "$S2" python3 "$LIB_DIR/nhrp_inject.py" resolve \
		--to "$UNDERLAY.1" --key 42 --src-nbma "$UNDERLAY.12" \
		--src-proto "$OVERLAY.12" --dst-proto 100.64.0.9 \
		--flood 40 --hopcnt 1)
	log_info "spoke2, hop count 1: $out"
	busywait $((5000 * TIME_SCALE)) eval \
		'[ "$(hub_nhrp dropped no-route)" -ge $((d0 + 40)) ]'
	check_err $? "40 requests with hop count 1: dropped no-route $d0 -> $(hub_nhrp dropped no-route)"
	run_cmd nsx "$S2" mgrectl resolve 100.64.0.10 dev mgre0
	busywait $((5000 * TIME_SCALE)) eval \
		'[ "$(hub_nhrp sent resolution-request)" -gt '"$f0"' ]'
	check_err $? "spoke2's request was not passed on after 40 the hub could not pass on (asker-limit $(hub_nhrp dropped asker-limit))"
	ip -n "$HUB" route del 100.64.0.0/24
	nsx "$HUB" mgrectl del "$OVERLAY.99" dev mgre0
	log_test "one member's requests to pass on are bounded, strangers' all together; others' still go; none held when not passed on"
}

trap 'cleanup' EXIT

test_setup
test_shortcut_installed
test_direct_path
test_refresh
test_expiry
test_static
test_asker_limit
test_shortcut_off

tests_done
