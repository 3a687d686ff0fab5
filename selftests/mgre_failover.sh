#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two hubs, and one of them dies: spokes registered with both keep
# working through the other.  A resolution hub 1 leaves unanswered goes
# again through hub 2 after half a second (res_retried), so a spoke
# reaches a new peer within 2 s of the death, long before hub 1 is
# declared down;
# an established direct flow loses nothing.  A hub that answers nothing
# is declared down within the registration timeout of its last answer:
# the one configured (registration-timeout), or a third of the holdtime.
#
#   hub1 (NHS)          hub2 (NHS)          spoke1, spoke2, spoke3
#   mgre0 10.0.0.1/24   mgre0 10.0.0.2/24   mgre0 10.0.0.11-13/24
#   veth0 192.0.2.1     veth0 192.0.2.2     veth0 192.0.2.11-13
#     |                   |                   |
#     +---- p1 ------ br0 (netns SW) ---- p2, p11, p12, p13
#
# Network-id 1, key 42.  The spokes register with both hubs, hub 1 first,
# holdtime 60 s: a dead hub 1 stays "up" for the 20 s of the
# registration timeout (a third of the holdtime).  A hub dies by
# losing its underlay link (its veth0 down), so that it answers nothing
# and says nothing.  Times are taken from ping's own timestamps, not from
# polls.
#
# Spoke2 ends with a priority on each hub and one connection at a time:
# it fails over to the worse one and falls back to the better one.
#
# mgre-timeout: 300

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq

HT=$((60 * HOLD_SCALE))
HT3=$((12 * HOLD_SCALE))	# spoke3's at the end: a timeout of HT3 / 3
RT=6			# spoke1's registration-timeout at the end
NHS="nhs $OVERLAY.1 nbma $UNDERLAY.1 nhs $OVERLAY.2 nbma $UNDERLAY.2"

setup()
{
	local h s

	topo_init || return 1
	topo_node H1 1 && topo_node H2 2 || return 1
	topo_node S1 11 && topo_node S2 12 && topo_node S3 13 || return 1
	for h in 1 2; do
		local ns=H$h

		run_cmd ip -n "${!ns}" link add mgre0 type mgre \
			local "$UNDERLAY.$h" key 42 network-id 1 holdtime 30 ||
			return 1
		dev_up "${!ns}" mgre0 "$OVERLAY.$h/24" || return 1
		nsx "${!ns}" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv4.conf.all.send_redirects=0 \
			net.ipv4.conf.mgre0.send_redirects=0
	done
	for s in 1 2 3; do
		local ns=S$s

		# shellcheck disable=SC2086
		run_cmd ip -n "${!ns}" link add mgre0 type mgre \
			local "$UNDERLAY.1$s" key 42 network-id 1 \
			holdtime "$HT" $NHS || return 1
		dev_up "${!ns}" mgre0 "$OVERLAY.1$s/24" || return 1
	done
}

# nhs_state NS NBMA: the state NS has its NHS at NBMA in.
nhs_state()
{
	mgrectl_ns "$1" -j nhs |
		jq -r --arg n "$2" '.[] | select(.nbma == $n) | .state'
}

nhs_is() { [ "$(nhs_state "$1" "$2")" = "$3" ]; }

# nhs_registrations NS [NBMA]: how many registrations the NHS at NBMA
# (hub 1's by default) has answered NS.
nhs_registrations()
{
	mgrectl_ns "$1" -j nhs | jq -r --arg n "${2:-$UNDERLAY.1}" \
		'.[] | select(.nbma == $n) | .registrations'
}

# both_up NS...: every NS is registered with both hubs.
both_up()
{
	local ns

	for ns; do
		nhs_is "$ns" "$UNDERLAY.1" up && nhs_is "$ns" "$UNDERLAY.2" up ||
			return 1
	done
}

hub_dies() { ip -n "$H1" link set veth0 down; }
hub_returns() { ip -n "$H1" link set veth0 up; }

resolved_at()
{
	local e

	e=$(mgre_entry_json "$1" "$2")
	[ "$(jq -r '.type // empty' <<< "$e")" = resolved ] &&
		[ "$(jq -r '.nbma // empty' <<< "$e")" = "$3" ]
}

# ms_since T0 T: milliseconds from T0 to T (seconds, with fractions).
ms_since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# first_reply FILE: the timestamp of the first echo reply of "ping -D".
first_reply()
{
	sed -n 's/^\[\([0-9.]*\)\] .* bytes from .*/\1/p' "$1" | head -n 1
}

test_register()
{
	setup
	check_err $? "two hubs and three spokes"
	busywait $((10000 * TIME_SCALE)) both_up "$S1" "$S2" "$S3"
	check_err $? "the spokes did not register with both hubs: $(mgrectl_ns "$S1" nhs)"
	mgrectl_ns "$S1" nhs | comment
	log_test "spokes register with two hubs"
}

# Spoke1 and spoke2 talk directly; hub 1, which resolved them, dies in
# the middle of a flow of 30 pings 100 ms apart: none is lost.
test_direct_flow()
{
	local out

	out=$(mktemp /tmp/mgre-failover-ping.XXXXXX)
	ping_ok "$S1" "$OVERLAY.12"
	check_err $? "spoke1 cannot ping spoke2"
	busywait $((3000 * TIME_SCALE)) resolved_at "$S1" "$OVERLAY.12" \
		"$UNDERLAY.12" >/dev/null
	check_err $? "spoke1 did not resolve spoke2: $(mgre_entry_json "$S1" "$OVERLAY.12")"
	# Answered at once: nothing retried.
	sleep 1.5
	[ "$(mgre_stat "$S1" res_retried)" -eq 0 ] && both_up "$S1"
	check_err $? "an answered resolution was retried ($(mgre_stat "$S1" res_retried)): $(mgrectl_ns "$S1" nhs)"

	nsx "$S1" ping -n -c 30 -i 0.1 -W 2 "$OVERLAY.12" >"$out" 2>&1 &
	sleep 1
	hub_dies
	wait $!
	grep -q ' 0% packet loss' "$out"
	check_err $? "the direct flow lost packets when hub 1 died: $(grep 'packet loss' "$out")"
	log_info "$(grep 'packet loss' "$out")"
	rm -f "$out"

	# Hub 1 comes back (out for 3 s: no spoke renewed meanwhile).
	hub_returns
	busywait $((15000 * TIME_SCALE)) both_up "$S1" "$S2" "$S3"
	check_err $? "the spokes did not register with hub 1 again: $(mgrectl_ns "$S1" nhs)"
	log_test "an established spoke-to-spoke flow loses nothing when a hub dies"
}

# Hub 1 dies and spoke1 pings spoke3, which it never resolved: its
# Resolution Request goes to hub 1, is not answered, and goes again to
# hub 2 after half a second; the first echo reply comes within 2 s of the
# death.
test_new_peer()
{
	local out t0 t r1 r3 first

	out=$(mktemp /tmp/mgre-failover-ping.XXXXXX)
	! mgre_has_entry "$S1" "$OVERLAY.13"
	check_err $? "spoke1 already has an entry for spoke3"
	r1=$(mgre_stat "$S1" res_retried)
	r3=$(mgre_stat "$S3" res_retried)

	t0=$(date +%s.%N)
	hub_dies
	nsx "$S1" ping -D -n -c 20 -i 0.2 -W 1 "$OVERLAY.13" >"$out" 2>&1
	first=$(first_reply "$out")
	[ -n "$first" ]
	check_err $? "spoke1 never reached spoke3 with hub 1 dead: $(grep 'packet loss' "$out")"
	if [ -n "$first" ]; then
		t=$(ms_since "$t0" "$first")
		log_info "first echo reply from spoke3 $t ms after hub 1 died"
		# Each way waits half a second for hub 1 and a poll (100 ms)
		# for hub 2: spoke3 resolves spoke1 only once spoke1's first
		# packet reaches it (hub 2 answers for spoke3, which so
		# learns nothing).
		[ "$t" -le $((2000 * TIME_SCALE)) ]
		check_err $? "the first echo reply came $t ms after hub 1's death (at most $((2000 * TIME_SCALE)))"
	fi
	[ "$(mgre_stat "$S1" res_retried)" -gt "$r1" ] &&
		[ "$(mgre_stat "$S3" res_retried)" -gt "$r3" ]
	check_err $? "res_retried: spoke1 $r1 -> $(mgre_stat "$S1" res_retried), spoke3 $r3 -> $(mgre_stat "$S3" res_retried)"
	resolved_at "$S1" "$OVERLAY.13" "$UNDERLAY.13"
	check_err $? "spoke1 did not resolve spoke3 through hub 2: $(mgre_entry_json "$S1" "$OVERLAY.13")"
	rm -f "$out"
	log_test "a new peer is reached within 2 s of a hub's death, both ways asked again"
}

# Hub 1 is back, then dies again: spoke1 (registration-timeout 6) and
# spoke3 (holdtime 12 now, so a timeout of 4 s) declare it down within
# their timeouts of its last answer, having sent their last renewal
# again twice.  Before, a spoke renewed at a third of the holdtime and
# declared the NHS down when the next renewal came due: up to two thirds
# of the holdtime after the death.
test_reg_timeout()
{
	local t0 now ms t1='' t3='' r1 g1 g3 rt lim1 lim3

	hub_returns
	busywait $((15000 * TIME_SCALE)) both_up "$S1" "$S2" "$S3"
	check_err $? "the spokes did not register with hub 1 again: $(mgrectl_ns "$S1" nhs)"
	g1=$(nhs_registrations "$S1")
	g3=$(nhs_registrations "$S3")
	run_cmd ip -n "$S1" link set mgre0 type mgre registration-timeout $RT &&
		run_cmd ip -n "$S3" link set mgre0 type mgre holdtime "$HT3"
	check_err $? "ip link set ... registration-timeout $RT, holdtime $HT3"
	rt=$(mgrectl_ns "$S1" -j link show mgre0 | jq '.[0].registration_timeout')
	[ "$rt" = $RT ]
	check_err $? "spoke1's registration timeout is $rt, not $RT"
	# Either change renews at once, at the new pace from there.
	busywait $((3000 * TIME_SCALE)) eval \
		'[ "$(nhs_registrations "$S1")" -gt "$g1" ] &&
		 [ "$(nhs_registrations "$S3")" -gt "$g3" ]'
	check_err $? "the change did not renew at once: spoke1 $g1 -> $(nhs_registrations "$S1"), spoke3 $g3 -> $(nhs_registrations "$S3")"
	r1=$(mgre_stat "$S1" reg_retransmits)

	lim1=$((RT * 1000 + 1000 * TIME_SCALE))
	lim3=$((HT3 * 1000 / 3 + 1000 * TIME_SCALE))
	t0=$(date +%s.%N)
	hub_dies
	while :; do
		now=$(date +%s.%N)
		ms=$(ms_since "$t0" "$now")
		[ -z "$t1" ] && nhs_is "$S1" "$UNDERLAY.1" down && t1=$ms
		[ -z "$t3" ] && nhs_is "$S3" "$UNDERLAY.1" down && t3=$ms
		[ -n "$t1" ] && [ -n "$t3" ] && break
		[ "$ms" -gt $((lim1 > lim3 ? lim1 : lim3)) ] && break
		sleep 0.1
	done
	log_info "hub 1 declared down by spoke1 after ${t1:-more than $lim1} ms (timeout ${RT} s), by spoke3 after ${t3:-more than $lim3} ms (timeout $((HT3 / 3)) s)"
	[ -n "$t1" ] && [ "$t1" -le $lim1 ]
	check_err $? "spoke1 did not declare hub 1 down within $lim1 ms: $(mgrectl_ns "$S1" nhs)"
	[ -n "$t3" ] && [ "$t3" -le $lim3 ]
	check_err $? "spoke3 did not declare hub 1 down within $lim3 ms: $(mgrectl_ns "$S3" nhs)"
	[ "$(mgre_stat "$S1" reg_retransmits)" -ge $((r1 + 2)) ]
	check_err $? "spoke1 sent its renewal again $(($(mgre_stat "$S1" reg_retransmits) - r1)) times, not twice"
	nhs_is "$S1" "$UNDERLAY.2" up && nhs_is "$S3" "$UNDERLAY.2" up
	check_err $? "hub 2 is not up: $(mgrectl_ns "$S1" nhs)"
	log_test "a silent NHS is declared down within the registration timeout"
}

# Spoke2 prefers hub 1 (priority 0) to hub 2 (priority 1) and registers
# with one at a time (nhs-max-connections 1): hub 2 waits in standby.
# Hub 1 dies: declared down within spoke2's registration timeout (4 s),
# hub 2 starts and comes up.  Hub 1 returns: spoke2 sees it answer (it
# retries a dead NHS with its backoff) and lets hub 2 go nhs-fallback
# (3 s) later, with a Purge Request: hub 2 forgets spoke2.  The renewals
# are 17 s apart by then, so nothing but the fallback time lets hub 2 go.
test_priority()
{
	local cfg r2 t0 ms t_up='' t_sb='' fb=3

	hub_returns
	cfg="nhs $OVERLAY.1 nbma $UNDERLAY.1 nhs $OVERLAY.2 nbma $UNDERLAY.2"
	# shellcheck disable=SC2086
	run_cmd ip -n "$S2" link set mgre0 type mgre $cfg priority 1 \
		nhs-max-connections 1 nhs-fallback $fb registration-timeout 4
	check_err $? "ip link set ... priority, nhs-max-connections, nhs-fallback"
	busywait $((15000 * TIME_SCALE)) eval \
		'nhs_is "$S2" "$UNDERLAY.1" up && nhs_is "$S2" "$UNDERLAY.2" standby'
	check_err $? "spoke2 does not use hub 1 alone: $(mgrectl_ns "$S2" nhs)"
	mgrectl_ns "$S2" nhs | comment
	r2=$(nhs_registrations "$S2" "$UNDERLAY.2")

	hub_dies
	busywait $((10000 * TIME_SCALE)) eval \
		'nhs_is "$S2" "$UNDERLAY.2" up && ! nhs_is "$S2" "$UNDERLAY.1" up'
	check_err $? "spoke2 did not fail over to hub 2: $(mgrectl_ns "$S2" nhs)"
	[ "$(nhs_registrations "$S2" "$UNDERLAY.2")" -gt "$r2" ]
	check_err $? "hub 2 answered no registration of spoke2's"
	mgre_registered "$H2" "$OVERLAY.12"
	check_err $? "hub 2 does not hold spoke2's registration"

	run_cmd ip -n "$S2" link set mgre0 type mgre registration-timeout 0
	hub_returns
	t0=$(date +%s.%N)
	while :; do
		ms=$(ms_since "$t0" "$(date +%s.%N)")
		[ -z "$t_up" ] && nhs_is "$S2" "$UNDERLAY.1" up && t_up=$ms
		[ -n "$t_up" ] && nhs_is "$S2" "$UNDERLAY.2" standby &&
			t_sb=$ms && break
		[ "$ms" -gt $((40000 * TIME_SCALE)) ] && break
		sleep 0.1
	done
	log_info "hub 1 up again after ${t_up:-?} ms, hub 2 in standby after ${t_sb:-?} ms (nhs-fallback $fb s)"
	[ -n "$t_sb" ]
	check_err $? "spoke2 did not fall back to hub 1: $(mgrectl_ns "$S2" nhs)"
	if [ -n "$t_sb" ]; then
		# The polls (two mgrectl each) blur either end by one.
		[ $((t_sb - t_up)) -ge $((fb * 1000 - 500 * TIME_SCALE)) ] &&
			[ $((t_sb - t_up)) -le $((fb * 1000 + 2000 * TIME_SCALE)) ]
		check_err $? "hub 2 let go $((t_sb - t_up)) ms after hub 1 was up, not about $fb s"
	fi
	busywait $((3000 * TIME_SCALE)) eval '! mgre_has_entry "$H2" "$OVERLAY.12"'
	check_err $? "hub 2 still holds spoke2's registration: $(mgre_entry_json "$H2" "$OVERLAY.12")"
	mgrectl_ns "$S2" nhs | comment
	log_test "NHS priority: one at a time, fail over to the next, fall back to the best"
}

trap cleanup EXIT

test_register
test_direct_flow
test_new_peer
test_reg_timeout
test_priority

tests_done
