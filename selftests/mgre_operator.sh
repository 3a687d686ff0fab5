#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The operator's views and boot-time configuration: mgrectl show dmvpn and
# nhs detail on a live hub and spokes, the event monitor's record of a
# registration, and the ifupdown stanzas of examples/ifupdown brought up
# and down with ifup/ifdown.
#
#   hub (NHS)             spoke1                spoke2
#   mgre0 10.0.0.1/24     mgre0 10.0.0.11/24    mgre0 10.0.0.12/24
#   veth0 192.0.2.1       veth0 192.0.2.11      veth0 192.0.2.12
#     |                     |                     |
#     +---- p1 ---------- br0 (netns SW) ------ p12 +
#                           p11
#
# Every mgre device comes from the stanzas (spoke2's is spoke1's with .11
# made .12), so they are what is tested: key 42, network-id 1, auth dmvpn,
# holdtime 600; spoke1 also has a second NHS, 10.0.0.2 at 192.0.2.2, that
# nobody answers, and the static mapping of the stanza (10.0.0.20).

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping ifup ifdown

# vm-run.sh stages examples/ beside selftests/.
EXAMPLES=$(cd "$LIB_DIR/.." && pwd)/examples/ifupdown
CONF=$(mktemp -d /tmp/mgre-ifupdown.XXXXXX)
MON=$CONF/monitor

operator_cleanup()
{
	cleanup
	rm -rf "$CONF"
}
trap operator_cleanup EXIT

# ifupdown NS CMD IFACES-FILE: ifup/ifdown mgre0 in NS with its own state.
ifupdown()
{
	mkdir -p "$CONF/state-$1"
	run_cmd ip netns exec "$1" "$2" -i "$3" --state-dir "$CONF/state-$1" \
		--no-scripts mgre0
}

dmvpn_json() { nsx "$1" mgrectl -j show dmvpn dev mgre0; }

# peer_field NS NBMA FIELD: a field of NS's dmvpn peer at NBMA.
peer_field()
{
	dmvpn_json "$1" | jq -c --arg n "$2" \
		".[0].peers[] | select(.nbma == \$n) | $3"
}

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 || return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1
	# ifupdown runs its commands with a PATH of its own and no other
	# environment: point them at the staged plugin and mgrectl, which an
	# installed system has in /usr/lib/<multiarch>/ip and /usr/sbin.
	local stage=${MGRE_STAGE:-$LIB_DIR/..}
	local env="s| ip link add | IP_LIB_DIR=$stage/tools ip link add |"
	env="$env; s| mgrectl | $stage/tools/mgrectl |"
	sed "$env" "$EXAMPLES/mgre-hub" > "$CONF/hub" &&
		sed "$env; s/ mcast-nhs on/ nhs 10.0.0.2 nbma 192.0.2.2&/" \
			"$EXAMPLES/mgre-spoke" > "$CONF/spoke1" &&
		sed "$env; s/\.11\([/ ]\)/.12\1/g" "$EXAMPLES/mgre-spoke" \
			> "$CONF/spoke2" || return 1
	ip netns exec "$HUB" mgrectl monitor > "$MON" 2>&1 &
	BG_PIDS+=($!)
	sleep 0.3
}

test_ifup()
{
	local n

	setup
	check_err $? "building the topology failed"
	ifupdown "$HUB" ifup "$CONF/hub"
	check_err $? "ifup of the hub's stanza failed"
	ifupdown "$S1" ifup "$CONF/spoke1"
	check_err $? "ifup of spoke1's stanza failed"
	ifupdown "$S2" ifup "$CONF/spoke2"
	check_err $? "ifup of spoke2's stanza failed"
	for n in "$HUB" "$S1" "$S2"; do
		ip -n "$n" link show mgre0 | grep -q '<.*UP.*> mtu 1400 '
		check_err $? "mgre0 in $n is not up with mtu 1400: $(ip -n "$n" link show mgre0 2>&1)"
	done
	busywait $((10000 * TIME_SCALE)) mgre_registered "$HUB" 10.0.0.11 10.0.0.12
	check_err $? "the spokes did not register with the hub"
	mgre_has_entry "$S1" 10.0.0.20
	check_err $? "the stanza's static mapping (up mgrectl add) is missing"
	log_test "ifup: the example stanzas make a hub and two registered spokes"
}

test_dmvpn_hub()
{
	local j out

	j=$(dmvpn_json "$HUB" | jq -c '.[0] | [.type, .nhrp_peers]')
	[ "$j" = '["hub",2]' ]
	check_err $? "hub: type and peers: $j"
	j=$(peer_field "$HUB" 192.0.2.11 '[.tunnel, .entries, .state, .attributes]')
	[ "$j" = '["10.0.0.11",1,"up",["dynamic"]]' ]
	check_err $? "hub: spoke1's peer: $j"
	out=$(nsx "$HUB" mgrectl show dmvpn)
	grep -qE '^ +1  192\.0\.2\.12 +10\.0\.0\.12 +UP +[0-9:]{8}  D$' <<<"$out"
	check_err $? "hub: no text line for spoke2: $out"
	grep -q '^Type: hub, NHRP Peers: 2$' <<<"$out"
	check_err $? "hub: no type line: $out"
	log_test "show dmvpn on the hub: two dynamic peers"
}

test_dmvpn_spoke()
{
	local j

	j=$(dmvpn_json "$S1" | jq -c '.[0] | [.type, .nhrp_peers]')
	[ "$j" = '["spoke",3]' ]
	check_err $? "spoke1: type and peers (hub, silent NHS, static): $j"
	j=$(peer_field "$S1" 192.0.2.1 '[.tunnel, .state, (.attributes | index("nhs") != null)]')
	[ "$j" = '["10.0.0.1","up",true]' ]
	check_err $? "spoke1: the hub as NHS: $j"
	j=$(peer_field "$S1" 192.0.2.2 '[.state, .attributes]')
	[ "$j" = '["nhrp",["nhs"]]' ] || [ "$j" = '["down",["nhs"]]' ]
	check_err $? "spoke1: the silent NHS: $j"
	j=$(peer_field "$S1" 192.0.2.20 '[.tunnel, .state, .attributes]')
	[ "$j" = '["10.0.0.20","up",["static"]]' ]
	check_err $? "spoke1: the static peer: $j"
	# Resolution: spoke1 learns spoke2 and shows it as a dynamic peer.
	ping_ok "$S1" 10.0.0.12
	busywait $((5000 * TIME_SCALE)) sh -c "[ \"\$(ip netns exec $S1 mgrectl -j show dmvpn dev mgre0 | \
		jq -r '.[0].peers[] | select(.nbma == \"192.0.2.12\") | .state')\" = up ]"
	check_err $? "spoke1: spoke2 never became an up peer: $(dmvpn_json "$S1")"
	nsx "$S1" mgrectl show dmvpn | comment
	log_test "show dmvpn on a spoke: NHSs, a static and a resolved peer"
}

test_nhs_detail()
{
	local out j

	out=$(nsx "$S1" mgrectl nhs detail dev mgre0)
	grep -qE '^10\.0\.0\.1 +R  NBMA Address: 192\.0\.2\.1 \(static\)$' <<<"$out"
	check_err $? "nhs detail: the hub's line: $out"
	# A first reply later than the retry timeout (1 s) is legitimately
	# counted as a failure on a slow machine: any count, as long as the
	# NHS is up and the last reply a success.
	grep -qE '^    state up, priority 0, registrations [1-9][0-9]*, failures [0-9]+, last code 0 \(success\)$' <<<"$out"
	check_err $? "nhs detail: the hub's counters: $out"
	grep -qE '^10\.0\.0\.2 +[EW]  NBMA Address: 192\.0\.2\.2 \(static\)$' <<<"$out"
	check_err $? "nhs detail: the silent NHS: $out"
	grep -qE '^    state (down|registering), priority 0, registrations 0, failures [0-9]+$' <<<"$out"
	check_err $? "nhs detail: the silent NHS reports no code: $out"
	j=$(nsx "$S2" mgrectl -j nhs detail | jq -c '[.[] | .protocol, .dynamic, .state]')
	[ "$j" = '["10.0.0.1",false,"up"]' ]
	check_err $? "nhs detail -j on spoke2: $j"
	log_test "nhs detail: a registered NHS and a silent one"
}

test_monitor()
{
	grep -qE '^add 10\.0\.0\.11 nbma 192\.0\.2\.11 dev mgre0 type registered' "$MON"
	check_err $? "the hub's monitor did not record spoke1's registration: $(cat "$MON")"
	head -n 3 "$MON" | comment
	log_test "mgrectl monitor records the registrations"
}

test_ifdown()
{
	ifupdown "$S1" ifdown "$CONF/spoke1"
	check_err $? "ifdown failed"
	ip -n "$S1" link show mgre0 > /dev/null 2>&1
	check_fail $? "mgre0 still exists after ifdown"
	ifupdown "$S1" ifup "$CONF/spoke1"
	check_err $? "ifup after ifdown failed"
	busywait $((10000 * TIME_SCALE)) sh -c "ip netns exec $S1 mgrectl -j nhs | jq -e '.[0].state == \"up\"' > /dev/null"
	check_err $? "spoke1 did not register again after ifup"
	log_test "ifdown removes the device, ifup brings it back registered"
}

test_ifup
test_dmvpn_hub
test_dmvpn_spoke
test_nhs_detail
test_monitor
test_ifdown
tests_done
