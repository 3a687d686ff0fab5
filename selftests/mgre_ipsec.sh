#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mgre under IPsec: GRE between NBMA addresses in ESP transport mode, with
# static xfrm states and policies such as strongSwan or racoon install.
#
#   hub (NHS)             spoke1 (NHC)          spoke2 (NHC)
#   mgre0 10.0.0.1/24     mgre0 10.0.0.11/24    mgre0 10.0.0.12/24
#   veth0 192.0.2.1       veth0 192.0.2.11      veth0 192.0.2.12
#     |                     |                     |
#     +---- p1 ---------- br0 (netns SW) ------ p12 +
#                           |  p11
#                           +-- p13  intruder 192.0.2.13, no IPsec
#
# Every pair of the three nodes has an ESP SA each way (AES-GCM, static
# keys); each node's policies require ESP for GRE to and from 192.0.2.0/24.
# Registration, resolution and spoke-to-spoke traffic must work through
# xfrm, the underlay must carry ESP and no GRE, and the hub must refuse the
# intruder's cleartext GRE (the kernel counts XfrmInTmplMismatch) instead of
# registering it.
#
# mgre-timeout: 300

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq ping tcpdump python3

INJECT="$LIB_DIR/nhrp_inject.py"
PCAP=$(mktemp /tmp/mgre-ipsec-pcap.XXXXXX)
NODES="1 11 12"

# sa_key A B: a distinct 160-bit rfc4106 key (128-bit AES key + salt) for
# the SA from .A to .B
sa_key() { printf '0x%02x%02x%036d' "$1" "$2" 0; }

# ipsec NS OCTET: SAs with the two other nodes, both ways, and policies
# that require ESP for GRE from and to the underlay subnet; one ip -batch.
ipsec()
{
	local ns=$1 me=$2 peer a b cmds=

	for peer in $NODES; do
		[ "$peer" = "$me" ] && continue
		for dir in "$me $peer" "$peer $me"; do
			read -r a b <<< "$dir"
			printf -v cmds '%sxfrm state add src %s dst %s proto esp spi 0x%02x%02x mode transport aead rfc4106(gcm(aes)) %s 128\n' \
				"$cmds" "$UNDERLAY.$a" "$UNDERLAY.$b" "$a" "$b" \
				"$(sa_key "$a" "$b")"
		done
	done
	cmds+="xfrm policy add src $UNDERLAY.$me dst $UNDERLAY.0/24 proto gre dir out tmpl proto esp mode transport"$'\n'
	cmds+="xfrm policy add src $UNDERLAY.0/24 dst $UNDERLAY.$me proto gre dir in tmpl proto esp mode transport"$'\n'
	ip -n "$ns" -batch - <<< "$cmds"
}

setup()
{
	local n

	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 &&
		topo_node INTR 13 || return 1
	if ! ip -n "$HUB" xfrm state list >/dev/null 2>&1; then
		skip_all "no xfrm netlink (CONFIG_XFRM_USER) in this kernel"
	fi
	ipsec "$HUB" 1 && ipsec "$S1" 11 && ipsec "$S2" 12 || return 1
	# Both ways through every bridge port, GRE and ESP alike.
	nsx "$SW" tcpdump -q -U -i any -w "$PCAP" 'ip proto 47 or ip proto 50' \
		>/dev/null 2>&1 &
	BG_PIDS+=($!)
	TCPDUMP_PID=$!
	sleep 0.5
	run_cmd ip -n "$HUB" link add mgre0 type mgre local "$UNDERLAY.1" \
		key 42 network-id 1 holdtime 60 || return 1
	dev_up "$HUB" mgre0 "$OVERLAY.1/24" || return 1
	nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1
	for n in "$S1:11" "$S2:12"; do
		run_cmd ip -n "${n%:*}" link add mgre0 type mgre \
			local "$UNDERLAY.${n#*:}" key 42 network-id 1 \
			holdtime 60 nhs "$OVERLAY.1" nbma "$UNDERLAY.1" ||
			return 1
		dev_up "${n%:*}" mgre0 "$OVERLAY.${n#*:}/24" || return 1
	done
}

entry_field()
{
	mgre_entry_field "$1" "$2" "$3"
}

registered()
{
	[ "$(entry_field "$HUB" "$1" type)" = registered ]
}

# etype_is NS ADDR TYPE: NS has an entry for ADDR of type TYPE (a condition
# for busywait, read anew at each try).
etype_is() { [ "$(entry_field "$1" "$2" type)" = "$3" ]; }

# esp_packets NS SRC DST: packets the SA from SRC to DST carried, as NS
# counts them.
esp_packets()
{
	ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp \
		spi "$(printf '0x%02x%02x' "${2##*.}" "${3##*.}")" |
		awk '/lifetime current:/ { getline
			for (i = 1; i <= NF; i++)
				if (sub(/\(packets\).*/, "", $i)) { print $i; exit } }'
}

test_setup()
{
	# Beside ip_gre: mgre receives through its hook, not the demultiplexer.
	if modinfo ip_gre >/dev/null 2>&1; then
		run_cmd modprobe ip_gre
		check_err $? "modprobe ip_gre failed beside mgre"
		IPGRE_LOADED=1
	fi
	setup
	check_err $? "hub and spokes with ESP transport SAs and policies"
	log_test "hub and two spokes, GRE between their NBMA addresses in ESP"
}

test_register()
{
	busywait $((10000 * TIME_SCALE)) registered "$OVERLAY.11" &&
		busywait $((5000 * TIME_SCALE)) registered "$OVERLAY.12"
	check_err $? "the spokes did not register through ESP"
	[ "$(esp_packets "$HUB" "$UNDERLAY.11" "$UNDERLAY.1")" -ge 1 ]
	check_err $? "the hub's SA from spoke1 carried nothing"
	log_test "registration through ESP"
}

test_shortcut()
{
	local before after

	run_cmd nsx "$S1" ping -c 5 -i 0.2 -W 2 "$OVERLAY.12"
	check_err $? "spoke1 -> spoke2 ping failed"
	busywait $((3000 * TIME_SCALE)) etype_is "$S1" "$OVERLAY.12" resolved
	check_err $? "spoke1 did not resolve 10.0.0.12"
	before=$(esp_packets "$S2" "$UNDERLAY.11" "$UNDERLAY.12")
	run_cmd nsx "$S1" ping -c 10 -i 0.1 -W 2 "$OVERLAY.12"
	check_err $? "ping over the shortcut failed"
	after=$(esp_packets "$S2" "$UNDERLAY.11" "$UNDERLAY.12")
	[ $((after - before)) -ge 10 ]
	check_err $? "the spoke1 -> spoke2 SA carried $((after - before)) packets for 10 pings"
	log_test "resolution and the spoke-to-spoke shortcut through ESP"
}

test_no_cleartext()
{
	local gre esp

	kill "$TCPDUMP_PID" 2>/dev/null
	sleep 0.5
	gre=$(tcpdump -nr "$PCAP" 'ip proto 47' 2>/dev/null | grep -c .)
	esp=$(tcpdump -nr "$PCAP" 'ip proto 50' 2>/dev/null | grep -c .)
	log_info "underlay: $esp ESP packets, $gre GRE packets"
	[ "$gre" -eq 0 ]
	check_err $? "$gre cleartext GRE packets on the underlay"
	[ "$esp" -ge 20 ]
	check_err $? "only $esp ESP packets on the underlay"
	log_test "the underlay carries ESP and no cleartext GRE"
}

# xfrm_stat NS NAME: a counter of /proc/net/xfrm_stat in NS.
xfrm_stat()
{
	nsx "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/xfrm_stat
}

# The IP layer checks input policies before it hands GRE to a protocol
# handler; mgre's LOCAL_IN hook makes the same check for what it takes,
# so cleartext GRE never reaches mgre.  ip_gre is loaded (test_setup), so
# the hook is what receives here, not the GRE demultiplexer.
test_refuse_cleartext()
{
	local before after out

	before=$(xfrm_stat "$HUB" XfrmInTmplMismatch)
	out=$(nsx "$INTR" python3 "$INJECT" register --to "$UNDERLAY.1" \
		--key 42 --src-nbma "$UNDERLAY.13" --src-proto "$OVERLAY.13" \
		--wait-reply)
	[ "$out" = "no reply" ]
	check_err $? "the hub answered a cleartext registration: '$out'"
	! mgre_has_entry "$HUB" "$OVERLAY.13"
	check_err $? "the hub registered 10.0.0.13 from cleartext GRE"
	after=$(xfrm_stat "$HUB" XfrmInTmplMismatch)
	if [ -n "$before" ]; then	# CONFIG_XFRM_STATISTICS
		[ "$after" -gt "$before" ]
		check_err $? "XfrmInTmplMismatch did not count the refusal ($before -> $after)"
	fi
	registered "$OVERLAY.11" && registered "$OVERLAY.12"
	check_err $? "the spokes' registrations suffered"
	log_test "cleartext GRE where a policy wants ESP: refused before mgre, counted by xfrm"
}

IPGRE_LOADED=
trap 'rm -f "$PCAP"; cleanup; [ -z "$IPGRE_LOADED" ] || rmmod ip_gre' EXIT

test_setup
test_register
test_shortcut
test_no_cleartext
test_refuse_cleartext

tests_done
