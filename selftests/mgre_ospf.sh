#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# OSPF over mgre with FRR's ospfd: a hub and two spokes, each spoke with a
# LAN, as a DMVPN network runs it.
#
#   hub (NHS, mcast-dynamic on)   spoke1 (mcast-nhs on)   spoke2 (mcast-nhs on)
#   mgre0 10.0.0.1/24             mgre0 10.0.0.11/24      mgre0 10.0.0.12/24
#                                 lan0 198.51.100.1/25    lan0 198.51.100.129/25
#   veth0 192.0.2.1               veth0 192.0.2.11        veth0 192.0.2.12
#                 all on bridge br0 of netns SW
#
# Hellos go to 224.0.0.5: the hub's are copied to every registered spoke,
# a spoke's go to its NHS.  First point-to-multipoint (the spokes reach each
# other's LAN through the hub), with phase 3 on top (the hub's redirects
# give the spokes shortcuts), then the DMVPN phase 2 design, network type
# broadcast with the hub as DR: a spoke's route to the other spoke's LAN has
# that spoke as next hop, which NHRP resolves, and traffic goes direct.
#
# mgre-timeout: 300

source "$(dirname "$0")/lib.sh"

FRR_BIN=/usr/lib/frr
STATE=/run/mgre-ospf
NODES=()
declare -A NSOF

require_mgre
require_cmd jq ping vtysh "$FRR_BIN/zebra" "$FRR_BIN/ospfd"
id frr >/dev/null 2>&1 || skip_all "no user frr (install the frr package)"

ospf_cleanup()
{
	local n pid

	for n in "${NODES[@]}"; do
		for pid in $(cat "$STATE/$n"/*.pid 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
	done
	sleep 0.2
	cleanup
	rm -rf "$STATE"
}
trap ospf_cleanup EXIT

vty() { timeout 20 vtysh --vty_socket "$STATE/$1" -c "$2" 2>&1; }

# node NAME OCTET LAN MGRE-PARAMS...: a namespace with mgre0, an optional
# LAN (lan0), and zebra + ospfd with hello 1 s, dead 4 s (times the time
# scale, so that a slow kernel does not miss four hellos in a row).
node()
{
	local name=$1 octet=$2 lan=$3 var dir ns

	shift 3
	var=$(tr '[:lower:]' '[:upper:]' <<< "$name")
	dir=$STATE/$name
	topo_node "$var" "$octet" || return 1
	ns=${!var}
	NODES+=("$name")
	NSOF[$name]=$ns
	run_cmd ip -n "$ns" link add mgre0 type mgre local "$UNDERLAY.$octet" \
		key 42 network-id 1 holdtime 60 "$@" || return 1
	dev_up "$ns" mgre0 "$OVERLAY.$octet/24" || return 1
	if [ -n "$lan" ]; then
		topo_lan "$ns" "$lan" || return 1
	fi
	nsx "$ns" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.mgre0.send_redirects=0

	mkdir -p "$dir"
	cat > "$dir/zebra.conf" <<-EOF
	hostname $name-zebra
	log file $dir/zebra.log informational
	EOF
	cat > "$dir/ospfd.conf" <<-EOF
	hostname $name
	log file $dir/ospfd.log informational
	!
	interface mgre0
	 ip ospf network point-to-multipoint
	 ip ospf hello-interval $HOLD_SCALE
	 ip ospf dead-interval $((4 * HOLD_SCALE))
	!
	router ospf
	 ospf router-id $OVERLAY.$octet
	 network $OVERLAY.0/24 area 0
	 network 198.51.100.0/24 area 0
	!
	EOF
	chown -R frr:frr "$dir"
	nsx "$ns" "$FRR_BIN/zebra" -d -u frr -g frr -P 0 -f "$dir/zebra.conf" \
		-i "$dir/zebra.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
		</dev/null >"$dir/zebra.out" 2>&1 || return 1
	busywait $((10000 * TIME_SCALE)) test -S "$dir/zserv.api" || return 1
	nsx "$ns" "$FRR_BIN/ospfd" -d -u frr -g frr -P 0 -f "$dir/ospfd.conf" \
		-i "$dir/ospfd.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
		</dev/null >"$dir/ospfd.out" 2>&1
}

setup()
{
	rm -rf "$STATE"
	mkdir -p "$STATE" && chown frr:frr "$STATE" || return 1
	topo_init || return 1
	node hub 1 "" mcast-dynamic on &&
		node s1 11 198.51.100.1/25 nhs "$OVERLAY.1" \
			nbma "$UNDERLAY.1" mcast-nhs on &&
		node s2 12 198.51.100.129/25 nhs "$OVERLAY.1" \
			nbma "$UNDERLAY.1" mcast-nhs on
}

# full NAME: how many of NAME's OSPF neighbours are Full.
full() { vty "$1" "show ip ospf neighbor" | grep -c 'Full/'; }

adjacent()
{
	[ "$(full hub)" -eq 2 ] && [ "$(full s1)" -eq 1 ] && [ "$(full s2)" -eq 1 ]
}

# ospf_route NS PREFIX: the next hop of NS's OSPF route to PREFIX.
ospf_route()
{
	ip -n "$1" -j route show "$2" proto ospf | jq -r '.[0].gateway // empty'
}

# entry_type NS ADDR: the type of NS's entry for ADDR ("" if none).
entry_type() { mgre_entry_json "$1" "$2" | jq -r '.type // empty'; }

# resolved NS ADDR: NS has ADDR resolved.
resolved() { [ "$(entry_type "$1" "$2")" = resolved ]; }

# lan_routes GW1 GW2: spoke1 routes spoke2's LAN via GW1 and spoke2 routes
# spoke1's LAN via GW2.
lan_routes()
{
	[ "$(ospf_route "$S1" 198.51.100.128/25)" = "$1" ] &&
		[ "$(ospf_route "$S2" 198.51.100.0/25)" = "$2" ]
}

save_logs()
{
	local n

	for n in "${NODES[@]}"; do
		echo "--- $n: show ip ospf neighbor"
		vty "$n" "show ip ospf neighbor"
		echo "--- $n: routes"
		ip -n "${NSOF[$n]}" route
		tail -20 "$STATE/$n/ospfd.log"
	done 2>&1 | comment
}

test_setup()
{
	setup
	check_err $? "three nodes with mgre0, zebra and ospfd"
	log_test "hub and two spokes with mgre, NHRP and FRR ospfd"
}

test_p2mp_adjacencies()
{
	busywait $((40000 * TIME_SCALE)) adjacent
	check_err $? "adjacencies: hub $(full hub) of 2 Full, s1 $(full s1), s2 $(full s2)"
	[ "$RET" -ne 0 ] && save_logs
	log_test "point-to-multipoint: hub Full with both spokes over mgre0"
}

test_p2mp_routes()
{
	local a b

	busywait $((20000 * TIME_SCALE)) lan_routes "$OVERLAY.1" "$OVERLAY.1"
	a=$(ospf_route "$S1" 198.51.100.128/25)
	b=$(ospf_route "$S2" 198.51.100.0/25)
	[ "$a" = "$OVERLAY.1" ] && [ "$b" = "$OVERLAY.1" ]
	check_err $? "spokes' routes to each other's LAN: via \"$a\" and \"$b\", not the hub"
	[ -n "$(ospf_route "$HUB" 198.51.100.0/25)" ]
	check_err $? "the hub has no OSPF route to spoke1's LAN"
	run_cmd nsx "$S1" ping -q -c 3 -i 0.2 -w $((5 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129
	check_err $? "spoke1's LAN cannot reach spoke2's LAN"
	log_test "point-to-multipoint: LAN prefixes learnt via the hub, LAN-to-LAN ping"
}

# Phase 3 on top of point-to-multipoint: the route stays "via the hub", the
# hub's Traffic Indications give the spokes shortcuts, and traffic between
# the LANs leaves the hub.
test_p2mp_phase3()
{
	local h0 h1

	run_cmd ip -n "$HUB" link set mgre0 type mgre redirect on &&
		run_cmd ip -n "$S1" link set mgre0 type mgre shortcut on &&
		run_cmd ip -n "$S2" link set mgre0 type mgre shortcut on
	check_err $? "redirect on at the hub, shortcut on at the spokes"
	nsx "$S1" ping -q -c 3 -i 0.3 -w $((5 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129 >/dev/null 2>&1
	busywait $((10000 * TIME_SCALE)) mgre_has_shortcut "$S1" \
		198.51.100.128 25 "$UNDERLAY.12" >/dev/null &&
		busywait $((10000 * TIME_SCALE)) mgre_has_shortcut "$S2" \
			198.51.100.0 25 "$UNDERLAY.11" >/dev/null
	check_err $? "no shortcuts: s1 $(mgre_shortcut_json "$S1" 198.51.100.128), s2 $(mgre_shortcut_json "$S2" 198.51.100.0)"
	[ "$(ospf_route "$S1" 198.51.100.128/25)" = "$OVERLAY.1" ]
	check_err $? "spoke1's OSPF route no longer goes via the hub"
	h0=$(link_rx_packets "$HUB" mgre0)
	run_cmd nsx "$S1" ping -q -c 20 -i 0.05 -w $((10 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129
	check_err $? "LAN-to-LAN pings lost over the shortcuts"
	h1=$(link_rx_packets "$HUB" mgre0)
	log_info "20 LAN-to-LAN pings: the hub's mgre0 received $((h1 - h0))"
	[ $((h1 - h0)) -le $((6 * TIME_SCALE)) ]
	check_err $? "the hub's mgre0 received $((h1 - h0)) packets during 20 LAN-to-LAN pings"
	# Back to plain point-to-multipoint for the next design.
	ip -n "$HUB" link set mgre0 type mgre redirect off
	ip -n "$S1" link set mgre0 type mgre shortcut off
	ip -n "$S2" link set mgre0 type mgre shortcut off
	nsx "$S1" mgrectl del 198.51.100.128/25 dev mgre0
	nsx "$S1" mgrectl del "$OVERLAY.12" dev mgre0
	nsx "$S2" mgrectl del 198.51.100.0/25 dev mgre0
	nsx "$S2" mgrectl del "$OVERLAY.11" dev mgre0
	log_test "point-to-multipoint with phase 3: shortcuts, traffic direct while OSPF routes via the hub"
}

# ospf_set NAME CMD...: configure interface mgre0 of NAME's ospfd.
ospf_set()
{
	local name=$1 args=() c

	shift
	for c in "$@"; do
		args+=(-c "$c")
	done
	timeout 20 vtysh --vty_socket "$STATE/$name" -c "configure terminal" \
		-c "interface mgre0" "${args[@]}" >/dev/null
}

test_broadcast_direct()
{
	local a h0 h1 t rc

	ospf_set hub "ip ospf network broadcast" "ip ospf priority 255" &&
		ospf_set s1 "ip ospf network broadcast" "ip ospf priority 0" &&
		ospf_set s2 "ip ospf network broadcast" "ip ospf priority 0"
	check_err $? "network type broadcast"
	busywait $((40000 * TIME_SCALE)) adjacent
	check_err $? "broadcast adjacencies: hub $(full hub) of 2 Full, s1 $(full s1), s2 $(full s2)"
	# Both ways: the replies need spoke2's route back.
	busywait $((20000 * TIME_SCALE)) lan_routes "$OVERLAY.12" "$OVERLAY.11"
	a=$(ospf_route "$S1" 198.51.100.128/25)
	b=$(ospf_route "$S2" 198.51.100.0/25)
	[ "$a" = "$OVERLAY.12" ] && [ "$b" = "$OVERLAY.11" ]
	check_err $? "spokes' routes to each other's LAN: via \"$a\" and \"$b\", not each other"
	[ "$RET" -ne 0 ] && save_logs
	run_cmd nsx "$S1" ping -q -c 3 -i 0.2 -w $((5 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129
	check_err $? "spoke1's LAN cannot reach spoke2's LAN"
	# The pings started the resolution; its reply may land after them.
	busywait $((3000 * TIME_SCALE)) resolved "$S1" "$OVERLAY.12"
	rc=$?
	t=$(entry_type "$S1" "$OVERLAY.12")
	check_err $rc "spoke1's entry for spoke2 is \"$t\", not resolved"
	h0=$(link_rx_packets "$HUB" mgre0)
	run_cmd nsx "$S1" ping -q -c 20 -i 0.05 -w $((10 * TIME_SCALE)) \
		-I 198.51.100.1 198.51.100.129
	check_err $? "LAN-to-LAN pings lost after resolution"
	h1=$(link_rx_packets "$HUB" mgre0)
	# OSPF hellos from the two spokes still arrive at the hub.
	[ $((h1 - h0)) -le $((6 * TIME_SCALE)) ]
	check_err $? "the hub's mgre0 received $((h1 - h0)) packets during 20 LAN-to-LAN pings"
	log_test "broadcast, hub DR: the next hop is the other spoke, resolved, traffic direct"
}

test_setup
test_p2mp_adjacencies
test_p2mp_routes
test_p2mp_phase3
test_broadcast_direct

tests_done
