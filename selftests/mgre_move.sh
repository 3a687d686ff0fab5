#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Spokes whose NBMA address comes, goes and changes (a DHCP lease on the
# underlay): no overlay source on the underlay while there is no address,
# registration as soon as one appears, re-registration from a new one,
# which the hub takes once the old holder does not answer for the address
# (and refuses while it does).
#
#   hub (NHS)             spoke1 (local any dev veth0)   spoke2
#   mgre0 10.0.0.1/24     mgre0 10.0.0.11/24             mgre0 10.0.0.12/24
#   veth0 192.0.2.1       veth0: none, then 192.0.2.11,  veth0 192.0.2.12
#     |                     192.0.2.21, 192.0.2.31          |
#     |                     |                              |
#     +---- p1 -------- br0 (netns SW) -------- p11 ------ p12
#                           |
#                          p13 -- intruder 192.0.2.13 (raw NHRP, claims
#                                 10.0.0.11)
#
# Network-id 1, key 42; the spokes' holdtime is 60 s (renewal every 20 s),
# so that no registration or resolved entry expires during a test: the
# hub and spoke2 must learn of a move, not outwait it.
# Everything GRE on the switch is captured, to check the outer sources.
#
# mgre-timeout: 300

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq tcpdump python3

HT=$((60 * TIME_SCALE))
PCAP=$(mktemp /tmp/mgre-move-pcap.XXXXXX)

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 || return 1
	ip -n "$S1" addr flush dev veth0
	ip netns exec "$SW" tcpdump -q -U -i br0 -w "$PCAP" ip proto 47 \
		>/dev/null 2>&1 &
	BG_PIDS+=($!)
	sleep 0.3
	run_cmd ip -n "$HUB" link add mgre0 type mgre local "$UNDERLAY.1" \
		key 42 network-id 1 holdtime 30 || return 1
	dev_up "$HUB" mgre0 "$OVERLAY.1/24" || return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.mgre0.send_redirects=0
	run_cmd ip -n "$S1" link add mgre0 type mgre local any dev veth0 \
		key 42 network-id 1 holdtime "$HT" \
		nhs "$OVERLAY.1" nbma "$UNDERLAY.1" || return 1
	dev_up "$S1" mgre0 "$OVERLAY.11/24" || return 1
	run_cmd ip -n "$S2" link add mgre0 type mgre local "$UNDERLAY.12" \
		key 42 network-id 1 holdtime "$HT" \
		nhs "$OVERLAY.1" nbma "$UNDERLAY.1" || return 1
	dev_up "$S2" mgre0 "$OVERLAY.12/24"
}

# hub_nbma ADDR: the NBMA address the hub has ADDR registered at.
hub_nbma()
{
	local e

	e=$(mgre_entry_json "$HUB" "$1")
	[ "$(jq -r '.type // empty' <<< "$e")" = registered ] &&
		jq -r '.nbma // empty' <<< "$e"
}

registered_at() { [ "$(hub_nbma "$1")" = "$2" ]; }

nhs_state() { mgrectl_ns "$S1" -j nhs | jq -r '.[0].state // empty'; }

# resolved_at NS ADDR NBMA: NS has ADDR resolved to NBMA.
resolved_at()
{
	local e

	e=$(mgre_entry_json "$1" "$2")
	[ "$(jq -r '.type // empty' <<< "$e")" = resolved ] &&
		[ "$(jq -r '.nbma // empty' <<< "$e")" = "$3" ]
}

stale() { ! resolved_at "$S2" "$OVERLAY.11" "$1"; }

ping1() { nsx "$1" ping -q -c 1 -W 1 "$2" >/dev/null 2>&1; }
nhs_up() { [ "$(nhs_state)" = up ]; }

no_source_at_least() { [ "$(mgre_stat "$S1" tx_no_source)" -ge "$1" ]; }

# gre_sources: the outer source of every GRE packet captured so far, with
# its count, most frequent first.
gre_sources()
{
	sleep 0.3
	tcpdump -n -r "$PCAP" 2>/dev/null |
		awk '{ print $3 }' | sort | uniq -c | sort -rn
}

# No address on the underlay: spoke1 tries its NHS for a few seconds
# (1 s, 2 s backoff...) and must send nothing: the kernel's choice of
# source, the tunnel's own 10.0.0.11, is refused and counted.  Then an
# address appears: the spoke registers from it within a second, not at
# the end of its backoff.
test_no_address()
{
	local t0 t n ts d

	setup
	check_err $? "hub and spoke"
	# Two attempts refused (about 1 s apart) show the backoff goes on
	# and sends nothing, without a fixed wait of several seconds.
	busywait $((8000 * TIME_SCALE)) no_source_at_least 2
	n=$(mgre_stat "$S1" tx_no_source)
	[ "${n:-0}" -ge 2 ]
	check_err $? "without an underlay address: tx_no_source is '$n', not 2 or more"
	log_info "GRE sources without an address: $(gre_sources | tr '\n' ' ')"
	! gre_sources | awk '{ print $2 }' |
		grep -qvx -e "$UNDERLAY.1" -e "$UNDERLAY.12"
	check_err $? "GRE left a spoke that has no underlay address"
	[ -z "$(hub_nbma "$OVERLAY.11")" ]
	check_err $? "the hub has 10.0.0.11 at '$(hub_nbma "$OVERLAY.11")'"

	t0=$(now_ms)
	ts=$(date +%s.%N)
	ip -n "$S1" addr add "$UNDERLAY.11/24" dev veth0
	# Each poll costs 0.3-0.6 s under TCG: wait longer, and hold the
	# 1 s promise to the capture's clock (the hub's first answer to
	# 192.0.2.11 is the registration reply).
	busywait $((5000 * TIME_SCALE)) registered_at "$OVERLAY.11" \
		"$UNDERLAY.11" >/dev/null
	check_err $? "the spoke did not register after its address appeared: the hub has '$(hub_nbma "$OVERLAY.11")'"
	t=$(($(now_ms) - t0))
	d=$(capture_delay "$ts" "$UNDERLAY.1" 1 "$UNDERLAY.11")
	log_info "registered $t ms (polled), $d ms (by the capture) after the address appeared"
	[ -n "$d" ] && [ "$d" -le $((1000 * TIME_SCALE)) ]
	check_err $? "the hub answered the registration ${d:-never} ms after the address appeared, not within 1 s"
	log_test "no underlay address: nothing sent, counted; registered as soon as one appears"
}

# The address changes (the lease moves to another address): the next
# registration leaves from the new one at once, and no GRE packet ever
# carried an overlay source.
test_new_address()
{
	local t0 src d

	t0=$(now_ms)
	MOVED=$(date +%s.%N)
	ip -n "$S1" addr del "$UNDERLAY.11/24" dev veth0 &&
		ip -n "$S1" addr add "$UNDERLAY.21/24" dev veth0
	check_err $? "moving the spoke to 192.0.2.21"
	# Each poll costs 0.3-0.6 s under TCG: wait longer, and hold the
	# 1 s promise to the capture's clock.
	busywait $((5000 * TIME_SCALE)) \
		sh -c "tcpdump -n -r '$PCAP' src $UNDERLAY.21 2>/dev/null | grep -q ." \
		>/dev/null
	check_err $? "no GRE packet from 192.0.2.21 after the change"
	d=$(capture_delay "$MOVED" "$UNDERLAY.21" 1)
	log_info "first packet from the new address after $(($(now_ms) - t0)) ms (polled), $d ms (by the capture)"
	[ -n "$d" ] && [ "$d" -le $((1000 * TIME_SCALE)) ]
	check_err $? "the first GRE packet from 192.0.2.21 left ${d:-never} ms after the change, not within 1 s"
	src=$(gre_sources)
	log_info "GRE sources: $(tr '\n' ' ' <<< "$src")"
	! grep -q " $OVERLAY\." <<< "$src"
	check_err $? "a GRE packet left with an overlay source"
	log_test "the underlay address changes: the spoke registers from the new one at once"

	# The hub refuses the first registration from 192.0.2.21 (code 14:
	# 10.0.0.11 is registered, unique, at 192.0.2.11), asks 192.0.2.11,
	# hears nothing, and takes the spoke's retry a second later.  The
	# 2 s promise is held to the capture's clock (the retry, the second
	# registration from 192.0.2.21), the wait allows for polling.
	busywait $((5000 * TIME_SCALE)) registered_at "$OVERLAY.11" \
		"$UNDERLAY.21" >/dev/null
	check_err $? "the hub has 10.0.0.11 at '$(hub_nbma "$OVERLAY.11")' after the move, not at 192.0.2.21"
	d=$(capture_delay "$MOVED" "$UNDERLAY.21" 2)
	log_info "by the capture: registrations from 192.0.2.21 $(since_move "$MOVED" "$UNDERLAY.21" 1) ms (refused) and $d ms (taken) after the move"
	[ -n "$d" ] && [ "$d" -le $((2000 * TIME_SCALE)) ]
	check_err $? "the registration the hub took left ${d:-never} ms after the move, not within 2 s"
	[ "$(mgre_stat "$HUB" nhs_moved)" -ge 1 ] &&
		[ "$(mgre_stat "$HUB" nhs_unique_refused)" -ge 1 ]
	check_err $? "hub counters: nhs_moved $(mgre_stat "$HUB" nhs_moved), nhs_unique_refused $(mgre_stat "$HUB" nhs_unique_refused)"
	busywait $((3000 * TIME_SCALE)) nhs_up >/dev/null
	check_err $? "the spoke's NHS is '$(nhs_state)', not up"
	[ "$RET" -eq 0 ] || nhrp_trace 20
	log_test "the hub maps the moved spoke to its new address within 2 s"
}

# A second node claims 10.0.0.11 from 192.0.2.13 while the spoke that
# holds it is alive: the hub asks the holder, which answers, and the
# claim is refused every time (a raw registration, as any node's).
test_second_claim()
{
	local out i refused

	setup_ns INTR || return
	ip link add veth0 netns "$INTR" type veth peer name p13 netns "$SW"
	ip -n "$SW" link set p13 master br0 up
	ip -n "$INTR" addr add "$UNDERLAY.13/24" dev veth0
	ip -n "$INTR" link set veth0 up
	refused=$(mgre_stat "$HUB" nhs_unique_refused)
	for i in 1 2 3; do
		out=$(nsx "$INTR" python3 "$LIB_DIR/nhrp_inject.py" register \
			--to "$UNDERLAY.1" --key 42 --src-nbma "$UNDERLAY.13" \
			--src-proto "$OVERLAY.11" --wait-reply)
		log_info "claim $i: $out"
		[ "$out" = "code 14" ]
		check_err $? "claim $i from 192.0.2.13 was answered '$out', not code 14"
		sleep 1
	done
	registered_at "$OVERLAY.11" "$UNDERLAY.21"
	check_err $? "the claim took 10.0.0.11: the hub has it at '$(hub_nbma "$OVERLAY.11")'"
	[ "$(mgre_stat "$HUB" nhs_unique_refused)" -ge $((refused + 3)) ]
	check_err $? "nhs_unique_refused went from $refused to $(mgre_stat "$HUB" nhs_unique_refused)"
	log_test "a second node claiming a live spoke's address is refused (code 14)"
}

# since_move T SRC N [DST]: ms from T (date +%s.%N) to the Nth GRE packet
# from SRC (to DST) in the capture, by the capture's clock (the test's own
# polling is slow under TCG).
since_move()
{
	sleep 0.3
	tcpdump -n -tt -r "$PCAP" 2>/dev/null |
		awk -v t="$1" -v s="$2" -v n="$3" -v d="${4:-}" '
			$3 == s && (d == "" || $5 == d ":") && ++k == n {
				printf "%d", ($1 - t) * 1000; exit }'
}

# capture_delay T SRC N [DST]: since_move, once tcpdump has written that
# packet out (it can lag behind under TCG); "" if it never does.  The
# waits above allow for the cost of polling; this is what holds the
# protocol to its time, on the capture's own clock.
capture_delay()
{
	busywait $((3000 * TIME_SCALE)) since_move_seen "$@"
}

since_move_seen()
{
	local d

	d=$(since_move "$@")
	[ -n "$d" ] && echo "$d"
}

# What the NHRP of the last seconds was, for a failure's report: the GRE
# packets captured (time, source, destination), and each spoke's counts.
nhrp_trace()
{
	sleep 0.3
	tcpdump -n -tt -r "$PCAP" 2>/dev/null | awk '{ print $1, $3, $4, $5 }' |
		tail -n "${1:-30}" | comment
	mgrectl_ns "$S1" -j traffic | comment
	mgrectl_ns "$S2" -j traffic | comment
}

# Spoke2 talks to spoke1 directly (each has the other resolved), then
# spoke1 moves again.  Once the hub has taken its new address, spoke1
# tells spoke2, from it, to forget its mapping (a Purge Request for its
# own address); spoke2 resolves it again through the hub.  Within 2 s of
# the move the hub and spoke2 reach spoke1 at its new address.
test_peers_follow()
{
	local t0 d

	ping_ok "$S2" "$OVERLAY.11" >/dev/null
	busywait $((3000 * TIME_SCALE)) resolved_at "$S2" "$OVERLAY.11" \
		"$UNDERLAY.21" >/dev/null &&
		busywait $((3000 * TIME_SCALE)) resolved_at "$S1" "$OVERLAY.12" \
		"$UNDERLAY.12" >/dev/null
	check_err $? "spoke2 and spoke1 did not resolve each other: $(mgre_entry_json "$S2" "$OVERLAY.11")"

	t0=$(now_ms)
	MOVED=$(date +%s.%N)
	ip -n "$S1" addr del "$UNDERLAY.21/24" dev veth0 &&
		ip -n "$S1" addr add "$UNDERLAY.31/24" dev veth0
	check_err $? "moving spoke1 to 192.0.2.31"
	# Each poll costs 0.3-0.6 s under TCG: wait longer, and hold the
	# 2 s promise to the capture's clock (spoke1's purge to spoke2, its
	# first packet to spoke2 from the new address).
	busywait $((5000 * TIME_SCALE)) stale "$UNDERLAY.21" >/dev/null
	check_err $? "spoke2 still has 10.0.0.11 at 192.0.2.21 after the move"
	d=$(capture_delay "$MOVED" "$UNDERLAY.31" 1 "$UNDERLAY.12")
	log_info "spoke2 forgot 192.0.2.21 (polled) $(($(now_ms) - t0)) ms after the move; by the capture, spoke1's purge left $d ms after it"
	[ -n "$d" ] && [ "$d" -le $((2000 * TIME_SCALE)) ]
	check_err $? "spoke1's purge to spoke2 left ${d:-never} ms after the move, not within 2 s"
	ping1 "$HUB" "$OVERLAY.11" && ping1 "$S2" "$OVERLAY.11"
	check_err $? "the hub or spoke2 cannot ping 10.0.0.11 once spoke2 forgot the old address"
	log_info "hub and spoke2 reach spoke1 $(($(now_ms) - t0)) ms after the move"
	busywait $((3000 * TIME_SCALE)) resolved_at "$S2" "$OVERLAY.11" \
		"$UNDERLAY.31" >/dev/null
	check_err $? "spoke2 did not resolve 10.0.0.11 to 192.0.2.31: $(mgre_entry_json "$S2" "$OVERLAY.11")"
	[ "$RET" -eq 0 ] || nhrp_trace 40
	log_test "peers that resolved the moved spoke follow it within 2 s"
}

trap 'rm -f "$PCAP"; cleanup' EXIT

test_no_address
test_new_address
test_second_claim
test_peers_follow

tests_done
