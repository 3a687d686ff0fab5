#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mgre beside ip_gre: both load orders, mgre's hub and spokes next to p2p
# gre (with and without a key), gretap and erspan on the same local
# addresses, each packet reaching its own device; the operator's INPUT
# rules and conntrack see what mgre takes; either module unloads under
# traffic without disturbing the other; the exclusive path (rx_demux=1)
# still refuses to share.
#
#   HUB 192.0.2.1, .101      S1 192.0.2.11, .111      S2 192.0.2.12
#     mgre0 10.0.0.1 key 42    mgre0 10.0.0.11 key 42   mgre0 10.0.0.12 key 42
#     (NHS)                    (NHC)                    (NHC)
#     gk43  10.9.43.1  p2p gre key 43, .1 <-> .11
#     gnk   10.9.0.1   p2p gre, no key, .1 <-> .11
#     gt44  10.9.44.1  gretap key 44, .1 <-> .11
#     es45  10.9.45.1  erspan v1, key 45, .1 <-> .11
#     gk42  10.9.42.1  p2p gre key 42 (mgre's key), .101 <-> .111
#   P1 192.0.2.21 -- P2 192.0.2.22: p2p gre key 42, 10.9.1.1 <-> .2, in
#   namespaces without an mgre device.  S3 192.0.2.13: a third spoke, late,
#   for conntrack.  All on bridge br0 of netns SW.
#
# mgre-timeout: 600

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping modprobe iptables conntrack

KO=${MGRE_STAGE:-$LIB_DIR/..}/mgre.ko
HT=$((6 * HOLD_SCALE))
# name:local-octet:remote-octet:address-prefix of the ip_gre devices.
IPGRE_DEVS="gk43 gnk gt44 es45 gk42"

if ! modinfo ip_gre >/dev/null 2>&1; then
	skip_all "ip_gre is not available as a module in this kernel"
fi

restore()
{
	kill_bg
	cleanup_all_ns
	# Leave the kernel as the runner set it up: mgre alone, defaults.
	rmmod ip_gre 2>/dev/null
	if [ "$(cat /sys/module/mgre/parameters/rx_demux 2>/dev/null)" != N ]; then
		rmmod mgre 2>/dev/null
		insmod "$KO"
	fi
}
trap restore EXIT

# mgre_node NS OCTET [NHS]: the node's mgre device, key 42; with NHS "nhs",
# a spoke registering with the hub.
mgre_node()
{
	local ns=$1 octet=$2 extra=""

	[ "${3:-}" = nhs ] && extra="nhs 10.0.0.1 nbma 192.0.2.1"
	# shellcheck disable=SC2086
	run_cmd ip -n "$ns" link add mgre0 type mgre local "192.0.2.$octet" \
		key 42 network-id 1 holdtime "$HT" $extra || return 1
	dev_up "$ns" mgre0 "10.0.0.$octet/24"
}

mgre_world()
{
	mgre_node "$HUB" 1 && mgre_node "$S1" 11 nhs &&
		mgre_node "$S2" 12 nhs || return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1
	busywait $((20000 * TIME_SCALE)) mgre_registered "$HUB" 10.0.0.11 10.0.0.12
}

# ipgre_pair NAME TYPE LOCAL REMOTE NET ARGS...: device NAME of TYPE in HUB
# (underlay .LOCAL) and in S1 (.REMOTE), addresses 10.9.NET.1 and .2/30.
ipgre_pair()
{
	local name=$1 type=$2 l=$3 r=$4 net=$5

	shift 5
	# One ip -batch a side: an exec is most of a second on the debug
	# kernel.
	run_cmd ip -n "$HUB" -batch - <<-EOF || return 1
		link add $name type $type local 192.0.2.$l remote 192.0.2.$r $*
		addr add 10.9.$net.1/30 dev $name
		link set $name up
	EOF
	run_cmd ip -n "$S1" -batch - <<-EOF
		link add $name type $type local 192.0.2.$r remote 192.0.2.$l $*
		addr add 10.9.$net.2/30 dev $name
		link set $name up
	EOF
}

ipgre_world()
{
	ipgre_pair gk43 gre 1 11 43 key 43 &&
		ipgre_pair gnk gre 1 11 0 &&
		ipgre_pair gt44 gretap 1 11 44 key 44 &&
		ipgre_pair es45 erspan 1 11 45 seq key 45 erspan_ver 1 erspan 45 &&
		ipgre_pair gk42 gre 101 111 42 key 42 || return 1
	run_cmd ip -n "$P1" -batch - <<-EOF || return 1
		link add gp type gre local 192.0.2.21 remote 192.0.2.22 key 42
		addr add 10.9.1.1/30 dev gp
		link set gp up
	EOF
	run_cmd ip -n "$P2" -batch - <<-EOF
		link add gp type gre local 192.0.2.22 remote 192.0.2.21 key 42
		addr add 10.9.1.2/30 dev gp
		link set gp up
	EOF
}

net_of() { case $1 in gk43) echo 43 ;; gnk) echo 0 ;; gt44) echo 44 ;;
	es45) echo 45 ;; gk42) echo 42 ;; esac; }

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 &&
		topo_node S3 13 && topo_node P1 21 && topo_node P2 22 || return 1
	ip -n "$HUB" addr add 192.0.2.101/24 dev veth0
	ip -n "$S1" addr add 192.0.2.111/24 dev veth0
}

# ping_all_ipgre: every ip_gre tunnel passes pings.
ping_all_ipgre()
{
	local d rc=0

	for d in $IPGRE_DEVS; do
		ping_ok "$HUB" "10.9.$(net_of "$d").2" || {
			log_info "ping over $d failed"
			rc=1
		}
	done
	ping_ok "$P1" 10.9.1.2 || { log_info "ping over P1-P2 failed"; rc=1; }
	return $rc
}

rxp() { link_rx_packets "$1" "$2"; }

# ---- order 1: mgre (loaded by the runner), then ip_gre -------------------

test_order_mgre_first()
{
	run_cmd modprobe ip_gre
	check_err $? "modprobe ip_gre failed while mgre is loaded"
	log_test "ip_gre loads while mgre is loaded"
}

test_side_by_side()
{
	local d before after hub_rx s1_rx

	setup && mgre_world
	check_err $? "mgre hub and two spokes did not register"
	ipgre_world
	check_err $? "creating the ip_gre devices failed"
	ping_all_ipgre
	check_err $? "an ip_gre tunnel does not pass traffic beside mgre"
	ping_ok "$S1" 10.0.0.1 && ping_ok "$S1" 10.0.0.12
	check_err $? "mgre does not pass traffic beside ip_gre"
	log_test "gre key 43, gre without key, gretap, erspan, gre key 42 on another address and in other netns, beside mgre key 42"

	# ip_gre traffic only: mgre's devices see none of it.
	hub_rx=$(rxp "$HUB" mgre0) s1_rx=$(rxp "$S1" mgre0)
	for d in $IPGRE_DEVS; do
		before=$(rxp "$HUB" "$d")
		run_cmd nsx "$HUB" ping -q -c 3 -i 0.2 -w 5 "10.9.$(net_of "$d").2"
		after=$(rxp "$HUB" "$d")
		log_info "$d rx_packets $before -> $after"
		[ $((after - before)) -ge 3 ] && [ $((after - before)) -le 8 ]
		check_err $? "$d received $((after - before)) packets for 3 echo replies"
	done
	[ "$(rxp "$HUB" mgre0)" = "$hub_rx" ] && [ "$(rxp "$S1" mgre0)" = "$s1_rx" ]
	check_err $? "mgre0 counted ip_gre's packets (hub $hub_rx -> $(rxp "$HUB" mgre0), S1 $s1_rx -> $(rxp "$S1" mgre0))"

	# mgre traffic only: ip_gre's devices see none of it.
	for d in $IPGRE_DEVS; do
		eval "rx_$d=$(rxp "$HUB" "$d")"
	done
	before=$(rxp "$HUB" mgre0)
	run_cmd nsx "$S1" ping -q -c 5 -i 0.2 -w 5 10.0.0.1
	after=$(rxp "$HUB" mgre0)
	[ $((after - before)) -ge 5 ]
	check_err $? "hub mgre0 received $((after - before)) packets for 5 echo requests"
	for d in $IPGRE_DEVS; do
		eval "before=\$rx_$d"
		[ "$(rxp "$HUB" "$d")" = "$before" ]
		check_err $? "$d counted mgre's packets ($before -> $(rxp "$HUB" "$d"))"
	done
	log_test "each device counts only its own packets"
}

# An operator's INPUT rule dropping GRE from spoke 2 stops its
# registrations before mgre sees them.
test_input_drop()
{
	local pkts

	run_cmd nsx "$HUB" iptables -I INPUT -s 192.0.2.12 -p gre -j DROP
	run_cmd nsx "$HUB" mgrectl del 10.0.0.12 dev mgre0
	# Two renewal periods (holdtime / 3 each).
	sleep $((2 * HT / 3 + 1))
	! mgre_has_entry "$HUB" 10.0.0.12
	check_err $? "spoke 2 registered through an INPUT drop rule"
	mgre_registered "$HUB" 10.0.0.11
	check_err $? "spoke 1 lost its registration"
	pkts=$(nsx "$HUB" iptables -vnxL INPUT | awk '/DROP/ && /192.0.2.12/ { print $1 }')
	log_info "the rule dropped ${pkts:-?} packets"
	[ "${pkts:-0}" -gt 0 ]
	check_err $? "the INPUT rule saw no GRE from spoke 2"
	run_cmd nsx "$HUB" iptables -D INPUT -s 192.0.2.12 -p gre -j DROP
	# The spoke backs off while its NHS does not answer (1, 2, 4 ... s).
	busywait $((30000 * TIME_SCALE)) mgre_registered "$HUB" 10.0.0.12
	check_err $? "spoke 2 did not register again once the rule was gone"
	log_test "an INPUT drop rule for GRE from a spoke stops its registrations"
}

# conntrack enters a flow that ends at mgre in its original direction, as
# its confirmation at LOCAL_IN does for a flow that ends at ip_gre.
test_conntrack()
{
	local out

	run_cmd nsx "$HUB" iptables -I INPUT -p gre -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
	# Flows that existed before conntrack did are unknown to it: start
	# one from a node that has not talked to the hub yet.
	run_cmd nsx "$HUB" conntrack -F
	mgre_node "$S3" 13 nhs && busywait $((20000 * TIME_SCALE)) \
		mgre_registered "$HUB" 10.0.0.13
	check_err $? "a third spoke did not register with conntrack on"
	out=$(nsx "$HUB" conntrack -L -p gre 2>/dev/null)
	echo "$out" | comment
	# The first src=/dst= pair is the original direction.
	echo "$out" | grep -qE '^gre +47 +[0-9]+ +src=192\.0\.2\.13 dst=192\.0\.2\.1 '
	check_err $? "conntrack has no GRE flow from 192.0.2.13 to the hub in the original direction"
	run_cmd nsx "$HUB" iptables -D INPUT -p gre -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
	run_cmd ip -n "$S3" link del mgre0
	log_test "conntrack enters GRE flows that end at mgre, first packet first"
}

# ping_bg NS DST COUNT LOG: a ping at 20/s in the background.
ping_bg()
{
	ip netns exec "$1" ping -q -i 0.05 -c "$3" -w 30 "$2" > "$4" 2>&1 &
	PING_PID=$!
}

# ping_lost LOG: packets the finished ping lost (999 if unreadable).
ping_lost()
{
	awk '/packets transmitted/ { print $1 - $4; f = 1 } END { if (!f) print 999 }' "$1"
}

test_rmmod_ipgre()
{
	local log lost

	log=$(mktemp /tmp/mgre-coexist-ping.XXXXXX)
	ping_bg "$S1" 10.0.0.12 100 "$log"
	sleep 1
	run_cmd rmmod ip_gre
	check_err $? "rmmod ip_gre failed"
	wait "$PING_PID"
	lost=$(ping_lost "$log")
	comment < "$log"
	[ "$lost" = 0 ]
	check_err $? "mgre lost $lost of 100 pings while ip_gre was unloaded"
	ping_ok "$S1" 10.0.0.1 && mgre_registered "$HUB" 10.0.0.11 10.0.0.12
	check_err $? "mgre no longer works after rmmod ip_gre"
	rm -f "$log"
	log_test "rmmod ip_gre under traffic: mgre goes on"
}

# ---- order 2: ip_gre, then mgre ------------------------------------------

test_rmmod_mgre_then_load()
{
	local log lost

	run_cmd modprobe ip_gre && ipgre_world
	check_err $? "ip_gre and its devices did not come back"
	log=$(mktemp /tmp/mgre-coexist-ping.XXXXXX)
	ping_bg "$HUB" 10.9.43.2 100 "$log"
	sleep 1
	run_cmd rmmod mgre
	check_err $? "rmmod mgre failed"
	wait "$PING_PID"
	lost=$(ping_lost "$log")
	comment < "$log"
	[ "$lost" = 0 ]
	check_err $? "gre lost $lost of 100 pings while mgre was unloaded"
	ping_all_ipgre
	check_err $? "ip_gre no longer works after rmmod mgre"
	rm -f "$log"
	log_test "rmmod mgre under traffic: ip_gre goes on"

	run_cmd insmod "$KO"
	check_err $? "mgre does not load while ip_gre is loaded"
	mgre_world
	check_err $? "mgre hub and spokes did not register with ip_gre loaded first"
	ping_ok "$S1" 10.0.0.12 && ping_all_ipgre
	check_err $? "traffic does not pass on both after loading mgre second"
	log_test "ip_gre first, then mgre: both work"
}

# ---- the exclusive path ----------------------------------------------------

test_rx_demux()
{
	local n

	run_cmd rmmod mgre
	n=$(dmesg | wc -l)
	! run_cmd insmod "$KO" rx_demux=1
	check_err $? "mgre rx_demux=1 loaded while ip_gre holds GRE version 0"
	dmesg | tail -n +$((n + 1)) |
		grep -q "mgre: rx_demux=1: GRE version 0 is claimed by another module"
	check_err $? "mgre rx_demux=1's failure has no clear kernel log line"
	run_cmd rmmod ip_gre && run_cmd insmod "$KO" rx_demux=1
	check_err $? "mgre rx_demux=1 did not load without ip_gre"
	! run_cmd modprobe ip_gre
	check_err $? "ip_gre loaded while mgre rx_demux=1 holds GRE version 0"
	mgre_world && ping_ok "$S1" 10.0.0.12
	check_err $? "mgre rx_demux=1 does not register and pass traffic"
	log_test "rx_demux=1: the exclusive path still works and still excludes ip_gre"
}

test_order_mgre_first
test_side_by_side
test_input_drop
test_conntrack
test_rmmod_ipgre
test_rmmod_mgre_then_load
test_rx_demux

tests_done
