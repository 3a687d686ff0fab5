#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Demonstration (make demo): a DMVPN-style hub and two spokes.
#
#   hub                    spoke1                 spoke2
#   mgre0 10.0.0.1/24      mgre0 10.0.0.11/24     mgre0 10.0.0.12/24
#   veth0 192.0.2.1/24     veth0 192.0.2.11/24    veth0 192.0.2.12/24
#     |                      |                      |
#     +------------------ br0 (netns SW) -----------+
#
# Mappings are static for now (NHRP registration comes later): every node
# knows every other node's NBMA (underlay) address.

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd ping

say() { printf '\n%s\n' "$*"; }
header() { printf '\n==== %s ====\n' "$*"; }
show() { echo "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }

header "Building: 3 namespaces on one bridge, an mgre device in each (key 42)"
topo_init >/dev/null &&
	topo_node HUB 1 && topo_node S1 11 && topo_node S2 12 &&
	topo_mgre "$HUB" 1 42 >/dev/null && topo_mgre "$S1" 11 42 >/dev/null &&
	topo_mgre "$S2" 12 42 >/dev/null || {
	echo "not ok 1 - demo: could not build the topology"
	echo "1..1"
	exit 1
}
show ip -n "$S1" -d -br link show mgre0
show ip -n "$S1" -d link show mgre0

header "Static NHRP mappings: overlay (protocol) address -> underlay (NBMA) address"
for n in "HUB 1 11 12" "S1 11 1 12" "S2 12 1 11"; do
	set -- $n
	ns=${!1}
	for p in $3 $4; do
		show ip netns exec "$ns" mgrectl add 10.0.0.$p nbma 192.0.2.$p dev mgre0
	done
done

header "Pings through the tunnel"
say "hub -> spoke1:"
show ip netns exec "$HUB" ping -c 2 -i 0.2 -w 5 10.0.0.11
hub_rx0=$(link_rx_packets "$HUB" veth0)
say "spoke1 -> spoke2 (direct, the hub is not involved):"
show ip netns exec "$S1" ping -c 3 -i 0.2 -w 5 10.0.0.12
ok=$?
hub_rx1=$(link_rx_packets "$HUB" veth0)
say "packets the hub's underlay received during the spoke-to-spoke pings: $((hub_rx1 - hub_rx0))"

for n in HUB S1 S2; do
	ns=${!n}
	case $n in HUB) name=hub ;; S1) name=spoke1 ;; S2) name=spoke2 ;; esac
	header "$name: NHRP cache (protocol address, NBMA address, type, flags, expiry)"
	show ip netns exec "$ns" mgrectl show
	header "$name: counters (per device, and per namespace)"
	show ip netns exec "$ns" mgrectl stats
done

echo
if [ $ok -eq 0 ]; then
	echo "ok 1 - demo: spoke1 reached spoke2 through the tunnel"
else
	echo "not ok 1 - demo: spoke1 could not reach spoke2"
fi
echo "1..1"
[ $ok -eq 0 ]
