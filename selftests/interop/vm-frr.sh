#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Side B of the FRR nhrpd interop test (vm-both.sh runs it beside side A,
# vm-mgre.sh, in one VM): the FRR side.  ip_gre NBMA tunnels with zebra +
# nhrpd (Debian's frr) in network namespaces bridged onto the link to
# side A:
#
#   FHUB  192.0.2.2   gre1 10.0.0.2/32   key 43, NHS of network 2, redirect
#   FSP1  192.0.2.21  gre1 10.0.0.21/32  key 42, nhs dynamic nbma 192.0.2.1
#                                        (the mgre hub of side A)
#   FSP2  192.0.2.22  gre1 10.0.0.22/32  key 43, nhs dynamic nbma 192.0.2.2
#
# The daemons run as user frr with their state in a tmpfs directory; their
# logs (debug nhrp all) are copied to $INTEROP_OUT/b-<node>-*.log.

SELF=$(cd "$(dirname "$0")" && pwd)
source "$SELF/../lib.sh"
INTEROP_ME=b INTEROP_PEER=a
source "$SELF/interop_lib.sh"

T0=$(date +%s)
FRR_BIN=/usr/lib/frr
STATE=/run/frr-interop
NODES=()

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
require_cmd ip jq ping vtysh iptables "$FRR_BIN/zebra" "$FRR_BIN/nhrpd"
id frr >/dev/null 2>&1 || skip_all "no user frr (install the frr package)"

save_logs()
{
	local n

	for n in "${NODES[@]}"; do
		cp "$STATE/$n/nhrpd.log" "$OUT/b-$n-nhrpd.log" 2>/dev/null
		cp "$STATE/$n/zebra.log" "$OUT/b-$n-zebra.log" 2>/dev/null
	done
}

cleanup()
{
	local n pid

	save_logs
	for n in "${NODES[@]}"; do
		for pid in $(cat "$STATE/$n"/*.pid 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
	done
	kill_bg
	cleanup_all_ns
	mark b-done 2>/dev/null
}
trap cleanup EXIT

# vty NAME CMD: a vtysh command against node NAME's daemons.
vty()
{
	timeout 20 vtysh --vty_socket "$STATE/$1" -c "$2" 2>&1
}

# vty_json NAME CMD: the "table" array of a json show command ([] on error).
# (nhrpd 8.4 prints the text header of "show ip nhrp shortcut" before its
# JSON: skip to the JSON.)
vty_json()
{
	vty "$1" "$2 json" | sed -n '/^{/,$p' | jq -c '.table // []' 2>/dev/null ||
		echo '[]'
}

# afi PROTO: "ipv6" for an IPv6 address, else "ip" (vtysh's show commands).
afi() { case $1 in *:*) echo ipv6 ;; *) echo ip ;; esac; }

# cache_has NAME PROTO TYPE NBMA: nhrpd's cache lists PROTO as TYPE at NBMA.
cache_has()
{
	vty_json "$1" "show $(afi "$2") nhrp cache" | jq -e --arg p "$2" --arg t "$3" \
		--arg n "$4" 'any(.[]; .protocol == $p and .type == $t and
				      .nbma == $n)' >/dev/null
}

# nhs_up NAME PROTO NBMA: nhrpd registered with the NHS at NBMA and learnt
# its tunnel address PROTO from the Registration Reply.
nhs_up()
{
	vty_json "$1" "show $(afi "$2") nhrp nhs" | jq -e --arg p "$2" --arg n "$3" \
		'any(.[]; .protocol == $p and .nbma == $n)' >/dev/null
}

shortcut_has()
{
	vty_json "$1" "show ip nhrp shortcut" | jq -e --arg p "$2" --arg v "$3" \
		'any(.[]; .prefix == $p and .via == $v and .type == "dynamic")' >/dev/null
}

# frr_node NAME VAR OCTET KEY NHRP-CONFIG: a namespace with an ip_gre NBMA
# tunnel gre1 10.0.0.OCTET/32 and zebra running; nhrpd is started later
# by start_nhrpd with NHRP-CONFIG as its interface section.
frr_node()
{
	local name=$1 var=$2 octet=$3 key=$4 ifcfg=$5 dir ns

	dir=$STATE/$name
	topo_node "$var" "$octet" || return 1
	ns=${!var}
	NODES+=("$name")
	# Bound to the underlay (dev veth0): with an unbound tunnel and
	# "tunnel source", zebra 8.4 rewrites it and loses the key.
	run_cmd ip -n "$ns" tunnel add gre1 mode gre key "$key" ttl 64 \
		dev veth0 local "$UNDERLAY.$octet" || return 1
	ip -n "$ns" addr add "$OVERLAY.$octet/32" dev gre1
	# IPv6 in the tunnel too (lib.sh turns it off for new devices), with
	# no link-local address: nhrpd takes the shortest prefix of the
	# interface as its address and wants a host prefix.
	nsx "$ns" sysctl -qw net.ipv6.conf.gre1.addr_gen_mode=1 \
		net.ipv6.conf.gre1.disable_ipv6=0
	ip -n "$ns" addr add "$OVERLAY6::$octet/128" nodad dev gre1
	ip -n "$ns" link set gre1 up

	mkdir -p "$dir"
	cat > "$dir/zebra.conf" <<-EOF
	hostname $name-zebra
	log file $dir/zebra.log informational
	EOF
	cat > "$dir/nhrpd.conf" <<-EOF
	hostname $name
	log file $dir/nhrpd.log debugging
	log timestamp precision 3
	debug nhrp all
	$( [ "$name" = fhub ] && echo "nhrp nflog-group 1" )
	!
	interface gre1
	 ip nhrp network-id 1
	 ip nhrp holdtime 60
	 ipv6 nhrp network-id 1
	 ipv6 nhrp holdtime 60
	$ifcfg
	 tunnel source veth0
	!
	EOF
	sed -i 's/^\t//' "$dir/nhrpd.conf"
	chown -R frr:frr "$dir"
	nsx "$ns" "$FRR_BIN/zebra" -d -u frr -g frr -P 0 -f "$dir/zebra.conf" \
		-i "$dir/zebra.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
		</dev/null >"$dir/zebra.out" 2>&1
}

start_nhrpd()
{
	local name=$1 ns=$2 dir=$STATE/$1

	nsx "$ns" "$FRR_BIN/nhrpd" -d -u frr -g frr -P 0 \
		-f "$dir/nhrpd.conf" -i "$dir/nhrpd.pid" -z "$dir/zserv.api" \
		--vty_socket "$dir" </dev/null >"$dir/nhrpd.out" 2>&1
}

# nhrpd knows its own tunnel address: it is up and configured.
nhrpd_ready()
{
	cache_has "$1" "$2" local "$3"
}

test_setup()
{
	mkdir -p "$STATE"
	mount -t tmpfs tmpfs "$STATE" 2>/dev/null
	modprobe ip_gre; modprobe veth; modprobe bridge
	underlay_init "$MAC_B"
	check_err $? "no underlay towards side A"

	frr_node fhub FHUB 2 43 " ip nhrp redirect
 ip nhrp map multicast dynamic"
	check_err $? "FRR hub node"
	frr_node fsp1 FSP1 21 42 " ip nhrp nhs dynamic nbma $UNDERLAY.1
 ipv6 nhrp nhs dynamic nbma $UNDERLAY.1
 ip nhrp shortcut"
	check_err $? "FRR spoke 1 node"
	frr_node fsp2 FSP2 22 43 " ip nhrp nhs dynamic nbma $UNDERLAY.2
 ipv6 nhrp nhs dynamic nbma $UNDERLAY.2
 ip nhrp shortcut"
	check_err $? "FRR spoke 2 node"

	# Spokes reach the tunnel subnet through their hub; nhrpd installs
	# the hub's mapping and, later, /32 shortcut routes.
	ip -n "$FSP1" route add "$OVERLAY.0/24" via "$OVERLAY.1" dev gre1 onlink
	ip -n "$FSP2" route add "$OVERLAY.0/24" via "$OVERLAY.2" dev gre1 onlink
	ip -n "$FHUB" route add "$OVERLAY.0/24" dev gre1
	ip -n "$FSP1" -6 route add "$OVERLAY6::/64" via "$OVERLAY6::1" dev gre1 onlink
	ip -n "$FSP2" -6 route add "$OVERLAY6::/64" via "$OVERLAY6::2" dev gre1 onlink
	ip -n "$FHUB" -6 route add "$OVERLAY6::/64" dev gre1
	nsx "$FHUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
	# Spoke-to-spoke traffic the hub forwards is handed to nhrpd, which
	# answers with a Traffic Indication (redirect).
	run_cmd nsx "$FHUB" iptables -A FORWARD -i gre1 -o gre1 \
		-m limit --limit 10/second --limit-burst 5 \
		-j NFLOG --nflog-group 1
	check_err $? "iptables NFLOG rule on the FRR hub"
	log_test "setup: ip_gre tunnels and zebra in three namespaces, underlay bridged to side A"
}

test_start_nhrpd()
{
	await a-ready 150000
	check_err $? "side A's mgre nodes never came up"
	start_nhrpd fhub "$FHUB"
	start_nhrpd fsp1 "$FSP1"
	start_nhrpd fsp2 "$FSP2"
	busywait 60000 nhrpd_ready fhub "$OVERLAY.2" "$UNDERLAY.2" >/dev/null
	check_err $? "FRR hub's nhrpd not up: $(vty fhub 'show ip nhrp cache' | tr '\n' ' ')"
	busywait 20000 nhrpd_ready fsp1 "$OVERLAY.21" "$UNDERLAY.21" >/dev/null
	check_err $? "FRR spoke 1's nhrpd not up"
	busywait 20000 nhrpd_ready fsp2 "$OVERLAY.22" "$UNDERLAY.22" >/dev/null
	check_err $? "FRR spoke 2's nhrpd not up"
	log_test "zebra and nhrpd running as user frr in each namespace"
}

test_frr_spoke_nhs_up()
{
	busywait 60000 nhs_up fsp1 "$OVERLAY.1" "$UNDERLAY.1" >/dev/null
	check_err $? "FRR spoke 1 shows no NHS up at 192.0.2.1 with protocol 10.0.0.1"
	vty fsp1 "show ip nhrp nhs" | comment
	cache_has fsp1 "$OVERLAY.1" nhs "$UNDERLAY.1"
	check_err $? "FRR spoke 1's cache has no nhs entry 10.0.0.1 -> 192.0.2.1"
	log_test "a: FRR spoke shows its NHS (the mgre hub) up: show ip nhrp nhs, hub address 10.0.0.1 learnt"
}

test_frr_spoke_nhs_up6()
{
	busywait 60000 nhs_up fsp1 "$OVERLAY6::1" "$UNDERLAY.1" >/dev/null
	check_err $? "FRR spoke 1 shows no IPv6 NHS up at 192.0.2.1 with protocol $OVERLAY6::1"
	vty fsp1 "show ipv6 nhrp nhs" | comment
	log_test "a6: FRR spoke registers its IPv6 address with the mgre hub: show ipv6 nhrp nhs up, hub $OVERLAY6::1 learnt"
}

test_mgre_spoke_in_frr_cache6()
{
	busywait 60000 cache_has fhub "$OVERLAY6::12" dynamic "$UNDERLAY.12" >/dev/null
	check_err $? "FRR hub's IPv6 cache does not list $OVERLAY6::12 as dynamic at 192.0.2.12"
	vty fhub "show ipv6 nhrp cache" | comment
	log_test "b6: FRR hub lists the mgre spoke's IPv6 address as dynamic in show ipv6 nhrp cache"
}

test_mgre_spoke_in_frr_cache()
{
	busywait 60000 cache_has fhub "$OVERLAY.12" dynamic "$UNDERLAY.12" >/dev/null
	check_err $? "FRR hub's cache does not list 10.0.0.12 as dynamic at 192.0.2.12"
	vty fhub "show ip nhrp cache" | comment
	log_test "b: FRR hub lists the mgre spoke as dynamic in show ip nhrp cache"
}

test_frr_shortcut()
{
	busywait 30000 nhs_up fsp2 "$OVERLAY.2" "$UNDERLAY.2" >/dev/null
	check_err $? "FRR spoke 2 did not register with the FRR hub"
	mark b-fsp2-registered
	await a-c2-pinged 90000
	check_err $? "side A did not ping through the FRR hub"

	# Answering mgre's Resolution Request cached the mgre spoke.
	busywait 5000 cache_has fsp2 "$OVERLAY.12" dynamic "$UNDERLAY.12" >/dev/null
	check_err $? "FRR spoke 2 has no dynamic cache entry 10.0.0.12 -> 192.0.2.12 after answering mgre"
	vty fsp2 "show ip nhrp cache" | comment
	log_test "c2: FRR spoke caches the mgre spoke from the Resolution Request it answered"

	# Forget it (the /32 route it implies goes too), so that our next
	# packets to the mgre spoke take the hub again: the hub redirects
	# (Traffic Indication) and nhrpd resolves 10.0.0.12 through the hub,
	# which forwards the request to the mgre spoke and its answer back.
	run_cmd vty fsp2 "clear ip nhrp shortcut"
	busywait 5000 bash -c "! ip -n $FSP2 route show proto nhrp | grep -q '^$OVERLAY.12 '"
	check_err $? "clear ip nhrp shortcut left the route to 10.0.0.12"
	run_cmd nsx "$FSP2" ping -c 5 -i 0.3 -W 2 "$OVERLAY.12"
	log_info "first pings (via the hub): status $?"
	busywait 15000 shortcut_has fsp2 "$OVERLAY.12/32" "$OVERLAY.12" >/dev/null
	check_err $? "FRR spoke 2 installed no shortcut 10.0.0.12/32 via 10.0.0.12"
	cache_has fsp2 "$OVERLAY.12" dynamic "$UNDERLAY.12"
	check_err $? "FRR spoke 2's cache has no dynamic 10.0.0.12 -> 192.0.2.12"
	vty fsp2 "show ip nhrp shortcut" | comment
	vty fsp2 "show ip nhrp cache" | comment
	ip -n "$FSP2" route show proto nhrp | comment
	ip -n "$FSP2" route show proto nhrp | grep -q "^$OVERLAY.12 "
	check_err $? "no kernel route 10.0.0.12 proto nhrp"
	run_cmd nsx "$FSP2" ping -c 10 -i 0.2 -W 2 -w 15 "$OVERLAY.12"
	check_err $? "ping 10.0.0.12 over the shortcut lost packets"
	mark b-c2-done
	log_test "c2: FRR spoke, redirected by the FRR hub, resolves the mgre spoke through it (mgre answers), installs a shortcut and pings it"
}

# What nhrpd said about packets from mgre nodes.
test_frr_logs_clean()
{
	local n errs=""

	save_logs
	for n in "${NODES[@]}"; do
		# "From 192.0.2.1: error: bad checksum" and the like.
		errs="$errs$(grep -hE 'From 192\.0\.2\.(1|11|12): error|FWD-FAIL' \
			"$OUT/b-$n-nhrpd.log" 2>/dev/null)"
	done
	if [ -n "$errs" ]; then
		echo "$errs" | head -20 | comment
		check_err 1 "nhrpd logged errors about packets from mgre nodes"
	fi
	log_test "nhrpd logged no error about packets from mgre nodes"
}

test_setup
test_start_nhrpd
mark b-ready
test_frr_spoke_nhs_up
test_mgre_spoke_in_frr_cache
test_frr_spoke_nhs_up6
test_mgre_spoke_in_frr_cache6
test_frr_shortcut
await a-done 30000 || true
test_frr_logs_clean
test_dmesg_clean "kernel log clean (side B)"
tests_done
