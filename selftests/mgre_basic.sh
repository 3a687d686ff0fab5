#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hub and two spokes on one underlay segment, static NHRP entries, key 42.
#
#   hub                    spoke1                 spoke2
#   mgre0 10.0.0.1/24      mgre0 10.0.0.11/24     mgre0 10.0.0.12/24
#   veth0 192.0.2.1/24     veth0 192.0.2.11/24    veth0 192.0.2.12/24
#     |                      |                      |
#     +--- p1 ----------- br0 (netns SW) ------- p12 +
#                            p11
#
# Every node maps the two others (mgrectl add 10.0.0.Y nbma 192.0.2.Y).
# Spoke-to-spoke traffic must go straight from spoke1 to spoke2: the hub's
# underlay sees none of it.

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 || return 1
	topo_mgre "$HUB" 1 42 && topo_mgre "$S1" 11 42 &&
		topo_mgre "$S2" 12 42 || return 1
	topo_map "$HUB" 11 12 && topo_map "$S1" 1 12 && topo_map "$S2" 1 11
}

test_setup()
{
	setup
	check_err $? "building the topology failed (ip link add type mgre / mgrectl add)"
	log_test "three nodes with mgre devices and static entries"
}

test_ping_hub_spoke()
{
	ping_ok "$HUB" 10.0.0.11
	check_err $? "hub cannot ping spoke1 through the tunnel"
	ping_ok "$S2" 10.0.0.1
	check_err $? "spoke2 cannot ping hub through the tunnel"
	log_test "hub <-> spoke ping"
}

test_ping_spoke_spoke()
{
	ping_ok "$S1" 10.0.0.12
	check_err $? "spoke1 cannot ping spoke2 through the tunnel"
	ping_ok "$S2" 10.0.0.11
	check_err $? "spoke2 cannot ping spoke1 through the tunnel"
	log_test "spoke1 <-> spoke2 ping"
}

test_direct_path()
{
	local hub_u0 hub_t0 s2_0 hub_u1 hub_t1 s2_1

	# warm up ARP and the bridge's FDB so nothing is flooded
	nsx "$S1" ping -q -c 1 -w 3 10.0.0.12 >/dev/null 2>&1
	hub_u0=$(link_rx_packets "$HUB" veth0)
	hub_t0=$(link_rx_packets "$HUB" mgre0)
	s2_0=$(link_rx_packets "$S2" veth0)
	run_cmd nsx "$S1" ping -q -c 20 -i 0.05 -w 10 10.0.0.12
	check_err $? "spoke1 -> spoke2 pings lost"
	hub_u1=$(link_rx_packets "$HUB" veth0)
	hub_t1=$(link_rx_packets "$HUB" mgre0)
	s2_1=$(link_rx_packets "$S2" veth0)
	log_info "rx during 20 pings: hub veth0 +$((hub_u1 - hub_u0)), hub mgre0 +$((hub_t1 - hub_t0)), spoke2 veth0 +$((s2_1 - s2_0))"
	[ $((s2_1 - s2_0)) -ge 20 ]
	check_err $? "spoke2's underlay received $((s2_1 - s2_0)) packets for 20 pings"
	[ $((hub_t1 - hub_t0)) -eq 0 ]
	check_err $? "the hub's mgre0 received $((hub_t1 - hub_t0)) packets: spoke traffic went through the hub"
	# stray broadcasts (ARP re-probes on a slow kernel) may reach the
	# hub; 20 echo requests must not
	[ $((hub_u1 - hub_u0)) -le 5 ]
	check_err $? "the hub's underlay received $((hub_u1 - hub_u0)) packets during spoke1 -> spoke2 pings"
	log_test "spoke-to-spoke traffic bypasses the hub"
}

# The device is POINTOPOINT: IPv4 output through it resolves every next
# hop to one neighbour entry, however many next hops there are.
test_one_neighbour()
{
	local n

	nsx "$HUB" bash -c 'for i in $(seq 100 249); do
		echo x > /dev/udp/10.0.0.$i/9; done' 2>/dev/null
	ip -n "$HUB" neigh show nud all dev mgre0 | comment
	n=$(ip -n "$HUB" neigh show nud all dev mgre0 | grep -c .)
	[ "$n" -le 1 ]
	check_err $? "$n neighbour entries on the hub's mgre0 for 152 next hops"
	ip -n "$HUB" link show mgre0 | grep -q POINTOPOINT
	check_err $? "mgre0 is not flagged POINTOPOINT"
	log_test "150 next hops through mgre0 share one IPv4 neighbour entry"
}

# The cache is keyed by the route's next hop: a LAN behind spoke2, routed
# via spoke2's tunnel address, needs no entry of its own.
test_route_via_next_hop()
{
	ip -n "$S2" addr add 203.0.113.1/24 dev lo
	run_cmd ip -n "$S1" route add 203.0.113.0/24 via 10.0.0.12 dev mgre0
	check_err $? "route to spoke2's LAN via its tunnel address"
	ping_ok "$S1" 203.0.113.1
	check_err $? "spoke1 cannot reach spoke2's LAN through the next hop 10.0.0.12"
	[ -z "$(mgre_entry_json "$S1" 203.0.113.1)" ]
	check_err $? "spoke1 made a cache entry for the LAN address itself"
	log_test "traffic to a prefix routed via a spoke uses that spoke's entry"
}

test_ip_link_show()
{
	local ns oct out

	for ns in "$HUB:1" "$S1:11" "$S2:12"; do
		oct=${ns#*:}
		ns=${ns%:*}
		out=$(ip -n "$ns" -d link show mgre0)
		echo "$out" | comment
		echo "$out" | grep -qw "mgre"
		check_err $? "ip -d link show does not name the kind mgre"
		echo "$out" | grep -q "local $UNDERLAY.$oct\b"
		check_err $? "ip -d link show mgre0 lacks 'local $UNDERLAY.$oct'"
		echo "$out" | grep -q "key 42\b"
		check_err $? "ip -d link show mgre0 lacks 'key 42'"
	done
	log_test "ip -d link show prints local and key"
}

# No qdisc by default (as vxlan and wireguard); tc can still add one,
# and traffic passes through it.
test_qdisc()
{
	local q

	q=$(ip -n "$S1" -j link show mgre0 | jq -r '.[0].qdisc')
	[ "$q" = noqueue ]
	check_err $? "mgre0's default qdisc is '$q', not noqueue"
	run_cmd tc -n "$S1" qdisc add dev mgre0 root pfifo limit 100
	check_err $? "tc qdisc add on mgre0 failed"
	ping_ok "$S1" "$OVERLAY.12"
	check_err $? "no ping through mgre0 with a pfifo qdisc"
	q=$(tc -n "$S1" -s -j qdisc show dev mgre0 root | jq '.[0].packets')
	[ "${q:-0}" -ge 2 ]
	check_err $? "the pfifo on mgre0 carried '$q' packets"
	tc -n "$S1" qdisc del dev mgre0 root
	log_test "mgre0 has no qdisc by default; tc can add one"
}

test_show_json()
{
	local json n nbma

	json=$(mgre_entries_json "$S1")
	check_err $? "mgrectl show -j does not print valid JSON"
	echo "$json" | jq -c '.[]' 2>/dev/null | comment
	n=$(echo "$json" | jq length 2>/dev/null)
	[ "$n" = 2 ]
	check_err $? "spoke1 lists ${n:-no} entries, expected 2"
	nbma=$(echo "$json" | jq -r '.[] | select(.protocol == "10.0.0.12") | .nbma')
	[ "$nbma" = 192.0.2.12 ]
	check_err $? "entry 10.0.0.12 has nbma '$nbma', expected 192.0.2.12"
	nbma=$(echo "$json" | jq -r '.[] | select(.protocol == "10.0.0.1") | .type')
	[ "$nbma" = static ]
	check_err $? "entry 10.0.0.1 has type '$nbma', expected static"
	log_test "mgrectl -j show lists the entries"
}

# The brief and the docs write "mgrectl show -j"; ip(8) style puts options
# first.  Both orders should work.
test_json_option_after_command()
{
	run_cmd sh -c "ip netns exec $S1 mgrectl show -j | jq -e 'length == 2'"
	check_err $? "mgrectl show -j (option after the command) does not work"
	run_cmd sh -c "ip netns exec $S1 mgrectl stats -j | jq -e . >/dev/null"
	check_err $? "mgrectl stats -j (option after the command) does not work"
	log_test "mgrectl accepts -j after the command"
}

test_mgrectl_link_add()
{
	local out

	run_cmd nsx "$HUB" mgrectl link add mgre1 local 192.0.2.1 key 4242 ttl 17
	check_err $? "mgrectl link add failed"
	out=$(ip -n "$HUB" -d link show mgre1 2>&1)
	echo "$out" | comment
	echo "$out" | grep -q "local 192.0.2.1\b"
	check_err $? "ip -d link show mgre1 lacks 'local 192.0.2.1'"
	echo "$out" | grep -q "key 4242\b"
	check_err $? "ip -d link show mgre1 lacks 'key 4242'"
	echo "$out" | grep -q "ttl 17\b"
	check_err $? "ip -d link show mgre1 lacks 'ttl 17'"
	run_cmd nsx "$HUB" mgrectl link del mgre1
	check_err $? "mgrectl link del failed"
	ip -n "$HUB" link show mgre1 >/dev/null 2>&1
	check_fail $? "mgre1 still exists after mgrectl link del"
	log_test "mgrectl link add / del, seen by ip -d link show"
}

test_setup
test_ping_hub_spoke
test_ping_spoke_spoke
test_direct_path
test_one_neighbour
test_route_via_next_hop
test_ip_link_show
test_qdisc
test_show_json
test_json_option_after_command
test_mgrectl_link_add

tests_done
