#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks of issue 5, all in one boot (make bench): every figure is
# printed beside its baseline, because only ratios measured in the same boot
# mean anything on a noisy host running the VM under TCG.  Not part of the
# default suite (its name does not start with mgre_).
#
# Phase 1, ip_gre loaded (mgre unloaded):
#
#   TX  veth0 198.51.100.1 ------------------- veth0 (no address, tc drop) RX
#       10.0.0.0/8 via 198.51.100.2             counts what arrives
#       198.18.0.0/15 via 198.51.100.2
#       gre1 (ip_gre NBMA, key 42) 10.0.0.1/8, neigh 10.0.0.2 -> 198.18.0.1
#
#   FHUB veth0 198.51.100.1 ------------------ veth0 198.51.100.2  LOAD
#        gre1 ip_gre NBMA 10.128.0.1, zebra+nhrpd      nhrp-load, spokes at
#        198.18.0.0/15 via 198.51.100.2                198.18.0.1+i (local)
#
# Phase 2, mgre loaded (ip_gre unloaded): the same TX/RX pair with mgre0
# instead of gre1 and 1 .. 1,000,000 static entries 10.0.0.2+i ->
# 198.18.0.1+(i % 65536); the same hub/load pair with an mgre hub, plus
#
#   HUB veth1 203.0.113.1 ------ veth1 (tc drop) SINK: the hub's own traffic
#       during the registration storm, to 1000 static entries -> 203.0.113.2
#
#   SW bridge: HUB 192.0.2.1, spokes A 192.0.2.11 and B 192.0.2.12 with
#   NHRP (resolution latency: A sends to B through the hub until resolved)
#
# Results: "# BENCH-ROW|figure|mgre|baseline|ratio|target|met" and
# "# BENCH-NOTE|text" lines (bench-report.sh turns them into BENCHMARKS.md).
#
# Environment (make bench passes them through):
#   MGRE_BENCH_SECONDS  seconds per transmit run (default 3)
#   MGRE_BENCH_REPS     runs per transmit figure, the median counts (5)
#   MGRE_BENCH_BIG      the largest cache (default 1000000)
#   MGRE_BENCH_SPOKES   spokes registering at the hubs (default 100000)
#   MGRE_BENCH_FRR_SECONDS  cap on FRR nhrpd's registration run (60)
#   MGRE_BENCH_TCP_REPS runs per bulk TCP figure, the median counts (5)
#   MGRE_BENCH_ONLY     only these sections (see below)
#   MGRE_BENCH_INSN     1: QEMU counts instructions (selftests/insn-count.c)
#   MGRE_BENCH_INSN_PACKETS  datagrams per instruction-count run (50000)
#
# mgre-timeout: 2100

source "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
require_cmd ip jq tc tcpdump tshark udp-bench nhrp-load mgrectl taskset

SECS=${MGRE_BENCH_SECONDS:-3}
REPS=${MGRE_BENCH_REPS:-5}
BIG=${MGRE_BENCH_BIG:-1000000}
SPOKES=${MGRE_BENCH_SPOKES:-100000}
FRR_SECS=${MGRE_BENCH_FRR_SECONDS:-60}
FRR_BIN=/usr/lib/frr
FRR_STATE=/run/mgre-bench-frr
SIZES="64 1400"
# Distinct next hops the traffic is spread over, at most (each one costs a
# neighbour entry on the tunnel device, created before timing starts).
SPREAD=65536
T_START=$(date +%s)

declare -A R		# results by name

row() { echo "# BENCH-ROW|$1|$2|$3|$4|$5|$6"; }
note() { echo "# BENCH-NOTE|$*"; }
since() { echo $(($(date +%s) - T_START)); }

# median: of the numbers on stdin
median()
{
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}

# ratio A B [DIGITS]
ratio()
{
	awk -v a="$1" -v b="$2" -v d="${3:-2}" \
		'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.*f\n", d, a / b }'
}

# met VALUE OP LIMIT: "yes" or "no"
met()
{
	awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
		if (v == "n/a" || v == "") { print "no"; exit }
		ok = (op == ">=") ? v + 0 >= l + 0 : v + 0 <= l + 0
		print ok ? "yes" : "no" }'
}

kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1"; }

mem_kb()
{
	awk '/^(Slab|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo
}

# The kernel's neighbour table must hold one entry per next hop in use
# (the trap DESIGN.md names): raised for the whole VM, and said so.
sysctl -qw net.ipv4.neigh.default.gc_thresh1=262144 \
	net.ipv4.neigh.default.gc_thresh2=524288 \
	net.ipv4.neigh.default.gc_thresh3=1048576
note "net.ipv4.neigh.default.gc_thresh1/2/3 raised to 262144/524288/1048576 in the VM: both tunnels and nhrpd's hub need a neighbour entry per next hop in use"

# ---- transmit ------------------------------------------------------------

# Each configuration has its own sender namespace TX_<name> and sink
# RX_<name>, so that configurations can be measured in turns: runs of two
# of them alternate and their ratio is taken run by run, which cancels the
# host's slow drifts in load.
declare -A TXNS RXNS TXARGS

# tx_pair NAME: TXNS[NAME] 198.51.100.1 -- RXNS[NAME] (no address, drop);
# 10.0.0.0/8 and 198.18.0.0/15 are routed to the sink unless a tunnel takes
# 10.0.0.0/8 later.
tx_pair()
{
	local name=$1 tx rx

	setup_ns tx rx || return 1
	TXNS[$name]=$tx RXNS[$name]=$rx
	ip link add veth0 netns "$tx" type veth peer name veth0 netns "$rx"
	ip -n "$tx" addr add 198.51.100.1/24 dev veth0
	ip -n "$tx" link set veth0 up
	ip -n "$rx" link set veth0 up
	# The sink drops at ingress: the cheapest sink there is.
	tc -n "$rx" qdisc add dev veth0 clsact
	tc -n "$rx" filter add dev veth0 ingress matchall action drop
	ip -n "$tx" neigh replace 198.51.100.2 dev veth0 nud permanent \
		lladdr "$(ip -n "$rx" -j link show veth0 | jq -r '.[0].address')"
	ip -n "$tx" route add 198.18.0.0/15 via 198.51.100.2
	nsx "$tx" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	nsx "$rx" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	TXARGS[$name]="--dst 10.0.0.2"
}

rx_count() { nsx "${RXNS[$1]}" cat /sys/class/net/veth0/statistics/rx_packets; }

# tx_once NAME SIZE: one run; prints the packets per second that arrived
# at the sink, and the sender's own figures on stderr.
tx_once()
{
	local name=$1 size=$2 a b out

	a=$(rx_count "$name")
	# shellcheck disable=SC2086
	out=$(nsx "${TXNS[$name]}" taskset -c 0 udp-bench send --size "$size" \
		--duration "$SECS" ${TXARGS[$name]})
	b=$(rx_count "$name")
	awk -v n=$((b - a)) -v s="$(kv "$out" seconds)" 'BEGIN { printf "%.0f\n", n / s }'
	echo "$name/$size sent $(kv "$out" pps | cut -d. -f1)/s, $(kv "$out" errors) errors" >&2
}

# tx_warm NAME SIZE: one pass over the destinations, outside the timing.
tx_warm()
{
	# shellcheck disable=SC2086
	nsx "${TXNS[$1]}" taskset -c 0 udp-bench send --size "$2" --duration 1 \
		--warm ${TXARGS[$1]} >/dev/null
}

# tx_cmp A B SIZE: REPS rounds of A and B in turns (the order alternates);
# R[A.SIZE], R[B.SIZE]: median pps, R[A/B.SIZE]: median of the per-round
# ratios.
tx_cmp()
{
	local a=$1 b=$2 size=$3 i pa pb la="" lb="" lr="" err

	err=$(mktemp /tmp/bench-tx.XXXXXX)
	tx_warm "$a" "$size"
	tx_warm "$b" "$size"
	for i in $(seq "$REPS"); do
		if [ $((i % 2)) = 1 ]; then
			pa=$(tx_once "$a" "$size" 2>>"$err")
			pb=$(tx_once "$b" "$size" 2>>"$err")
		else
			pb=$(tx_once "$b" "$size" 2>>"$err")
			pa=$(tx_once "$a" "$size" 2>>"$err")
		fi
		la="$la $pa" lb="$lb $pb" lr="$lr $(ratio "$pa" "$pb" 4)"
	done
	R[$a.$size]=$(tr ' ' '\n' <<< "$la" | grep . | median)
	R[$b.$size]=$(tr ' ' '\n' <<< "$lb" | grep . | median)
	R[$a/$b.$size]=$(tr ' ' '\n' <<< "$lr" | grep . | grep -v n/a | median)
	R[$a.$size.ns]=$(awk -v p="${R[$a.$size]}" 'BEGIN { printf "%.0f\n", p ? 1e9 / p : 0 }')
	R[$b.$size.ns]=$(awk -v p="${R[$b.$size]}" 'BEGIN { printf "%.0f\n", p ? 1e9 / p : 0 }')
	log_info "$size B: $a pps$la | $b pps$lb | ratios$lr -> ${R[$a/$b.$size]}"
	comment < "$err"
	rm -f "$err"
}

# Plain routing: 10.0.0.0/8 via the sink, no tunnel.
tx_plain_setup()
{
	tx_pair plain || return 1
	ip -n "${TXNS[plain]}" route add 10.0.0.0/8 via 198.51.100.2
}

test_tx_ipgre()
{
	local s ns

	tx_plain_setup && tx_pair ipgre
	check_err $? "transmit topology"
	ns=${TXNS[ipgre]}
	run_cmd ip -n "$ns" link add gre1 type gre key 42 local 198.51.100.1
	check_err $? "ip_gre NBMA device"
	ip -n "$ns" addr add 10.0.0.1/8 dev gre1
	ip -n "$ns" link set gre1 up
	ip -n "$ns" neigh add 10.0.0.2 lladdr 198.18.0.1 dev gre1 nud permanent
	check_err $? "ip_gre neighbour entry"
	for s in $SIZES; do
		tx_cmp ipgre plain "$s"
	done
	log_info "gre1: $(ip -n "$ns" -d link show gre1 | tr '\n' ' ')"
	log_test "transmit: ip_gre NBMA with 1 peer beside plain routing ($(since)s)"
}

# Neighbour-table cost per peer of an ip_gre NBMA hub: 100k entries.
test_neigh_mem()
{
	local before after n batch

	batch=$(mktemp /tmp/bench-neigh.XXXXXX)
	awk -v n="$SPOKES" 'BEGIN { for (i = 0; i < n; i++)
		printf "neigh add 10.%d.%d.%d lladdr 198.18.%d.%d dev gre1\n",
			64 + int(i / 65536), int(i / 256) % 256, i % 256,
			int(i / 256) % 256, i % 256 }' > "$batch"
	ip -n "${TXNS[ipgre]}" route add 10.64.0.0/10 dev gre1
	before=$(mem_kb)
	run_cmd ip -n "${TXNS[ipgre]}" -batch "$batch"
	check_err $? "ip -batch neigh add"
	after=$(mem_kb)
	n=$(ip -n "${TXNS[ipgre]}" neigh show dev gre1 | grep -c lladdr)
	R[neigh.bytes]=$(awk -v a="$after" -v b="$before" -v n="$n" \
		'BEGIN { printf "%.0f\n", (a - b) * 1024 / n }')
	log_info "$n neighbour entries on gre1: slab+vmalloc $before -> $after kB, ${R[neigh.bytes]} B each"
	ip -n "${TXNS[ipgre]}" neigh flush dev gre1
	rm -f "$batch"
	log_test "memory: $n ip_gre neighbour entries ($(since)s)"
}

# mgre_dev NAME MAX: mgre0 in TXNS[NAME], 10.0.0.1/8.
mgre_dev()
{
	local ns=${TXNS[$1]}

	run_cmd ip -n "$ns" link add mgre0 type mgre local 198.51.100.1 key 42 \
		max-entries "$2" || return 1
	ip -n "$ns" addr add 10.0.0.1/8 dev mgre0
	ip -n "$ns" link set mgre0 up
}

# fill NAME FROM TO: entries FROM..TO-1 (10.0.0.2+i -> 198.18.0.1+i%65536).
fill()
{
	local first

	first=$(awk -v i=$(($2 + 2)) 'BEGIN { printf "10.%d.%d.%d", int(i / 65536), int(i / 256) % 256, i % 256 }')
	run_cmd nsx "${TXNS[$1]}" nhrp-load fill --dev mgre0 --spokes $(($3 - $2)) \
		--proto-base "$first" --nbma-base 198.18.0.1 --nbma-count 65536 \
		--window 1024
	log_info "$CMD_OUT"
	R[fill.$3]=$(kv "$CMD_OUT" ok_per_s)
	[ "$(mgrectl_ns "${TXNS[$1]}" -j stats dev mgre0 | jq '.devices[0].entries')" = "$3" ]
}

test_tx_mgre()
{
	local n have=0 s d objs objsize m0 m1

	# plainS: plain routing over the same destinations as mgreN, for what
	# spreading traffic costs the sender without any tunnel.
	tx_plain_setup && tx_pair mgre1 && tx_pair mgreN && tx_pair plainS &&
		ip -n "${TXNS[plainS]}" route add 10.0.0.0/8 via 198.51.100.2
	check_err $? "transmit topology"
	mgre_dev mgre1 1000 && mgre_dev mgreN $((BIG + 1000))
	check_err $? "mgre devices"
	fill mgre1 0 1
	check_err $? "the one entry of mgre1"
	for s in $SIZES; do
		tx_cmp mgre1 plain "$s"
		R[mgre1p.$s]=${R[mgre1.$s]} R[mgre1p.$s.ns]=${R[mgre1.$s.ns]}
	done
	for n in 1000 $SPOKES $BIG; do
		[ "$n" -gt "$have" ] || continue
		m0=$(mem_kb)
		fill mgreN "$have" "$n"
		check_err $? "filling mgreN to $n entries"
		m1=$(mem_kb)
		if [ "$n" = "$SPOKES" ] || [ "$n" = "$BIG" ]; then
			echo 1 > /sys/kernel/slab/mgre_entry/shrink 2>/dev/null
			read -r objs objsize < <(awk '$1 == "mgre_entry" { print $3, $4 }' /proc/slabinfo)
			R[mem.$n]=$(awk -v a="$m1" -v b="$m0" -v n=$((n - have)) \
				'BEGIN { printf "%.0f\n", (a - b) * 1024 / n }')
			# Both devices' entries are in the cache: mgre1's one too.
			R[slab.$n]=$(awk -v o="$objs" -v s="$objsize" -v n=$((n + 1)) \
				'BEGIN { printf "%.0f\n", o * s / n }')
			log_info "$n entries: mgre_entry slab $objs objects of $objsize B (${R[slab.$n]} B/entry); slab+vmalloc grew $m0 -> $m1 kB for $((n - have)) entries (${R[mem.$n]} B/entry, hash table and id xarray included)"
		fi
		have=$n
		d=$((n < SPREAD ? n : SPREAD))
		TXARGS[mgreN]="--dst 10.0.0.2 --dsts $d --stride $((n / d))"
		TXARGS[plainS]=${TXARGS[mgreN]}
		for s in $SIZES; do
			tx_cmp "mgreN" mgre1 "$s"
			R[mgre$n.$s]=${R[mgreN.$s]}
			R[mgre$n.$s.ns]=${R[mgreN.$s.ns]}
			R[mgre$n/mgre1.$s]=${R[mgreN/mgre1.$s]}
			R[mgre1@$n.$s]=${R[mgre1.$s]}
			tx_cmp plainS plain "$s"
			R[plain$n.$s]=${R[plainS.$s]}
			R[plain$n/plain.$s]=${R[plainS/plain.$s]}
			R[plain@$n.$s]=${R[plain.$s]}
		done
		log_info "mgreN after $n: $(mgrectl_ns "${TXNS[mgreN]}" stats dev mgre0 | tr '\n' ' ')"
	done
	log_test "transmit: mgre with 1 .. $BIG entries, beside mgre with 1 and plain routing ($(since)s)"
}

# Multicast replication (issue 6): one packet to a group becomes one copy
# per entry flagged multicast.  The sink counts copies; their rate is set
# beside mgre1's unicast rate, measured in turns.
MCAST_TARGETS=64
test_tx_mcast()
{
	local ns s i

	tx_pair mcast
	check_err $? "transmit topology"
	ns=${TXNS[mcast]}
	mgre_dev mcast 1000
	check_err $? "mgre device"
	for i in $(seq 0 $((MCAST_TARGETS - 1))); do
		echo "add 10.0.1.$i nbma 198.18.0.$((i + 1)) multicast dev mgre0"
	done > "/tmp/bench-mcast.$$"
	while read -r line; do
		# shellcheck disable=SC2086
		nsx "$ns" mgrectl $line || break
	done < "/tmp/bench-mcast.$$"
	rm -f "/tmp/bench-mcast.$$"
	ip -n "$ns" route add 239.0.0.0/8 dev mgre0
	TXARGS[mcast]="--dst 239.1.1.1"
	for s in $SIZES; do
		tx_cmp mcast mgre1 "$s"
		R[mgre1@mcast.$s]=${R[mgre1.$s]}
	done
	log_info "mcast: $(mgrectl_ns "$ns" stats dev mgre0 | tr '\n' ' ')"
	log_test "transmit: multicast to $MCAST_TARGETS entries beside mgre unicast ($(since)s)"
}

# ---- registrations at a hub ------------------------------------------------

hub_setup()
{
	setup_ns HUB LOAD || return 1
	ip link add veth0 netns "$HUB" type veth peer name veth0 netns "$LOAD"
	ip -n "$HUB" addr add 198.51.100.1/24 dev veth0
	ip -n "$LOAD" addr add 198.51.100.2/24 dev veth0
	ip -n "$HUB" link set veth0 up
	ip -n "$LOAD" link set veth0 up
	ip -n "$HUB" route add 198.18.0.0/15 via 198.51.100.2
	ip -n "$LOAD" route add local 198.18.0.0/15 dev lo
	nsx "$HUB" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.veth0.rp_filter=0 net.ipv6.conf.all.disable_ipv6=1
	nsx "$LOAD" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.veth0.rp_filter=0 net.ipv6.conf.all.disable_ipv6=1
}

# load MODE ARGS...: nhrp-load against the hub, pinned to CPU 1; output in
# LOAD_OUT.
load()
{
	local mode=$1

	shift
	LOAD_OUT=$(nsx "$LOAD" taskset -c 1 nhrp-load "$mode" --hub 198.51.100.1 \
		--hub-proto 10.128.0.1 --key 42 --proto-base 10.128.0.2 \
		--holdtime 3600 "$@" 2>&1)
	printf '%s\n' "$LOAD_OUT" | comment
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# ---- receive: the LOCAL_IN hook against the GRE demultiplexer ------------
#
#   TX mgre0 10.0.0.1/8 (1 entry 10.0.0.2 -> 198.51.100.2) veth0 198.51.100.1
#   --- RX veth0 198.51.100.2, mgre0 local 198.51.100.2 key 42 10.0.0.2/8,
#       ingress matchall drop on mgre0: counts what mgre decapsulated.
# Both rx paths need their own module load (rx_demux is read at load), so
# each run reloads mgre and rebuilds the pair; the two paths alternate.

# rx_pair NAME MODE: TXNS[NAME] sends through mgre (10.0.0.3 via entry
# 10.0.0.2 -> 198.51.100.2) to RXNS[NAME], which decapsulates with MODE
# (mgre, ipgre) into an ingress drop, or drops at the veth (none).
rx_pair()
{
	local tx rx dev=veth0

	setup_ns tx rx || return 1
	TXNS[$1]=$tx RXNS[$1]=$rx TXARGS[$1]="--dst 10.0.0.3"
	ip link add veth0 netns "$tx" type veth peer name veth0 netns "$rx"
	ip -n "$tx" addr add 198.51.100.1/24 dev veth0
	ip -n "$rx" addr add 198.51.100.2/24 dev veth0
	ip -n "$tx" link set veth0 up
	ip -n "$rx" link set veth0 up
	nsx "$tx" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	nsx "$rx" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$tx" neigh replace 198.51.100.2 dev veth0 nud permanent \
		lladdr "$(ip -n "$rx" -j link show veth0 | jq -r '.[0].address')"
	ip -n "$tx" link add mgre0 type mgre local 198.51.100.1 key 42 &&
		ip -n "$tx" addr add 10.0.0.1/8 dev mgre0 &&
		ip -n "$tx" link set mgre0 up &&
		nsx "$tx" mgrectl add 10.0.0.2 nbma 198.51.100.2 dev mgre0 &&
		ip -n "$tx" route add 10.0.0.3/32 via 10.0.0.2 dev mgre0 ||
		return 1
	case $2 in
	mgre)
		dev=mgre0
		ip -n "$rx" link add mgre0 type mgre local 198.51.100.2 key 42 ;;
	ipgre)
		dev=gre1
		ip -n "$rx" link add gre1 type gre local 198.51.100.2 key 42 ;;
	esac || return 1
	if [ "$dev" != veth0 ]; then
		ip -n "$rx" addr add 10.0.0.2/8 dev "$dev" &&
			ip -n "$rx" link set "$dev" up || return 1
	fi
	tc -n "$rx" qdisc add dev "$dev" clsact &&
		tc -n "$rx" filter add dev "$dev" ingress matchall action drop
}

# rx_once MODE SIZE: mgre loaded with rx_demux=MODE, one run; prints the
# packets per second that RX's mgre0 received.
rx_once()
{
	local mode=$1 size=$2 tx rx a b out

	cleanup_all_ns
	rmmod mgre 2>/dev/null || { sleep 2; rmmod mgre; }
	insmod "$MGRE_STAGE/mgre.ko" rx_demux="$mode" || return 1
	rx_pair rx mgre || return 1
	tx=${TXNS[rx]} rx=${RXNS[rx]}
	nsx "$tx" taskset -c 0 udp-bench send --size "$size" --duration 1 \
		--dst 10.0.0.3 >/dev/null
	a=$(link_rx_packets "$rx" mgre0)
	out=$(nsx "$tx" taskset -c 0 udp-bench send --size "$size" \
		--duration "$SECS" --dst 10.0.0.3)
	b=$(link_rx_packets "$rx" mgre0)
	awk -v n=$((b - a)) -v s="$(kv "$out" seconds)" 'BEGIN { printf "%.0f\n", n / s }'
	echo "rx_demux=$mode/$size sent $(kv "$out" pps | cut -d. -f1)/s" >&2
}

test_rx()
{
	local s i ph pd lh="" ld="" lr="" err

	err=$(mktemp /tmp/bench-rx.XXXXXX)
	for s in $SIZES; do
		lh="" ld="" lr=""
		for i in $(seq "$REPS"); do
			if [ $((i % 2)) = 1 ]; then
				ph=$(rx_once 0 "$s" 2>>"$err")
				pd=$(rx_once 1 "$s" 2>>"$err")
			else
				pd=$(rx_once 1 "$s" 2>>"$err")
				ph=$(rx_once 0 "$s" 2>>"$err")
			fi
			lh="$lh $ph" ld="$ld $pd" lr="$lr $(ratio "$ph" "$pd" 4)"
		done
		R[rxhook.$s]=$(tr ' ' '\n' <<< "$lh" | grep . | median)
		R[rxdemux.$s]=$(tr ' ' '\n' <<< "$ld" | grep . | median)
		R[rx.$s]=$(tr ' ' '\n' <<< "$lr" | grep . | grep -v n/a | median)
		log_info "receive $s B: hook pps$lh | demux pps$ld | ratios$lr -> ${R[rx.$s]}"
	done
	comment < "$err"
	rm -f "$err"
	cleanup_all_ns
	rmmod mgre 2>/dev/null; insmod "$MGRE_STAGE/mgre.ko"
	[ "${R[rxhook.64]:-0}" -gt 0 ] && [ "${R[rxdemux.64]:-0}" -gt 0 ]
	check_err $? "no receive figure: mgre0 decapsulated nothing"
	log_test "receive: LOCAL_IN hook against the GRE demultiplexer ($(since)s)"
}

frr_cleanup()
{
	local pid

	for pid in $(cat "$FRR_STATE"/*.pid 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
}

vty() { timeout 20 vtysh --vty_socket "$FRR_STATE" -c "$1" 2>&1; }

frr_ready()
{
	vty "show ip nhrp cache json" | sed -n '/^{/,$p' |
		jq -e 'any(.table[]?; .type == "local")' >/dev/null 2>&1
}

test_frr()
{
	local nhrpd zebra r0 z0 r1 z1 m0 m1 n

	if [ ! -x "$FRR_BIN/nhrpd" ] || ! id frr >/dev/null 2>&1; then
		log_test_skip "FRR nhrpd hub" "FRR not installed"
		return
	fi
	hub_setup
	check_err $? "hub topology"
	run_cmd ip -n "$HUB" tunnel add gre1 mode gre key 42 ttl 64 dev veth0 \
		local 198.51.100.1
	check_err $? "ip_gre NBMA tunnel"
	ip -n "$HUB" addr add 10.128.0.1/32 dev gre1
	ip -n "$HUB" link set gre1 up
	ip -n "$HUB" route add 10.128.0.0/15 dev gre1
	mkdir -p "$FRR_STATE"
	mount -t tmpfs tmpfs "$FRR_STATE" 2>/dev/null
	cat > "$FRR_STATE/zebra.conf" <<-EOF
	hostname bench-zebra
	log file $FRR_STATE/zebra.log errors
	EOF
	cat > "$FRR_STATE/nhrpd.conf" <<-EOF
	hostname bench-nhrpd
	log file $FRR_STATE/nhrpd.log errors
	!
	interface gre1
	 ip nhrp network-id 1
	 ip nhrp holdtime 3600
	 tunnel source veth0
	!
	EOF
	chown -R frr:frr "$FRR_STATE"
	nsx "$HUB" "$FRR_BIN/zebra" -d -u frr -g frr -P 0 -f "$FRR_STATE/zebra.conf" \
		-i "$FRR_STATE/zebra.pid" -z "$FRR_STATE/zserv.api" \
		--vty_socket "$FRR_STATE" </dev/null >/dev/null 2>&1
	sleep 2
	nsx "$HUB" "$FRR_BIN/nhrpd" -d -u frr -g frr -P 0 -f "$FRR_STATE/nhrpd.conf" \
		-i "$FRR_STATE/nhrpd.pid" -z "$FRR_STATE/zserv.api" \
		--vty_socket "$FRR_STATE" </dev/null >/dev/null 2>&1
	busywait 60000 frr_ready
	check_err $? "nhrpd not up: $(vty 'show ip nhrp cache' | tr '\n' ' ')"
	nhrpd=$(cat "$FRR_STATE/nhrpd.pid" 2>/dev/null)
	zebra=$(cat "$FRR_STATE/zebra.pid" 2>/dev/null)
	r0=$(rss_kb "$nhrpd") z0=$(rss_kb "$zebra") m0=$(mem_kb)

	load register --spokes "$SPOKES" --window 256 --duration "$FRR_SECS"
	R[frr.reg]=$(kv "$LOAD_OUT" ok_per_s)
	R[frr.ok]=$(kv "$LOAD_OUT" ok)
	R[frr.secs]=$(kv "$LOAD_OUT" seconds)
	r1=$(rss_kb "$nhrpd") z1=$(rss_kb "$zebra") m1=$(mem_kb)
	n=$(ip -n "$HUB" neigh show dev gre1 | grep -c lladdr)
	log_info "FRR: ${R[frr.ok]} registrations in ${R[frr.secs]}s; $n neighbours on gre1; nhrpd RSS $r0 -> $r1 kB, zebra $z0 -> $z1 kB, kernel slab+vmalloc $m0 -> $m1 kB"
	if [ "${R[frr.ok]:-0}" -gt 0 ]; then
		R[frr.daemon_bytes]=$(awk -v a=$((r1 - r0 + z1 - z0)) -v n="${R[frr.ok]}" \
			'BEGIN { printf "%.0f\n", a * 1024 / n }')
		R[frr.kernel_bytes]=$(awk -v a=$((m1 - m0)) -v n="${R[frr.ok]}" \
			'BEGIN { printf "%.0f\n", a * 1024 / n }')
	fi
	[ "${R[frr.ok]:-0}" -gt 0 ]
	check_err $? "nhrpd accepted no registration: $LOAD_OUT"

	# Resolutions: 200 spokes registered afresh, spoke 0 asks for the
	# others.  nhrpd forwards a request for a registered spoke to that
	# spoke (which the generator does not answer) instead of replying
	# from its cache: counted, not timed.
	load resolve --spokes 200 --count 200 --window 64 --retries 0 \
		--timeout 500 --nbma-base 198.19.0.1 --proto-base 10.129.0.2
	R[frr.res_ok]=$(kv "$LOAD_OUT" res_ok)
	R[frr.res]=$(kv "$LOAD_OUT" res_per_s)
	[ "${R[frr.res_ok]:-0}" -gt 0 ] || R[frr.res]=n/a
	note "nhrpd resolution run: ${R[frr.res_ok]:-0} of 200 requests answered, $(kv "$LOAD_OUT" other_rx) other NHRP packets (forwarded requests) came back to the generator's spokes"
	frr_cleanup
	sleep 1
	log_test "FRR nhrpd hub on ip_gre: ${R[frr.ok]} registrations at ${R[frr.reg]}/s, ${R[frr.res]} resolutions/s ($(since)s)"
}

test_mgre_hub()
{
	local m0 m1

	hub_setup
	check_err $? "hub topology"
	run_cmd ip -n "$HUB" link add mgre0 type mgre local 198.51.100.1 key 42 \
		network-id 1 holdtime 3600 max-entries $((SPOKES + 5000))
	check_err $? "mgre hub"
	ip -n "$HUB" addr add 10.128.0.1/15 dev mgre0
	ip -n "$HUB" link set mgre0 up
	m0=$(mem_kb)
	load register --spokes "$SPOKES" --window 256
	R[mgre.reg]=$(kv "$LOAD_OUT" ok_per_s)
	R[mgre.ok]=$(kv "$LOAD_OUT" ok)
	R[mgre.secs]=$(kv "$LOAD_OUT" seconds)
	m1=$(mem_kb)
	[ "${R[mgre.ok]}" = "$SPOKES" ]
	check_err $? "${R[mgre.ok]} of $SPOKES registrations acknowledged"
	log_info "mgre hub: slab+vmalloc $m0 -> $m1 kB for ${R[mgre.ok]} registered entries"
	load resolve --spokes 1000 --count 20000 --window 64 --nbma-base 198.19.0.1 \
		--proto-base 10.129.0.2
	R[mgre.res]=$(kv "$LOAD_OUT" res_per_s)
	R[mgre.res_ok]=$(kv "$LOAD_OUT" res_ok)
	log_test "mgre hub: ${R[mgre.ok]} registrations at ${R[mgre.reg]}/s, ${R[mgre.res]} resolutions/s ($(since)s)"
}

# ---- data path under a registration storm ---------------------------------

sink_count() { nsx "$SINK" cat /sys/class/net/veth1/statistics/rx_packets; }

# storm_tx SECONDS: pps that reached the sink from the hub's mgre0.
storm_tx()
{
	local a b out

	a=$(sink_count)
	out=$(nsx "$HUB" taskset -c 0 udp-bench send --size 64 --dst 10.200.0.1 \
		--dsts 1000 --duration "$1")
	b=$(sink_count)
	awk -v n=$((b - a)) -v s="$(kv "$out" seconds)" 'BEGIN { printf "%.0f\n", n / s }'
}

test_storm()
{
	local secs q1 q2 st lpid

	setup_ns SINK
	ip link add veth1 netns "$HUB" type veth peer name veth1 netns "$SINK"
	ip -n "$HUB" addr add 203.0.113.1/24 dev veth1
	ip -n "$HUB" link set veth1 up
	ip -n "$SINK" link set veth1 up
	tc -n "$SINK" qdisc add dev veth1 clsact
	tc -n "$SINK" filter add dev veth1 ingress matchall action drop
	ip -n "$HUB" neigh replace 203.0.113.2 dev veth1 nud permanent \
		lladdr "$(ip -n "$SINK" -j link show veth1 | jq -r '.[0].address')"
	ip -n "$HUB" route add 10.200.0.0/16 dev mgre0
	run_cmd nsx "$HUB" nhrp-load fill --dev mgre0 --spokes 1000 \
		--proto-base 10.200.0.1 --nbma-base 203.0.113.2
	check_err $? "static entries for the hub's traffic"
	run_cmd nsx "$HUB" mgrectl flush dev mgre0 type registered
	# The storm lasts as long as the quiet registration run took: send
	# for most of it.
	secs=$(awk -v s="${R[mgre.secs]:-10}" 'BEGIN { s = int(s * 0.7);
		print s < 3 ? 3 : (s > 20 ? 20 : s) }')
	nsx "$HUB" taskset -c 0 udp-bench send --size 64 --dst 10.200.0.1 \
		--dsts 1000 --duration 1 --warm >/dev/null
	q1=$(storm_tx "$secs")
	load register --spokes "$SPOKES" --window 256 --nbma-base 198.18.0.1 &
	lpid=$!
	sleep 0.5
	st=$(storm_tx "$secs")
	wait $lpid
	q2=$(storm_tx "$secs")
	R[storm.quiet]=$(printf '%s\n%s\n' "$q1" "$q2" | awk '{ s += $1 } END { printf "%.0f\n", s / NR }')
	R[storm.storm]=$st
	R[storm.reg]=$(mgrectl_ns "$HUB" -j stats dev mgre0 | jq '.devices[0].entries')
	log_info "hub transmit, 64 B to 1000 entries for ${secs}s: quiet $q1 pps, during $SPOKES registrations $st pps, quiet again $q2 pps; hub holds ${R[storm.reg]} entries"
	log_test "data path under a registration storm ($(since)s)"
}

# ---- resolution latency -------------------------------------------------------

lat_spoke()
{
	local ns=$1 octet=$2

	run_cmd ip -n "$ns" link add mgre0 type mgre local "192.0.2.$octet" \
		key 42 network-id 1 holdtime 600 nhs 10.0.0.1 nbma 192.0.2.1 ||
		return 1
	ip -n "$ns" addr add "10.0.0.$octet/24" dev mgre0 &&
		ip -n "$ns" link set mgre0 up
}

registered() { mgre_has_entry "$HUBL" "10.0.0.$1"; }

test_latency()
{
	local i pcap out first direct req rep late hub rtt lat dlat lost sent \
		got lats="" dlats="" losses="" rtts="" hubs=0 rpid tpid

	topo_init && topo_node HUBL 1 && topo_node SA 11 && topo_node SB 12
	check_err $? "latency topology"
	run_cmd ip -n "$HUBL" link add mgre0 type mgre local 192.0.2.1 key 42 \
		network-id 1 holdtime 600
	ip -n "$HUBL" addr add 10.0.0.1/24 dev mgre0
	ip -n "$HUBL" link set mgre0 up
	nsx "$HUBL" sysctl -qw net.ipv4.ip_forward=1
	lat_spoke "$SA" 11 && lat_spoke "$SB" 12
	check_err $? "spokes"
	busywait 10000 registered 11 && busywait 10000 registered 12
	check_err $? "the spokes did not register"
	out=$(nsx "$SA" ping -q -c 20 -i 0.05 10.0.0.1 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
	R[lat.ping]=$out
	pcap=$(mktemp /tmp/bench-lat.XXXXXX)
	for i in 1 2 3 4 5; do
		nsx "$SA" mgrectl del 10.0.0.12 dev mgre0 >/dev/null 2>&1
		nsx "$SA" mgrectl flush dev mgre0 type negative >/dev/null 2>&1
		# The underlay's own neighbour for B's NBMA address is warm,
		# as a spoke's default gateway is on the Internet: the
		# figure is NHRP's, not ARP's on this shared segment.
		nsx "$SA" ping -q -c 1 -W 2 192.0.2.12 >/dev/null 2>&1
		# ip netns exec execs the command: $! is the command's pid.
		ip netns exec "$SA" tcpdump -q -U -i veth0 -w "$pcap" ip proto 47 \
			>/dev/null 2>"$pcap.td" &
		tpid=$!
		ip netns exec "$SB" udp-bench recv --port 9000 --duration 20 \
			> "$pcap.rx" 2>"$pcap.re" &
		rpid=$!
		# Both listen before the first packet leaves.
		busywait 10000 grep -q "listening on" "$pcap.td" &&
			busywait 10000 grep -q "listening on" "$pcap.re"
		check_err $? "tcpdump or the receiver did not start"
		out=$(nsx "$SA" udp-bench send --dst 10.0.0.12 --port 9000 \
			--interval-us 100 --count 2000 --duration 5)
		sent=$(kv "$out" sent)
		sleep 1
		kill $rpid $tpid
		wait $rpid $tpid 2>/dev/null
		got=$(kv "$(cat "$pcap.rx")" distinct)
		# Times from A's underlay: first data packet out (to the hub),
		# Resolution Request out, Reply in, first data packet straight
		# to B; data packets through the hub, and those of them sent
		# after the Reply came in.
		read -r first req rep direct hub late < <(tshark -r "$pcap" -T fields \
			-E occurrence=f -e frame.time_epoch -e ip.src -e ip.dst \
			-e gre.proto -e nhrp.hdr.op.type 2>/dev/null |
			awk -F'\t' '$4 == "0x0800" && $3 == "192.0.2.1" { if (!f) f = $1; h++; if (r) l++ }
			     $4 == "0x2001" && $5 == 1 && !q { q = $1 }
			     $4 == "0x2001" && $5 == 2 && !r { r = $1 }
			     $4 == "0x0800" && $3 == "192.0.2.12" && !d { d = $1 }
			     END { printf "%.6f %.6f %.6f %.6f %d %d\n", f, q, r, d, h, l }')
		# The shortcut is in use once the Reply is in, if every packet
		# sent after it went direct; else at the first direct packet.
		# Under TCG the first direct packet waits for the sender's
		# next send, which the first one's softirq work delays.
		dlat=$(awk -v a="$first" -v b="$direct" 'BEGIN { if (a > 0 && b > 0) printf "%.3f\n", (b - a) * 1000; else print "n/a" }')
		if [ "$late" = 0 ]; then
			lat=$(awk -v a="$first" -v b="$rep" -v d="$direct" 'BEGIN { if (a > 0 && b > 0 && d > 0) printf "%.3f\n", (b > a ? b - a : 0) * 1000; else print "n/a" }')
		else
			lat=$dlat
		fi
		hubs=$((hubs + hub))
		rtt=$(awk -v a="$req" -v b="$rep" 'BEGIN { if (a > 0 && b > 0) printf "%.3f\n", (b - a) * 1000; else print "n/a" }')
		lost=$((sent - ${got:-0}))
		log_info "trial $i: first packet to shortcut in use $lat ms (first direct packet $dlat ms; $hub through the hub, $late of them after the Reply), resolution request to reply $rtt ms, $sent sent, ${got:-0} arrived"
		lats="$lats $lat" dlats="$dlats $dlat" rtts="$rtts $rtt" losses="$losses $lost"
	done
	rm -f "$pcap" "$pcap.rx" "$pcap.td" "$pcap.re"
	R[lat.ms]=$(tr ' ' '\n' <<< "$lats" | grep -v n/a | grep . | median)
	R[lat.rtt]=$(tr ' ' '\n' <<< "$rtts" | grep -v n/a | grep . | median)
	R[lat.direct]=$(tr ' ' '\n' <<< "$dlats" | grep -v n/a | grep . | median)
	R[lat.hub]=$hubs
	R[lat.lost]=$(tr ' ' '\n' <<< "$losses" | grep . | awk '{ s += $1 } END { print s + 0 }')
	log_info "hub round trip (ping 10.0.0.1 over the tunnel) ${R[lat.ping]} ms; medians: shortcut after ${R[lat.ms]} ms, resolution RTT ${R[lat.rtt]} ms; ${R[lat.lost]} packets lost over 5 trials"
	log_test "resolution latency ($(since)s)"
}

# ---- bulk TCP ------------------------------------------------------------------
#
#   TA veth0 198.51.100.1, 2001:db8:1::1 ---- veth0 198.51.100.2, 2001:db8:1::2 TB
#      plain: 10.8.0.2, 2001:db8:8::2 (TB's lo) routed via the underlay
#      gre1 (ip_gre NBMA, key 43) 10.9.0.x/24, 2001:db8:9::x/64, neighbours
#      mgre0 (key 42) 10.0.0.x/24, 2001:db8::x/64, static entries
#
# mgre and ip_gre share the kernel now: one boot phase holds all three, and
# their runs alternate (the order rotates) so that drift cancels.  iperf3,
# one server in TB for every path.

TCP_REPS=${MGRE_BENCH_TCP_REPS:-5}

tcp_setup()
{
	local a b o

	setup_ns TA TB || return 1
	ip link add veth0 netns "$TA" type veth peer name veth0 netns "$TB" ||
		return 1
	for o in 1 2; do
		a=$TA
		[ $o = 2 ] && a=$TB
		b=$((3 - o))
		ip -n "$a" addr add "198.51.100.$o/24" dev veth0
		ip -n "$a" addr add "2001:db8:1::$o/64" nodad dev veth0
		ip -n "$a" link set veth0 up
		ip -n "$a" link set lo up
		ip -n "$a" link add gre1 type gre local "198.51.100.$o" key 43 &&
			ip -n "$a" link add mgre0 type mgre local "198.51.100.$o" \
				key 42 || return 1
		ip -n "$a" addr add "10.9.0.$o/24" dev gre1
		ip -n "$a" addr add "2001:db8:9::$o/64" nodad dev gre1
		ip -n "$a" addr add "10.0.0.$o/24" dev mgre0
		ip -n "$a" addr add "2001:db8::$o/64" nodad dev mgre0
		ip -n "$a" link set gre1 up
		ip -n "$a" link set mgre0 up
		ip -n "$a" neigh replace "10.9.0.$b" lladdr "198.51.100.$b" \
			dev gre1 nud permanent
		ip -n "$a" -6 neigh replace "2001:db8:9::$b" \
			lladdr "198.51.100.$b" dev gre1 nud permanent
		nsx "$a" mgrectl add "10.0.0.$b" nbma "198.51.100.$b" \
			dev mgre0 >/dev/null &&
			nsx "$a" mgrectl add "2001:db8::$b" nbma "198.51.100.$b" \
				dev mgre0 >/dev/null || return 1
	done
	ip -n "$TB" addr add 10.8.0.2/32 dev lo
	ip -n "$TB" addr add 2001:db8:8::2/128 dev lo
	ip -n "$TA" route add 10.8.0.2/32 via 198.51.100.2
	ip -n "$TA" -6 route add 2001:db8:8::2/128 via 2001:db8:1::2
}

# tcp_once ADDR STREAMS: Mbit/s received by TB in one iperf3 run (0 when
# it failed).  The server serves one client (-1) and is started anew.
tcp_once()
{
	local out

	nsx "$TB" iperf3 -s -D -1 >/dev/null 2>&1
	sleep 0.3
	out=$(nsx "$TA" timeout $((SECS + 30)) iperf3 -c "$1" -P "$2" \
		-t "$SECS" -J 2>/dev/null)
	out=$(jq -r '(.end.sum_received.bits_per_second // 0) / 1e6 | floor' \
		<<< "$out" 2>/dev/null)
	echo "${out:-0}"
}

test_tcp()
{
	local fam n i k p v paths order lm lg lp lmg lmp m g d

	modprobe ip_gre
	check_err $? "modprobe ip_gre beside mgre"
	tcp_setup
	check_err $? "TCP pair: plain, ip_gre NBMA and mgre"
	for fam in 4 6; do
		if [ $fam = 4 ]; then
			declare -A dst=([plain]=10.8.0.2 [ipgre]=10.9.0.2 [mgre]=10.0.0.2)
		else
			declare -A dst=([plain]=2001:db8:8::2 [ipgre]=2001:db8:9::2 [mgre]=2001:db8::2)
		fi
		for n in 1 4; do
			lm="" lg="" lp="" lmg="" lmp=""
			paths="mgre ipgre plain"
			for i in $(seq "$TCP_REPS"); do
				declare -A v=()
				# Rotate who goes first.
				order=$(tr ' ' '\n' <<< "$paths" | awk -v r="$i" \
					'{ a[NR] = $0 } END { for (k = 0; k < NR; k++) print a[(k + r) % NR + 1] }')
				for p in $order; do
					v[$p]=$(tcp_once "${dst[$p]}" "$n")
				done
				lm="$lm ${v[mgre]}" lg="$lg ${v[ipgre]}" lp="$lp ${v[plain]}"
				lmg="$lmg $(ratio "${v[mgre]}" "${v[ipgre]}" 4)"
				lmp="$lmp $(ratio "${v[mgre]}" "${v[plain]}" 4)"
			done
			k=tcp$fam.$n
			R[$k.mgre]=$(tr ' ' '\n' <<< "$lm" | grep . | median)
			R[$k.ipgre]=$(tr ' ' '\n' <<< "$lg" | grep . | median)
			R[$k.plain]=$(tr ' ' '\n' <<< "$lp" | grep . | median)
			R[$k.mg]=$(tr ' ' '\n' <<< "$lmg" | grep . | grep -v n/a | median)
			R[$k.mp]=$(tr ' ' '\n' <<< "$lmp" | grep . | grep -v n/a | median)
			log_info "TCP IPv$fam x$n: mgre Mbit/s$lm | ip_gre$lg | plain$lp | mgre/ip_gre$lmg -> ${R[$k.mg]}"
		done
	done
	m=${R[tcp4.1.mgre]:-0} g=${R[tcp4.1.ipgre]:-0}
	[ "$m" -gt 0 ] && [ "$g" -gt 0 ]
	check_err $? "no TCP figure: iperf3 moved nothing (mgre $m, ip_gre $g Mbit/s)"
	cleanup_ns "$TA" "$TB"
	d=0
	for i in $(seq 30); do
		rmmod ip_gre 2>/dev/null && { d=1; break; }
		sleep 1
	done
	[ $d = 1 ] || log_info "ip_gre stayed loaded"
	log_test "bulk TCP: mgre, ip_gre NBMA and plain routing in turns ($(since)s)"
}

# ---- the phases -------------------------------------------------------------

# ---- instructions per packet (TCG plugin) --------------------------------
#
# Only in a boot of its own with selftests/insn-count.c loaded into QEMU
# (make bench does it, MGRE_BENCH_INSN=1): the plugin counts the guest's
# instructions, and udp-bench --mark makes it write the count just before
# its first datagram and just after its last.  Instructions between the
# marks over datagrams sent is a per-packet cost that does not move with
# the host's load; bench-report.sh pairs each "# INSN|label|run|sent" line
# here with the next two marks of the plugin's file.  Every figure is
# taken twice in a row (runs 1 and 2), to show it repeats.
#
#   transmit: udp-bench (CPU 0) -> tunnel or plain route -> veth -> sink
#   that drops at ingress, as the pps figures above, 64 B.
#   receive: TX (mgre, 1 entry) -> RX, which decapsulates (mgre, or
#   ip_gre, key 42) into an ingress drop on the tunnel device; less the same
#   sender into a sink that drops at the veth's ingress (rx_none).

INSN_PKTS=${MGRE_BENCH_INSN_PACKETS:-50000}

# insn_run NAME LABEL: the marked runs of NAME's sender.
insn_run()
{
	local name=$1 label=$2 i out

	# Two passes: the route cache grows to the flows in the first.
	tx_warm "$name" 64
	tx_warm "$name" 64
	for i in 1 2; do
		# shellcheck disable=SC2086
		out=$(nsx "${TXNS[$name]}" taskset -c 0 udp-bench send --size 64 \
			--count "$INSN_PKTS" --duration 600 --mark ${TXARGS[$name]})
		echo "# INSN|$label|$i|$(kv "$out" sent)"
		log_info "$label run $i: $out"
	done
}

# ipgre_peers NAME N: N neighbour entries on NAME's gre1, 10.0.0.2+i ->
# 198.18.0.1+(i mod 65536), as mgre's fill makes entries.
ipgre_peers()
{
	local batch rc

	batch=$(mktemp /tmp/bench-neigh.XXXXXX)
	awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) { j = i + 2; k = i % 65536 + 1
		printf "neigh replace 10.%d.%d.%d lladdr 198.18.%d.%d dev gre1 nud permanent\n",
			int(j / 65536), int(j / 256) % 256, j % 256,
			int(k / 256) % 256, k % 256 } }' > "$batch"
	ip -n "${TXNS[$1]}" -batch "$batch"
	rc=$?
	rm -f "$batch"
	return $rc
}

test_insn()
{
	local n have=0 d ns

	modprobe ip_gre
	check_err $? "modprobe ip_gre beside mgre"
	tx_plain_setup && tx_pair plainS && tx_pair ipgre && tx_pair ipgreN &&
		tx_pair mgre1 && tx_pair mgreN &&
		ip -n "${TXNS[plainS]}" route add 10.0.0.0/8 via 198.51.100.2
	check_err $? "transmit topology"
	for ns in ipgre ipgreN; do
		ip -n "${TXNS[$ns]}" link add gre1 type gre key 42 \
			local 198.51.100.1 &&
			ip -n "${TXNS[$ns]}" addr add 10.0.0.1/8 dev gre1 &&
			ip -n "${TXNS[$ns]}" link set gre1 up
		check_err $? "ip_gre NBMA device in $ns"
	done
	ipgre_peers ipgre 1
	check_err $? "the one ip_gre peer"
	mgre_dev mgre1 1000 && mgre_dev mgreN $((BIG + 1000))
	check_err $? "mgre devices"
	fill mgre1 0 1
	check_err $? "the one entry of mgre1"
	insn_run plain "tx plain 1"
	insn_run ipgre "tx ip_gre 1"
	insn_run mgre1 "tx mgre 1"
	for n in 1000 $SPOKES $BIG; do
		[ "$n" -gt "$have" ] || continue
		fill mgreN "$have" "$n"
		check_err $? "filling mgreN to $n entries"
		have=$n
		d=$((n < SPREAD ? n : SPREAD))
		TXARGS[mgreN]="--dst 10.0.0.2 --dsts $d --stride $((n / d))"
		TXARGS[plainS]=${TXARGS[mgreN]} TXARGS[ipgreN]=${TXARGS[mgreN]}
		insn_run mgreN "tx mgre $n"
		insn_run plainS "tx plain $n"
		# ip_gre keeps a neighbour entry per peer: up to SPOKES of them
		# (a million would want 0.4 GB of the VM's 2).
		[ "$n" -le "$SPOKES" ] || continue
		ipgre_peers ipgreN "$n"
		check_err $? "$n ip_gre peers"
		insn_run ipgreN "tx ip_gre $n"
	done
	cleanup_all_ns
	for n in none mgre ipgre; do
		rx_pair "rx_$n" "$n"
		check_err $? "receive pair $n"
		insn_run "rx_$n" "rx $n 1"
	done
	# The profile's symbols (bench-run.sh, BENCH_PROFILE=1), while the
	# modules the runs used are still loaded.
	if [ -n "${MGRE_BENCH_PROFILE:-}" ]; then
		sysctl -qw kernel.kptr_restrict=0 &&
			"$LIB_DIR/ksyms.py" pick "$MGRE_BENCH_PROFILE"
		check_err $? "the profile's symbols"
	fi
	cleanup_all_ns
	sleep 2
	rmmod ip_gre 2>/dev/null
	log_test "instructions per packet: $INSN_PKTS datagrams a run, each twice ($(since)s)"
}

cleanup()
{
	frr_cleanup
	kill_bg
	cleanup_all_ns
	umount "$FRR_STATE" 2>/dev/null
}

swap_module()
{
	local old=mgre i

	[ "$1" = mgre ] && old=ip_gre
	cleanup_all_ns
	# Namespaces are dismantled by a worker: retry until the module is free.
	for i in $(seq 30); do
		rmmod "$old" 2>/dev/null && break
		sleep 1
	done
	[ ! -d "/sys/module/$old" ] || return 1
	if [ "$1" = ip_gre ]; then
		modprobe ip_gre
	else
		insmod "$MGRE_STAGE/mgre.ko"
	fi
}

# MGRE_BENCH_ONLY=SECTION[,SECTION...]: only these of tx (transmit, memory,
# multicast), frr, hub (registrations, storm), latency, rx, tcp, insn (with
# MGRE_BENCH_INSN=1 only, in the plugin's boot); rows of the
# others then read 0.  For re-measuring one section, not for BENCHMARKS.md.
only() { [ -z "${MGRE_BENCH_ONLY:-}" ] || [[ ",$MGRE_BENCH_ONLY," == *",$1,"* ]]; }

log_info "bench: ${SECS}s x $REPS runs per transmit figure, sizes $SIZES (UDP payload bytes), caches up to $BIG, $SPOKES spokes${MGRE_BENCH_ONLY:+, only $MGRE_BENCH_ONLY}"
swap_module ip_gre
check_err $? "rmmod mgre; modprobe ip_gre"
log_test "phase 1: ip_gre loaded"
only tx && test_tx_ipgre
only tx && test_neigh_mem
only frr && test_frr

swap_module mgre
check_err $? "rmmod ip_gre; insmod mgre.ko"
log_test "phase 2: mgre loaded"
only tx && test_tx_mgre
only tx && test_tx_mcast
cleanup_all_ns
only hub && test_mgre_hub
only hub && test_storm
cleanup_ns "$HUB" "$LOAD" "$SINK"
only latency && test_latency
only rx && test_rx
only tcp && test_tcp
[ "${MGRE_BENCH_INSN:-0}" = 1 ] && only insn && test_insn

# ---- the table ---------------------------------------------------------------

for s in $SIZES; do
	# mgre and ip_gre never share a boot phase: each is measured in turns
	# with plain routing, and the ratio is of those two ratios.
	g=${R[ipgre/plain.$s]:-0}
	m=${R[mgre1/plain.$s]:-0}
	r=$(ratio "$m" "$g")
	# Issue 17: the route cache saves the per-packet lookup ip_gre makes,
	# which weighs most in small packets.
	if [ "$s" = 64 ]; then t=">= 1.3"; else t=">= 1.0"; fi
	row "transmit ${s} B: mgre 1 entry / ip_gre NBMA 1 peer, pps (ratio: of each one's ratio to plain routing measured in turns, $m / $g)" \
		"${R[mgre1p.$s]:-0} (${R[mgre1p.$s.ns]:-?} ns)" "${R[ipgre.$s]:-0} (${R[ipgre.$s.ns]:-?} ns)" "$r" "$t" "$(met "$r" '>=' "${t#>= }")"
	row "transmit ${s} B: mgre 1 entry / plain routing, pps" \
		"${R[mgre1p.$s]:-0}" "${R[plain.$s]:-0} (${R[plain.$s.ns]:-?} ns)" "$m" ">= 0.7" "$(met "$m" '>=' 0.7)"
	for n in 1000 $SPOKES $BIG; do
		[ -n "${R[mgre$n.$s]:-}" ] || continue
		r=${R[mgre$n/mgre1.$s]}
		if [ "$n" = "$BIG" ]; then
			t=">= 0.9" mt=$(met "$r" '>=' 0.9)
		else
			t=- mt=-
		fi
		row "transmit ${s} B: mgre $n entries / mgre 1 entry, pps" \
			"${R[mgre$n.$s]} (${R[mgre$n.$s.ns]} ns)" "${R[mgre1@$n.$s]:-0}" "$r" "$t" "$mt"
		# The same spread of destinations through plain routing: what
		# the sender's own path loses, with no tunnel and no cache.
		p=${R[plain$n/plain.$s]:-}
		[ -n "$p" ] || continue
		row "transmit ${s} B: plain routing over mgre $n's destinations / over 1 destination, pps (no tunnel: the cost of the spread alone)" \
			"${R[plain$n.$s]}" "${R[plain@$n.$s]:-0}" "$p" "-" "-"
		row "transmit ${s} B: mgre $n entries / mgre 1 entry, over plain routing's ratio for the same spread (the cache's share)" \
			"$r" "$p" "$(ratio "$r" "$p" 4)" "-" "-"
	done
done
for s in $SIZES; do
	r=${R[mcast/mgre1.$s]:-n/a}
	row "multicast ${s} B: copies/s to $MCAST_TARGETS entries / mgre 1-entry unicast pps (each copy against one unicast packet)" \
		"${R[mcast.$s]:-0} (${R[mcast.$s.ns]:-?} ns)" "${R[mgre1@mcast.$s]:-0}" "$r" ">= 0.8" "$(met "$r" '>=' 0.8)"
done
r=$(ratio "${R[mgre.reg]:-0}" "${R[frr.reg]:-0}" 1)
row "hub registrations/s (mgre: $SPOKES in ${R[mgre.secs]:-?} s; nhrpd: ${R[frr.ok]:-0} in ${R[frr.secs]:-?} s)" "${R[mgre.reg]:-n/a}" "${R[frr.reg]:-n/a}" "$r" ">= 10" "$(met "$r" '>=' 10)"
t=$(awk -v r="${R[frr.reg]:-0}" -v n="$SPOKES" 'BEGIN { if (r > 0) printf "%.0f\n", n / r; else print "n/a" }')
row "time to absorb $SPOKES spokes, s (nhrpd: extrapolated from its rate)" "${R[mgre.secs]:-n/a}" "$t" "$(ratio "$t" "${R[mgre.secs]:-0}" 1)" "-" "-"
row "hub resolutions/s (nhrpd forwards them to the target spoke: see the notes)" "${R[mgre.res]:-n/a}" "${R[frr.res]:-n/a}" "$(ratio "${R[mgre.res]:-0}" "${R[frr.res]:-0}" 1)" "-" "-"
for n in $SPOKES $BIG; do
	[ -n "${R[mem.$n]:-}" ] || continue
	base=$(awk -v a="${R[neigh.bytes]:-0}" -v b="${R[frr.daemon_bytes]:-0}" 'BEGIN { print a + b }')
	row "bytes per entry at $n (slab+vmalloc growth; mgre_entry slab alone ${R[slab.$n]}; baseline: neighbour ${R[neigh.bytes]:-?} + nhrpd/zebra RSS ${R[frr.daemon_bytes]:-?})" \
		"${R[mem.$n]}" "$base" "$(ratio "${R[mem.$n]}" "$base")" "<= 192" "$(met "${R[mem.$n]}" '<=' 192)"
done
lim=$(awk -v p="${R[lat.rtt]:-0}" 'BEGIN { printf "%.3f\n", 2 * p }')
r=$(ratio "${R[lat.ms]:-0}" "${R[lat.rtt]:-0}")
m=$(met "$r" '<=' 2)
[ "${R[lat.lost]:-1}" = 0 ] || m=no
row "first packet to shortcut in use, ms: the Reply's arrival, every later packet having gone direct (baseline: hub round trip of NHRP; first direct packet after ${R[lat.direct]:-?} ms, see the method; ${R[lat.hub]:-?} packets through the hub in 5 trials; ping ${R[lat.ping]:-?} ms); lost ${R[lat.lost]:-?}" \
	"${R[lat.ms]:-n/a}" "${R[lat.rtt]:-n/a}" "$r" "<= 2 RTT, 0 lost" "$m"
r=$(ratio "${R[storm.storm]:-0}" "${R[storm.quiet]:-0}")
row "hub transmit pps during $SPOKES registrations / quiet" "${R[storm.storm]:-n/a}" "${R[storm.quiet]:-n/a}" "$r" ">= 0.8" "$(met "$r" '>=' 0.8)"
for s in $SIZES; do
	r=${R[rx.$s]:-n/a}
	row "receive ${s} B: mgre through its LOCAL_IN hook (beside ip_gre) / through the GRE demultiplexer (rx_demux=1, exclusive), pps decapsulated" \
		"${R[rxhook.$s]:-0}" "${R[rxdemux.$s]:-0}" "$r" ">= 0.95" "$(met "$r" '>=' 0.95)"
done
for fam in 4 6; do
	for n in 1 4; do
		k=tcp$fam.$n
		r=${R[$k.mg]:-n/a}
		row "bulk TCP IPv$fam inside, $n stream(s): mgre / ip_gre NBMA, Mbit/s (iperf3, ${SECS} s x $TCP_REPS in turns)" \
			"${R[$k.mgre]:-0}" "${R[$k.ipgre]:-0}" "$r" ">= 1.0" "$(met "$r" '>=' 1.0)"
		row "bulk TCP IPv$fam inside, $n stream(s): mgre / plain routing, Mbit/s" \
			"${R[$k.mgre]:-0}" "${R[$k.plain]:-0}" "${R[$k.mp]:-n/a}" "-" "-"
	done
done
note "fill rates (entries/s over generic netlink): 1M step ${R[fill.$BIG]:-?}, 100k step ${R[fill.$SPOKES]:-?}"
note "bench ran $(since)s in the VM"

tests_done
