#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input through mgrectl, ip link and hand-built generic netlink
# messages (nl.py): each must fail with the right errno and a message that
# says what is wrong.
#
#   netns NS
#   lo     192.0.2.1/32
#   mgre0  local 192.0.2.1 key 42                 (holds 10.0.0.2)
#   mgre2  local 192.0.2.1 key 2, max-entries 2
#
# The expected messages are matched as extended regular expressions
# (grep -Ei) and kept in one table below, so wording changes in the kernel
# or the tools are adjusted in one place.

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd python3 setpriv

NL="python3 $(dirname "$0")/nl.py"

# ---- expected messages ------------------------------------------------------
declare -A MSG=(
	# mgrectl / ip link (user-space parsing or the kernel's extack)
	[missing_dev]='"dev" is required'
	[unknown_dev]='does not exist'
	[not_mgre]='not an mgre device'
	[duplicate_add]='entry exists'
	[del_missing]='no such entry'
	[holdtime_0]='not a valid holdtime'
	[holdtime_70000]='not a valid holdtime'
	[bad_proto]='not a valid protocol address'
	[bad_nbma]='not a valid NBMA address'
	[type_incomplete]='managed by the kernel'
	[type_local]='managed by the kernel'
	[table_full]='cache is full'
	[ttl_300]='not a valid ttl'
	[unknown_keyword]='unknown keyword'
	[bad_key]='not a valid key'
	[holdtime_static]='only valid for dynamic|static entries never expire'
	[multicast_proto]='must be a unicast|not a valid protocol address'
	[max_entries_0]='not a valid max-entries'
	[dup_local_key]='already uses this local address and key'
	[not_admin]='Operation not permitted'
	# raw generic netlink (kernel extack; policy messages are the core's)
	[raw_no_entry]='missing entry'
	[raw_no_ifindex]='missing device'
	[raw_ifindex_len]='invalid attribute length|attribute failed policy validation'
	[raw_proto_len]='invalid attribute length|attribute failed policy validation'
	[raw_unknown_attr]='unknown attribute type'
	[raw_unknown_nested]='unknown attribute type'
	[raw_unsupported_attr]='unsupported attribute'
	[raw_both_addrs]='not both'
	[raw_no_proto]='missing protocol address'
	[raw_no_nbma]='missing NBMA address'
	[raw_type_range]='out of range'
	[raw_holdtime_0]='out of range'
	[raw_flags]='reserved bit'
	[raw_holdtime_static]='static entries never expire'
	[raw_nbma_mcast]='NBMA address must be a unicast'
	[raw_not_mgre]='not an mgre device'
	[raw_no_dev]='no such device'
	[raw_bad_cmd]=''
	[raw_plen_long]='prefix length is longer than the address'
	[raw_plen_host_bits]='bits set beyond the prefix length'
	[raw_plen_range]='out of range'
	# the entry nest takes per request only what the request uses
	[raw_add_answer_only]='unsupported attribute'
	[raw_del_not_key]='unsupported attribute'
	[raw_dump_not_key]='unsupported attribute'
	# the device, resolved once per request before the handler
	[raw_get_no_entry]='missing entry'
	[raw_devget_no_ifindex]='missing device'
	[raw_resolve_not_mgre]='not an mgre device'
	[raw_flush_no_dev]='no such device'
	[raw_dump_no_dev]='no such device'
)
declare -A ERRNO=(
	[raw_no_entry]=EINVAL
	[raw_no_ifindex]=EINVAL
	[raw_ifindex_len]=EINVAL
	[raw_proto_len]=EINVAL
	[raw_unknown_attr]=EINVAL
	[raw_unknown_nested]=EINVAL
	[raw_unsupported_attr]=EINVAL
	[raw_both_addrs]=EINVAL
	[raw_no_proto]=EINVAL
	[raw_no_nbma]=EINVAL
	[raw_type_range]=ERANGE
	[raw_holdtime_0]=ERANGE
	[raw_flags]=EINVAL
	[raw_holdtime_static]=EINVAL
	[raw_nbma_mcast]=EINVAL
	[raw_not_mgre]=EOPNOTSUPP
	[raw_no_dev]=ENODEV
	[raw_bad_cmd]=EOPNOTSUPP
	[raw_plen_long]=EINVAL
	[raw_plen_host_bits]=EINVAL
	[raw_plen_range]=ERANGE
	[raw_add_answer_only]=EINVAL
	[raw_del_not_key]=EINVAL
	[raw_dump_not_key]=EINVAL
	[raw_get_no_entry]=EINVAL
	[raw_devget_no_ifindex]=EINVAL
	[raw_resolve_not_mgre]=EOPNOTSUPP
	[raw_flush_no_dev]=ENODEV
	[raw_dump_no_dev]=ENODEV
)

# expect_fail CASE DESCRIPTION CMD...: CMD must fail and print MSG[CASE].
expect_fail()
{
	local case=$1 desc=$2

	shift 2
	run_cmd_quiet nsx "$NS" "$@"
	check_fail $? "succeeded"
	printf '%s\n' "$CMD_OUT" | head -3 | comment
	printf '%s\n' "$CMD_OUT" | grep -qEi -- "${MSG[$case]}"
	check_err $? "message does not match /${MSG[$case]}/: $(echo "$CMD_OUT" | head -1)"
	log_test "$desc"
}

# expect_raw CASE DESCRIPTION CMD JSON [--flags F]: the kernel must answer
# with ERRNO[CASE] and an extack message matching MSG[CASE].  Queued: the
# queue goes to the kernel in one nl.py sendeach (one Python start, not
# one a case: most of three seconds each on the debug kernel) by run_raw,
# which checks each answer.
RAW_CASES=()
RAW_LINES=
declare -A RAW_DESC
expect_raw()
{
	local case=$1 desc=$2

	shift 2
	RAW_CASES+=("$case")
	RAW_DESC[$case]=$desc
	RAW_LINES+="$case $*"$'\n'
}

run_raw()
{
	local out id rest case
	local -A res

	out=$(nsx "$NS" $NL sendeach <<< "$RAW_LINES" 2>&1)
	while read -r id rest; do
		[ -n "$id" ] && res[$id]=$rest
	done <<< "$out"
	for case in "${RAW_CASES[@]}"; do
		CMD_OUT=${res[$case]}
		echo "# + nl.py send ${RAW_DESC[$case]}"
		echo "#   $CMD_OUT"
		[ -n "$CMD_OUT" ] && [[ $CMD_OUT != errno=0\ * ]]
		check_err $? "the kernel accepted the message (or nl.py failed: ${out:0:300})"
		[[ $CMD_OUT =~ ^errno=[0-9]+\ ${ERRNO[$case]}\  ]]
		check_err $? "expected ${ERRNO[$case]}, got: $CMD_OUT"
		if [ -n "${MSG[$case]}" ]; then
			shopt -s nocasematch
			[[ $CMD_OUT =~ msg=\".*(${MSG[$case]}) ]]
			check_err $? "extack message does not match /${MSG[$case]}/: $CMD_OUT"
			shopt -u nocasematch
		fi
		log_test "raw: ${RAW_DESC[$case]}"
	done
}

setup()
{
	setup_ns NS || return 1
	ip -n "$NS" addr add 192.0.2.1/32 dev lo
	run_cmd ip -n "$NS" link add mgre0 type mgre local 192.0.2.1 key 42 &&
	run_cmd ip -n "$NS" link add mgre2 type mgre local 192.0.2.1 key 2 \
		max-entries 2 &&
	run_cmd nsx "$NS" mgrectl add 10.0.0.2 nbma 192.0.2.2 dev mgre0
}

setup
check_err $? "building the test devices failed"
log_test "devices mgre0 and mgre2 (max-entries 2)"

# A valid entry, to build the raw messages from.
E_OK='["PROTO_ADDR4","ip4","10.0.0.3"],["NBMA_ADDR4","ip4","192.0.2.3"]'
IFX='["IFINDEX","ifname","mgre0"]'

# ---- mgrectl and ip link ----------------------------------------------------
expect_fail missing_dev "add without dev" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3
expect_fail unknown_dev "add on an unknown device" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev nosuch0
expect_fail not_mgre "add on lo, not an mgre device" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev lo
expect_fail duplicate_add "duplicate add is EEXIST" \
	mgrectl add 10.0.0.2 nbma 192.0.2.9 dev mgre0
expect_fail del_missing "delete of a missing entry" \
	mgrectl del 10.0.0.77 dev mgre0
expect_fail holdtime_0 "holdtime 0" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0 type registered holdtime 0
expect_fail holdtime_70000 "holdtime 70000" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0 type registered holdtime 70000
expect_fail bad_proto "bad protocol address 10.0.0.300" \
	mgrectl add 10.0.0.300 nbma 192.0.2.3 dev mgre0
expect_fail bad_nbma "bad NBMA address 192.0.2" \
	mgrectl add 10.0.0.3 nbma 192.0.2 dev mgre0
expect_fail type_incomplete "type incomplete refused" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0 type incomplete
expect_fail type_local "type local refused" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0 type local
expect_fail holdtime_static "holdtime on a static entry" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0 holdtime 30
expect_fail multicast_proto "multicast protocol address" \
	mgrectl add 224.0.0.5 nbma 192.0.2.3 dev mgre0
expect_fail unknown_keyword "unknown keyword" \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0 bogus

run_cmd nsx "$NS" mgrectl add 10.1.0.1 nbma 192.0.2.3 dev mgre2 &&
	run_cmd nsx "$NS" mgrectl add 10.1.0.2 nbma 192.0.2.3 dev mgre2
check_err $? "the first two entries did not fit a max-entries 2 device"
log_test "max-entries 2 holds two entries"
expect_fail table_full "third entry on a max-entries 2 device is ENOSPC" \
	mgrectl add 10.1.0.3 nbma 192.0.2.3 dev mgre2

expect_fail ttl_300 "ip link add ... ttl 300" \
	ip link add mgre5 type mgre local 192.0.2.1 key 5 ttl 300
expect_fail bad_key "ip link add ... key abc" \
	ip link add mgre5 type mgre local 192.0.2.1 key abc
expect_fail max_entries_0 "ip link add ... max-entries 0" \
	ip link add mgre5 type mgre local 192.0.2.1 key 5 max-entries 0
expect_fail dup_local_key "second device with the same local address and key" \
	ip link add mgre5 type mgre local 192.0.2.1 key 42
ip -n "$NS" link show mgre5 >/dev/null 2>&1
check_fail $? "a refused mgre5 exists anyway"
log_test "no refused device was created"

expect_fail not_admin "mgrectl show without CAP_NET_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	mgrectl show
expect_fail not_admin "mgrectl add without CAP_NET_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	mgrectl add 10.0.0.3 nbma 192.0.2.3 dev mgre0

# ---- raw generic netlink ----------------------------------------------------
run_cmd nsx "$NS" $NL family
check_err $? "nl.py cannot resolve the mgre family"
log_test "raw: family mgre resolves through the controller"

expect_raw raw_no_entry "ENTRY_ADD without MGRE_A_ENTRY" \
	ENTRY_ADD "[$IFX]"
expect_raw raw_no_ifindex "ENTRY_ADD without MGRE_A_IFINDEX" \
	ENTRY_ADD "[[\"ENTRY\",\"nest\",[$E_OK]]]"
expect_raw raw_ifindex_len "MGRE_A_IFINDEX of 2 bytes" \
	ENTRY_ADD "[[\"IFINDEX\",\"u16\",1],[\"ENTRY\",\"nest\",[$E_OK]]]"
expect_raw raw_proto_len "MGRE_ENTRY_A_PROTO_ADDR4 of 2 bytes" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"hex\",\"0a00\"],[\"NBMA_ADDR4\",\"ip4\",\"192.0.2.3\"]]]]"
expect_raw raw_unknown_attr "unknown top-level attribute 100" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK]],[100,\"u32\",1]]"
expect_raw raw_unknown_nested "unknown entry attribute 100" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[100,\"u32\",1]]]]"
expect_raw raw_unsupported_attr "answer-only MGRE_A_ENTRY_COUNT in a request" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK]],[\"ENTRY_COUNT\",\"u32\",1]]"
expect_raw raw_both_addrs "both PROTO_ADDR4 and PROTO_ADDR6" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[\"PROTO_ADDR6\",\"ip6\",\"2001:db8::3\"]]]]"
expect_raw raw_no_proto "entry without protocol address" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[[\"NBMA_ADDR4\",\"ip4\",\"192.0.2.3\"]]]]"
expect_raw raw_no_nbma "entry without NBMA address" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"10.0.0.3\"]]]]"
expect_raw raw_plen_long "IPv4 shortcut /33" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"198.51.100.0\"],[\"PREFIXLEN\",\"u8\",33],[\"NBMA_ADDR4\",\"ip4\",\"192.0.2.3\"]]]]"
expect_raw raw_plen_host_bits "shortcut 198.51.100.129/25" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"198.51.100.129\"],[\"PREFIXLEN\",\"u8\",25],[\"NBMA_ADDR4\",\"ip4\",\"192.0.2.3\"]]]]"
expect_raw raw_plen_range "shortcut prefix length 0" \
	ENTRY_DEL "[$IFX,[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"198.51.100.0\"],[\"PREFIXLEN\",\"u8\",0]]]]"
expect_raw raw_type_range "entry type 99" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[\"TYPE\",\"u8\",99]]]]"
expect_raw raw_holdtime_0 "holdtime 0" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[\"TYPE\",\"u8\",1],[\"HOLDTIME\",\"u16\",0]]]]"
expect_raw raw_flags "undefined flag bit 0x80" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[\"FLAGS\",\"u32\",128]]]]"
expect_raw raw_holdtime_static "holdtime on a static entry" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[\"HOLDTIME\",\"u16\",30]]]]"
expect_raw raw_nbma_mcast "multicast NBMA address" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"10.0.0.3\"],[\"NBMA_ADDR4\",\"ip4\",\"224.0.0.1\"]]]]"
expect_raw raw_not_mgre "ENTRY_ADD on lo" \
	ENTRY_ADD "[[\"IFINDEX\",\"ifname\",\"lo\"],[\"ENTRY\",\"nest\",[$E_OK]]]"
expect_raw raw_no_dev "ENTRY_DEL on ifindex 99999" \
	ENTRY_DEL "[[\"IFINDEX\",\"u32\",99999],[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"10.0.0.2\"]]]]"
expect_raw raw_bad_cmd "unknown command 42" \
	42 "[$IFX]"
expect_raw raw_add_answer_only "answer-only MGRE_ENTRY_A_AGE in ENTRY_ADD's entry" \
	ENTRY_ADD "[$IFX,[\"ENTRY\",\"nest\",[$E_OK,[\"AGE\",\"u64\",5]]]]"
expect_raw raw_del_not_key "ENTRY_DEL with NBMA_ADDR4, not part of the key" \
	ENTRY_DEL "[$IFX,[\"ENTRY\",\"nest\",[$E_OK]]]"
expect_raw raw_dump_not_key "ENTRY_GET dump with NBMA_ADDR4 in its entry nest" \
	ENTRY_GET "[$IFX,[\"ENTRY\",\"nest\",[$E_OK]]]" --flags dump
expect_raw raw_get_no_entry "ENTRY_GET without MGRE_A_ENTRY" \
	ENTRY_GET "[$IFX]"
expect_raw raw_devget_no_ifindex "DEV_GET (do) without MGRE_A_IFINDEX" \
	DEV_GET "[]"
expect_raw raw_resolve_not_mgre "RESOLVE on lo" \
	RESOLVE "[[\"IFINDEX\",\"ifname\",\"lo\"],[\"ENTRY\",\"nest\",[[\"PROTO_ADDR4\",\"ip4\",\"10.0.0.2\"]]]]"
expect_raw raw_flush_no_dev "ENTRY_FLUSH on ifindex 99999" \
	ENTRY_FLUSH "[[\"IFINDEX\",\"u32\",99999]]"
expect_raw raw_dump_no_dev "ENTRY_GET dump on ifindex 99999" \
	ENTRY_GET "[[\"IFINDEX\",\"u32\",99999]]" --flags dump
run_raw

# nothing of the above may have left an entry behind
n=$(mgre_entries_json "$NS" dev mgre0 | jq length)
[ "$n" = 1 ]
check_err $? "mgre0 holds ${n:-?} entries after the refused requests, expected 1"
log_test "refused requests changed nothing"

tests_done
