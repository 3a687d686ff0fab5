#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by vm-mgre.sh (side A) and vm-frr.sh (side B) of the FRR interop
# test, sourced after ../lib.sh (and by vm-both.sh, which runs both in one
# VM).  The two sides share one L2 segment (a veth pair between their
# switches) and one writable directory, $INTEROP_OUT, whose sync/
# subdirectory is their message board: mark NAME creates a flag file,
# await NAME MS waits for one (bounded, and cut short when the other side
# gave up).
#
# Addresses (TEST-NET): underlay 192.0.2.0/24, overlay 10.0.0.0/24 and
# 2001:db8::/64 (the same last octet: 10.0.0.21 is 2001:db8::21).
#   network 1, GRE key 42: mgre hub .1 (A), mgre spoke .11 (A),
#                          FRR spoke .21 (B, nhs dynamic nbma 192.0.2.1)
#   network 2, GRE key 43: FRR hub .2 (B), mgre spoke .12 (A, nhs dynamic
#                          nbma 192.0.2.2), FRR spoke .22 (B)

OUT=${INTEROP_OUT:?INTEROP_OUT must name the shared output directory}
SYNC=$OUT/sync
export INTEROP_ME=${INTEROP_ME:?}	# a, b (or both: vm-both.sh)
PEER=${INTEROP_PEER:?}		# the other one
OVERLAY6=2001:db8	# the overlay's IPv6 half: $OVERLAY6::OCTET
MAC_A=52:54:00:00:00:0a
MAC_B=52:54:00:00:00:0b

mkdir -p "$SYNC" 2>/dev/null

# mark NAME: tell the other side that NAME happened.
mark()
{
	: > "$SYNC/$1"
	log_info "sync: marked $1 at +$(($(date +%s) - T0))s"
}

# await NAME MS: wait until the other side marked NAME, at most MS ms; give
# up at once if the other side has finished (it marks "<side>-done" on exit).
await()
{
	local name=$1 ms=$2 start

	start=$(now_ms)
	while [ ! -e "$SYNC/$name" ]; do
		if [ -e "$SYNC/$PEER-done" ]; then
			log_info "sync: $PEER finished before marking $name"
			return 1
		fi
		if [ $(($(now_ms) - start)) -ge "$ms" ]; then
			log_info "sync: gave up waiting for $name after ${ms} ms"
			return 1
		fi
		sleep 0.2
	done
	log_info "sync: got $name at +$(($(date +%s) - T0))s"
	return 0
}

# nic_by_mac MAC: the name of the interface with that address.
nic_by_mac()
{
	ip -o link | awk -v mac="$1" '$0 ~ "link/ether " mac { sub(":$", "", $2); sub("@.*", "", $2); print $2; exit }'
}

# underlay_init MAC: switch namespace $SW with bridge br0 and the veth end
# with that MAC (the link to the other side) moved into it and bridged.
underlay_init()
{
	local nic

	nic=$(nic_by_mac "$1")
	if [ -z "$nic" ]; then
		echo "# no interface with MAC $1:"
		ip -o link | comment
		return 1
	fi
	topo_init || return 1
	ip link set "$nic" netns "$SW" &&
		ip -n "$SW" link set "$nic" master br0 &&
		ip -n "$SW" link set "$nic" up
}

# A final case for the VM's kernel log.
test_dmesg_clean()
{
	local re='WARNING:|BUG|Oops|refcount|leak|Call Trace|general protection|UBSAN|KASAN'
	local splats

	# The boot command line carries base64 that can spell "BUG".
	splats=$(dmesg | grep -v 'ommand line:' | grep -E "$re")
	if [ -n "$splats" ]; then
		echo "$splats" | head -40 | comment
		check_err 1 "kernel log matches /$re/"
	fi
	log_test "$1"
}
