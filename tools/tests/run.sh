#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of mgrectl and link_mgre.so that need no mgre module:
# argument checking talks to nobody, the generic netlink family is faked by
# fake_mgre.so (LD_PRELOAD), the plugin is fed a canned RTM_NEWLINK through
# "ip -d monitor file".  Run from tools/: make check.

cd "$(dirname "$0")/.." || exit 1
MGRECTL=./mgrectl
FAKE=$PWD/tests/fake_mgre.so
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { echo "ok - $1"; }
fail() { echo "not ok - $1"; fails=$((fails + 1)); }

# expect RC PATTERN DESCRIPTION -- COMMAND...: exit code and combined output
expect() {
	local rc=$1 pat=$2 what=$3 out got
	shift 4
	out=$("$@" 2>&1); got=$?
	if [ "$got" -eq "$rc" ] && grep -qE -- "$pat" <<<"$out"; then
		ok "$what"
	else
		fail "$what (rc $got, output: $out)"
	fi
}

fake() { LD_PRELOAD=$FAKE "$@"; }

expect 1 '^Error: mgre generic netlink family not found \(is the mgre module loaded\?\)$' \
	"show without the family" -- $MGRECTL show
expect 1 'Error: "300" is not a valid ttl \(0-255 or inherit\)' "bad ttl" -- \
	$MGRECTL link add m0 ttl 300
expect 1 'Error: unknown keyword "foo"' "unknown keyword" -- \
	$MGRECTL add 10.0.0.1 nbma 192.0.2.1 dev lo foo
expect 1 'Error: "dev" is required' "missing dev" -- $MGRECTL del 10.0.0.1
expect 1 'Error: device "nosuch0" does not exist' "missing device" -- \
	$MGRECTL show dev nosuch0
expect 1 'Error: "holdtime" is only valid' "static holdtime" -- \
	$MGRECTL add 10.0.0.1 nbma 192.0.2.1 dev lo holdtime 5
expect 0 '^mgrectl add PROTO' "add help" -- $MGRECTL add help
expect 0 '^mgrectl link add NAME' "link help" -- $MGRECTL link help

expect 0 '^mgre2: 0 entries$' "show: empty device" -- fake $MGRECTL show
expect 0 '^10\.0\.0\.3/32         192\.0\.2\.3        static      um     never$' \
	"show: static line" -- fake $MGRECTL show
expect 0 '^2001:db8::4/128     192\.0\.2\.4        registered  r      00:00:57$' \
	"show: IPv6 line" -- fake env FAKE_MGRE_ENTRIES=5 $MGRECTL show
n=$(FAKE_MGRE_ENTRIES=12000 fake $MGRECTL -j show | jq length)
[ "$n" = 12000 ] && ok "show: 12000 entries" || fail "show: 12000 entries ($n)"
expect 0 'Warning: dump was interrupted; output may be inconsistent' \
	"show: interrupted dump" -- fake env FAKE_MGRE_INTR=1 $MGRECTL show
expect 1 '^Error: fake: attribute out of range \(attribute MGRE_ENTRY_A_HOLDTIME\)$' \
	"add: extack" -- fake env FAKE_MGRE_ERR=1 \
	$MGRECTL add 10.0.0.1 nbma 192.0.2.1 dev lo type resolved holdtime 9
j=$(fake $MGRECTL -j show | jq -c '.[2] | [.type, .flags, .expires, .holdtime]')
[ "$j" = '["static",["unique","multicast"],null,null]' ] && ok "show -j" ||
	fail "show -j ($j)"
j=$(fake $MGRECTL -j stats | jq -c '[.devices[0].stats.rx_nhrp, .netns.rx_no_tunnel]')
[ "$j" = '[7,8]' ] && ok "stats -j" || fail "stats -j ($j)"
fake timeout 1 $MGRECTL monitor >"$tmp/mon"
grep -q '^add 10\.0\.0\.7 nbma 192\.0\.2\.7 dev mgre1 type registered flags unique,multicast,router expires 57$' \
	"$tmp/mon" && ok "monitor" || fail "monitor ($(cat "$tmp/mon"))"
FAKE_MGRE_LOG=$tmp/log fake $MGRECTL add 2001:db8::1 nbma 192.0.2.1 dev lo \
	type negative holdtime 9 router replace
grep -q 'cmd 1 flags 0x105' "$tmp/log" &&
grep -q '  attr 2 len 16: 20 01 0d b8' "$tmp/log" &&
grep -q '  attr 6 len 2: 09 00' "$tmp/log" && ok "add: request" ||
	fail "add: request ($(cat "$tmp/log"))"

export IP_LIB_DIR=$PWD
expect 1 'Error: "300" is not a valid ttl' "ip: bad ttl" -- \
	ip link add m0 type mgre ttl 300
expect 1 '^Usage: ip link .* type mgre' "ip: help" -- ip link add m0 type mgre help
python3 tests/mkmsg.py >"$tmp/msg"
expect 0 'mgre local 192\.0\.2\.1 key 42 ttl 64 tos inherit holdtime 60 dev lo max-entries 1000' \
	"ip: print" -- ip -d monitor file "$tmp/msg"

[ $fails -eq 0 ] && echo "all passed" || echo "$fails failed"
[ $fails -eq 0 ]
