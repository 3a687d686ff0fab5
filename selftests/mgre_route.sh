#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The transmit route cache: one route lookup per flow and CPU instead of
# one per packet, and never a stale route.  A routing change, a route
# removed, an xfrm policy added or removed, and a change of the device's
# local address are each followed by the very next packet.
#
#   A                                        B
#   lo 192.0.2.1/32 (NBMA)                   lo 192.0.2.2/32 (NBMA)
#   mgre0 10.0.0.1/24 ----- GRE key 42 ----- mgre0 10.0.0.2/24
#   a1 203.0.113.1/30 ---------------------- b1 203.0.113.2/30
#   a2 203.0.113.5/30 ---------------------- b2 203.0.113.6/30
#
# A routes B's NBMA address over a1 or a2, as the test moves it; B always
# answers over b1.  The underlay neighbours are permanent and IPv6 is off,
# so a link's tx_packets counts GRE (or ESP) and nothing else.
#
# The spread case adds 2000 entries 10.1.0.1+i -> 198.18.0.1+(i % 1000),
# routed over a1, and sends to 1000 of them from one CPU: 1000 flows, more
# than the 256 slots a CPU's table starts with.
#
# mgre-timeout: 240

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping taskset tcpdump nhrp-load udp-bench

NBMA_A=192.0.2.1
NBMA_B=192.0.2.2
PCAP=$(mktemp /tmp/mgre-route-pcap.XXXXXX)

# link NS_A DEV_A ADDR_A NS_B DEV_B ADDR_B: a veth pair, addressed, with
# permanent neighbours both ways.
link()
{
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		return 1
	ip -n "$1" addr add "$3/30" dev "$2" &&
		ip -n "$4" addr add "$6/30" dev "$5" &&
		ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up &&
		ip -n "$1" neigh replace "$6" dev "$2" nud permanent lladdr \
			"$(ip -n "$4" -j link show "$5" | jq -r '.[0].address')" &&
		ip -n "$4" neigh replace "$3" dev "$5" nud permanent lladdr \
			"$(ip -n "$1" -j link show "$2" | jq -r '.[0].address')"
}

# node NS OCTET PEER_OCTET: NBMA address on lo, mgre0 and the static
# entry for the peer.
node()
{
	nsx "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 &&
		ip -n "$1" addr add "192.0.2.$2/32" dev lo &&
		ip -n "$1" link set lo up || return 1
	run_cmd ip -n "$1" link add mgre0 type mgre local "192.0.2.$2" \
		key 42 || return 1
	dev_up "$1" mgre0 "10.0.0.$2/24" &&
		run_cmd nsx "$1" mgrectl add "10.0.0.$3" nbma "192.0.2.$3" \
			dev mgre0
}

setup()
{
	local ns

	setup_ns A B || return 1
	for ns in "$A" "$B"; do
		nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	link "$A" a1 203.0.113.1 "$B" b1 203.0.113.2 &&
		link "$A" a2 203.0.113.5 "$B" b2 203.0.113.6 || return 1
	node "$A" 1 2 && node "$B" 2 1 || return 1
	ip -n "$A" route add "$NBMA_B/32" via 203.0.113.2 dev a1 &&
		ip -n "$B" route add "$NBMA_A/32" via 203.0.113.1 dev b1
}

# ping_a [COUNT]: COUNT (1) echo requests from A to B over the tunnel, on
# CPU 0 (the cache is per CPU); succeeds if every one was answered.
ping_a()
{
	local n=${1:-1}

	nsx "$A" taskset -c 0 ping -q -c "$n" -i 0.05 -W 2 10.0.0.2 \
		>/dev/null 2>&1
}

# sent_by CMD...: run CMD; TX1, TX2: what a1 and a2 sent meanwhile,
# LOOKUPS: what A's tx_route_lookups rose by.
sent_by()
{
	local t1 t2 l rc

	t1=$(link_tx_packets "$A" a1)
	t2=$(link_tx_packets "$A" a2)
	l=$(mgre_stat "$A" tx_route_lookups)
	"$@"
	rc=$?
	TX1=$(($(link_tx_packets "$A" a1) - t1))
	TX2=$(($(link_tx_packets "$A" a2) - t2))
	LOOKUPS=$(($(mgre_stat "$A" tx_route_lookups) - l))
	log_info "a1 sent $TX1, a2 sent $TX2, route lookups $LOOKUPS"
	return $rc
}

test_setup()
{
	setup
	check_err $? "building the topology failed"
	ping_a 3
	check_err $? "A cannot reach B over the tunnel"
	log_test "two nodes, two underlay paths, static entries"
}

test_cached()
{
	sent_by ping_a 20
	check_err $? "pings over the tunnel failed"
	[ "$TX1" -ge 20 ] && [ "$TX2" -eq 0 ]
	check_err $? "20 pings: a1 sent $TX1, a2 sent $TX2"
	# Per CPU: the ping's CPU, and at most one other should a packet be
	# sent from elsewhere.  Without the cache this is one per packet.
	[ "$LOOKUPS" -le 2 ]
	check_err $? "$LOOKUPS route lookups for 20 packets to one peer"
	log_test "one route lookup per flow, not per packet (tx_route_lookups)"
}

test_route_change()
{
	ip -n "$A" route replace "$NBMA_B/32" via 203.0.113.6 dev a2
	sent_by ping_a 1
	check_err $? "the ping after the route change failed"
	[ "$TX2" -eq 1 ] && [ "$TX1" -eq 0 ]
	check_err $? "the first packet after the route moved to a2: a1 sent $TX1, a2 $TX2"
	ip -n "$A" route replace "$NBMA_B/32" via 203.0.113.2 dev a1
	sent_by ping_a 1
	check_err $? "the ping after the route moved back failed"
	[ "$TX1" -eq 1 ] && [ "$TX2" -eq 0 ]
	check_err $? "the first packet after the route moved back: a1 sent $TX1, a2 $TX2"
	log_test "the NBMA route moved to another next hop: the next packet follows"
}

test_route_removed()
{
	local before after

	ping_a 3
	before=$(mgre_stat "$A" tx_no_route)
	ip -n "$A" route del "$NBMA_B/32"
	sent_by ping_a 1
	check_fail $? "a ping went through with no route to B's NBMA address"
	after=$(mgre_stat "$A" tx_no_route)
	[ "$TX1" -eq 0 ] && [ "$TX2" -eq 0 ]
	check_err $? "a cached route was used after it was deleted: a1 sent $TX1, a2 $TX2"
	[ "$after" -gt "$before" ]
	check_err $? "tx_no_route did not count the drop ($before -> $after)"
	ip -n "$A" route add "$NBMA_B/32" via 203.0.113.2 dev a1
	ping_a 1
	check_err $? "no ping after the route came back"
	log_test "the NBMA route deleted: the next packet is dropped as unroutable"
}

# esp SRC_OCTET DST_OCTET NS: the ESP SA from 192.0.2.SRC to .DST in NS.
esp()
{
	ip -n "$3" xfrm state add src "192.0.2.$1" dst "192.0.2.$2" proto esp \
		spi "0x10$1$2" mode transport \
		aead 'rfc4106(gcm(aes))' "$(printf '0x%02x%02x%036d' "$1" "$2" 0)" 128
}

# esp_sent: packets A's SA to B has carried.
esp_sent()
{
	ip -n "$A" -s xfrm state get src "$NBMA_A" dst "$NBMA_B" proto esp \
		spi 0x1012 |
		awk '/lifetime current:/ { getline
			for (i = 1; i <= NF; i++)
				if (sub(/\(packets\).*/, "", $i)) { print $i; exit } }'
}

# policies NS ME PEER: ESP required for GRE between the two, both ways.
policies()
{
	ip -n "$1" xfrm policy add src "192.0.2.$2" dst "192.0.2.$3" \
		proto gre dir out tmpl proto esp mode transport &&
		ip -n "$1" xfrm policy add src "192.0.2.$3" dst "192.0.2.$2" \
			proto gre dir in tmpl proto esp mode transport
}

test_xfrm()
{
	local esp

	if ! ip -n "$A" xfrm state list >/dev/null 2>&1; then
		log_test_skip "xfrm policy" "no xfrm netlink in this kernel"
		return
	fi
	ping_a 5
	esp 1 2 "$A" && esp 2 1 "$A" && esp 1 2 "$B" && esp 2 1 "$B" &&
		policies "$B" 2 1 && policies "$A" 1 2
	check_err $? "installing the SAs and policies failed"
	# B wants ESP now: a packet A sent in clear would be dropped there.
	sent_by ping_a 1
	check_err $? "the first ping after the policy was added failed"
	esp=$(esp_sent)
	[ "${esp:-0}" -eq 1 ] && [ "$TX1" -eq 1 ]
	check_err $? "the first packet after the policy: the SA carried ${esp:-0}, a1 sent $TX1"
	ping_a 5
	check_err $? "pings through ESP failed"
	ip -n "$A" xfrm policy flush && ip -n "$B" xfrm policy flush
	esp=$(esp_sent)
	sent_by ping_a 1
	check_err $? "the first ping after the policies went failed"
	[ "$(esp_sent)" -eq "$esp" ]
	check_err $? "the first packet after the policies went was still sent in ESP"
	ip -n "$A" xfrm state flush && ip -n "$B" xfrm state flush
	log_test "an xfrm policy added, then removed: the next packet obeys"
}

test_local_change()
{
	local src

	ip -n "$A" addr add 192.0.2.11/32 dev lo &&
		ip -n "$B" route add 192.0.2.11/32 via 203.0.113.1 dev b1 &&
		run_cmd nsx "$B" mgrectl add 10.0.0.1 nbma 192.0.2.11 \
			dev mgre0 replace
	check_err $? "a second local address on A, B's entry for A moved to it"
	# The first packet after the change is the one to judge: tcpdump
	# must capture before it, which it says on stderr.
	nsx "$B" timeout $((10 * TIME_SCALE)) tcpdump -q -n -U -c 1 -i b1 \
		-w "$PCAP" 'ip proto 47' >/dev/null 2>"$PCAP.err" &
	BG_PIDS+=($!)
	busywait $((5000 * TIME_SCALE)) grep -q "listening on" "$PCAP.err"
	check_err $? "tcpdump did not start: $(cat "$PCAP.err")"
	run_cmd ip -n "$A" link set mgre0 type mgre local 192.0.2.11
	check_err $? "ip link set mgre0 type mgre local failed"
	ping_a 1
	check_err $? "no ping after the local address changed"
	wait "${BG_PIDS[-1]}" 2>/dev/null
	src=$(tcpdump -n -r "$PCAP" 2>/dev/null | awk '{ print $3; exit }')
	[ "$src" = 192.0.2.11 ]
	check_err $? "the first packet after the change came from '$src', not 192.0.2.11"
	log_test "the device's local address changed: the next packet has it"
}

# The table grows to the flows: 8 rounds of 4000 datagrams to 1000
# flows, each round's route lookups falling to what the grown table
# misses.  A table that stayed at 256 slots misses nearly every packet.
# It grows at once, by the factor its misses ask for: the first round
# costs some 257 misses before the growth and 1000 to fill the new
# table (a table that only doubled, window by window, missed all 4000).
test_spread()
{
	local round l lookups=()

	run_cmd nsx "$A" nhrp-load fill --dev mgre0 --spokes 2000 \
		--proto-base 10.1.0.1 --nbma-base 198.18.0.1 --nbma-count 1000 &&
		ip -n "$A" route add 10.1.0.0/16 dev mgre0 &&
		ip -n "$A" route add 198.18.0.0/16 via 203.0.113.2 dev a1
	check_err $? "2000 entries to 1000 NBMA addresses, routed over a1"
	for round in 1 2 3 4 5 6 7 8; do
		l=$(mgre_stat "$A" tx_route_lookups)
		run_cmd nsx "$A" taskset -c 0 udp-bench send --size 64 \
			--dst 10.1.0.1 --dsts 1000 --count 4000 --duration 30
		check_err $? "udp-bench, round $round"
		lookups+=($(($(mgre_stat "$A" tx_route_lookups) - l)))
		# The grow work runs between the rounds as well as during.
		sleep 0.2
	done
	log_info "route lookups per round of 4000 datagrams: ${lookups[*]}"
	[ "${lookups[7]}" -le 1000 ] && [ "${lookups[7]}" -lt "${lookups[0]}" ]
	check_err $? "1000 flows from one CPU: ${lookups[7]} lookups in the last round of 4000 (first: ${lookups[0]})"
	[ "${lookups[0]}" -le 2000 ] && [ "${lookups[1]}" -le 100 ]
	check_err $? "the table grew late: ${lookups[0]} lookups in the first round of 4000, ${lookups[1]} in the second"
	log_test "1000 flows: the CPU's table grows at once until they fit"
}

trap 'rm -f "$PCAP" "$PCAP.err"; cleanup' EXIT

test_setup
if [ "$TESTS_FAILED" -eq 0 ]; then
	test_cached
	test_route_change
	test_route_removed
	test_xfrm
	test_local_change
	test_spread
fi
tests_done
