#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Demonstration (make demo): a DMVPN phase 2 network, NHRP in the kernel.
#
#   hub (NHS)              spoke1 (NHC)           spoke2 (NHC)
#   mgre0 10.0.0.1/24      mgre0 10.0.0.11/24     mgre0 10.0.0.12/24
#   veth0 192.0.2.1/24     veth0 192.0.2.11/24    veth0 192.0.2.12/24
#     |                      |                      |
#     +------------------ br0 (netns SW) -----------+
#
# Nothing is mapped by hand: the spokes register with the hub, then
# spoke1 resolves spoke2 through the hub on its first packet and talks to
# it directly.

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd ping jq

say() { printf '\n%s\n' "$*"; }
header() { printf '\n==== %s ====\n' "$*"; }
show() { echo "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }
fail() {
	echo "not ok 1 - demo: $*"
	echo "1..1"
	exit 1
}

header "Building: 3 namespaces on one bridge"
topo_init >/dev/null && topo_node HUB 1 && topo_node S1 11 &&
	topo_node S2 12 || fail "could not build the namespaces"
nsx "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0

header "The hub: an NHS (network-id 1), no NHS of its own"
show ip -n "$HUB" link add mgre0 type mgre local 192.0.2.1 key 42 \
	network-id 1 holdtime 60
ip -n "$HUB" addr add 10.0.0.1/24 dev mgre0
ip -n "$HUB" link set mgre0 up

header "The spokes: NHS 10.0.0.1 at NBMA 192.0.2.1 (spoke2 learns its address)"
show ip -n "$S1" link add mgre0 type mgre local 192.0.2.11 key 42 \
	network-id 1 holdtime 60 nhs 10.0.0.1 nbma 192.0.2.1
show ip -n "$S2" link add mgre0 type mgre local 192.0.2.12 key 42 \
	network-id 1 holdtime 60 nhs dynamic nbma 192.0.2.1
ip -n "$S1" addr add 10.0.0.11/24 dev mgre0
ip -n "$S2" addr add 10.0.0.12/24 dev mgre0
ip -n "$S1" link set mgre0 up
ip -n "$S2" link set mgre0 up
show ip -n "$S1" -d link show mgre0

header "Registration: the spokes register on their own"
busywait 10000 bash -c "[ \"\$(ip netns exec $HUB mgrectl -j show | jq length)\" -ge 2 ]" ||
	fail "the spokes did not register"
show ip netns exec "$HUB" mgrectl show
show ip netns exec "$S1" mgrectl nhs
show ip netns exec "$S2" mgrectl nhs

header "Resolution: spoke1's first packet to spoke2 goes through the hub"
say "spoke1's cache before:"
show ip netns exec "$S1" mgrectl show
show ip netns exec "$S1" ping -c 3 -i 0.3 -w 5 10.0.0.12
ok=$?
say "spoke1's cache after: 10.0.0.12 is resolved to 192.0.2.12"
show ip netns exec "$S1" mgrectl show
nsx "$S2" ping -c 1 -w 3 10.0.0.11 >/dev/null

header "Spoke to spoke, directly: the hub's tunnel sees none of it"
hub_rx0=$(link_rx_packets "$HUB" mgre0)
show ip netns exec "$S1" ping -c 5 -i 0.2 -w 5 10.0.0.12 || ok=1
hub_rx1=$(link_rx_packets "$HUB" mgre0)
say "data packets the hub's mgre0 received meanwhile: $((hub_rx1 - hub_rx0))"

for n in HUB S1 S2; do
	ns=${!n}
	case $n in HUB) name=hub ;; S1) name=spoke1 ;; S2) name=spoke2 ;; esac
	header "$name: NHRP traffic (show ip nhrp traffic)"
	show ip netns exec "$ns" mgrectl traffic
done
header "spoke1: device counters"
show ip netns exec "$S1" mgrectl stats

echo
[ $ok -eq 0 ] || fail "spoke1 could not reach spoke2"
echo "ok 1 - demo: spokes registered, resolved each other and talked directly"
echo "1..1"
