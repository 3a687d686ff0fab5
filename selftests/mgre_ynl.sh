#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own ynl CLI (tools/net/ynl/cli.py of Linux 6.12, unpacked by
# selftests/ynl-fetch.sh, staged by vm-run.sh) drives the mgre family from nothing but
# Documentation/netlink/specs/mgre.yaml: every answer it decodes is
# checked against mgrectl's view or against what was sent.
#
#   hub                                  spoke1
#   mgre0 10.0.0.1/24                    mgre0 10.0.0.11/24
#     network-id 1                         network-id 1, nhs 10.0.0.1
#   veth0 192.0.2.1/24                   veth0 192.0.2.11/24
#     |                                    |
#     +--- p1 ------- br0 (netns SW) ----- p11
#
# The spoke registers with the hub, so nhs-get, the NHRP counters and a
# registered entry have something to show.
#
# Each cli.py run costs about 5 s under TCG (Python's start and the spec's
# parse), so the cases are few: seven runs.  The schema validation is the
# host's (tools/tests/spec-check.sh runs cli.py's schema over the spec).
# mgre-timeout: 240

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd jq timeout

# vm-run.sh stages the spec and ynl beside selftests/.
STAGE_DIR=$(cd "$LIB_DIR/.." && pwd)
YNL_DIR=$STAGE_DIR/ynl
CLI=$YNL_DIR/tools/net/ynl/cli.py
SPEC=$STAGE_DIR/Documentation/netlink/specs/mgre.yaml

if [ ! -r "$CLI" ]; then
	skip_all "no ynl staged in $YNL_DIR (run selftests/ynl-fetch.sh)"
fi
[ -r "$SPEC" ] || skip_all "no spec at $SPEC"
# cli.py needs PyYAML and jsonschema: the first python3 that has both,
# Debian's (setup installs them) before any other, which may start slower.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import yaml, jsonschema' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || skip_all "no python3 with yaml and jsonschema"

# ynl NS ARGS...: cli.py in NS, JSON out, without the schema validation
# (seconds under TCG; the host does it).
ynl()
{
	local ns=$1

	shift
	nsx "$ns" timeout "$MGRE_CMD_TIMEOUT" "$PY" "$CLI" --spec "$SPEC" \
		--no-schema --output-json "$@"
}

# ip4 A.B.C.D: the address as the integer ynl packs big-endian.
ip4()
{
	local a b c d

	IFS=. read -r a b c d <<<"$1"
	echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

# jq_ok JSON FILTER [ARGS...]: FILTER (with jq -e) holds for JSON; print
# the JSON as a diagnostic when it does not.
jq_ok()
{
	local json=$1

	shift
	if ! jq -e "$@" <<<"$json" >/dev/null 2>&1; then
		echo "# jq $* did not hold for:"
		printf '%s\n' "$json" | comment
		return 1
	fi
}

HUB_IF=
S1_IF=

setup()
{
	topo_init || return 1
	topo_node HUB 1 && topo_node S1 11 || return 1
	run_cmd ip -n "$HUB" link add mgre0 type mgre local "$UNDERLAY.1" \
		key 42 network-id 1 holdtime 60 || return 1
	run_cmd ip -n "$S1" link add mgre0 type mgre local "$UNDERLAY.11" \
		key 42 network-id 1 holdtime 60 \
		nhs "$OVERLAY.1" nbma "$UNDERLAY.1" || return 1
	dev_up "$HUB" mgre0 "$OVERLAY.1/24" &&
		dev_up "$S1" mgre0 "$OVERLAY.11/24" || return 1
	HUB_IF=$(ip -n "$HUB" -j link show mgre0 | jq '.[0].ifindex')
	S1_IF=$(ip -n "$S1" -j link show mgre0 | jq '.[0].ifindex')
}

test_setup()
{
	setup
	check_err $? "building the topology failed"
	log_test "a hub and a spoke registering with it"
}

nhs_up() { nsx "$S1" mgrectl -j nhs | jq -e '.[0].state == "up"'; }

test_nhs_get()
{
	local out

	busywait $((20000 * TIME_SCALE)) nhs_up >/dev/null
	check_err $? "the spoke's NHS is not up"
	out=$(ynl "$S1" --dump nhs-get --json "{\"ifindex\": $S1_IF}")
	check_err $? "ynl --dump nhs-get failed"
	jq_ok "$out" --arg p "$OVERLAY.1" --arg n "$UNDERLAY.1" \
		'length == 1 and .[0].ifname == "mgre0" and
		 .[0].nhs.proto4 == $p and .[0].nhs.nbma4 == $n and
		 .[0].nhs.registrations >= 1 and (.[0].nhs | has("dynamic") | not)'
	check_err $? "nhs-get does not show NHS $OVERLAY.1 at $UNDERLAY.1, up, registered"
	log_test "nhs-get dump decodes the NHS (addresses, state enum, counters)"
}

test_dev_get()
{
	local out

	out=$(ynl "$HUB" --do dev-get --json "{\"ifindex\": $HUB_IF}")
	check_err $? "ynl --do dev-get failed"
	jq_ok "$out" --argjson i "$HUB_IF" \
		'.ifindex == $i and .ifname == "mgre0" and
		 .["entry-count"] >= 1 and .["max-entries"] == 262144 and
		 (.stats | has("tx-no-entry") and has("rx-nhrp")) and
		 .stats["rx-nhrp"] >= 1 and
		 .["nhrp-stats"].rx["registration-request"] >= 1 and
		 .["nhrp-stats"].tx["registration-reply"] >= 1'
	check_err $? "hub's dev-get lacks its counters or the registration's NHRP packets by name"
	log_test "dev-get decodes the counters by name"
}

test_entry_add()
{
	local e out

	e="\"proto-addr4\": $(ip4 "$OVERLAY.12"), \"nbma-addr4\": $(ip4 "$UNDERLAY.12")"
	run_cmd ynl "$HUB" --do entry-add --json \
		"{\"ifindex\": $HUB_IF, \"entry\": {$e, \"flags\": [\"multicast\", \"router\"]}}"
	check_err $? "ynl --do entry-add (IPv4) failed"
	run_cmd ynl "$HUB" --do entry-add --json \
		"{\"ifindex\": $HUB_IF, \"entry\": {\"proto-addr6\": \"20010db8000000000000000000000012\", \"nbma-addr4\": $(ip4 "$UNDERLAY.12"), \"type\": \"negative\", \"holdtime\": 300}}"
	check_err $? "ynl --do entry-add (IPv6, negative) failed"
	out=$(mgre_entry_json "$HUB" "$OVERLAY.12")
	echo "$out" | comment
	jq_ok "$out" --arg n "$UNDERLAY.12" \
		'.nbma == $n and .type == "static" and
		 (.flags | index("multicast") and index("router"))'
	check_err $? "mgrectl does not show $OVERLAY.12 -> $UNDERLAY.12, static, multicast and router"
	out=$(mgre_entry_json "$HUB" 2001:db8::12)
	echo "$out" | comment
	jq_ok "$out" --arg n "$UNDERLAY.12" \
		'.nbma == $n and .type == "negative" and .holdtime == 300'
	check_err $? "mgrectl does not show 2001:db8::12 -> $UNDERLAY.12, negative, holdtime 300"
	log_test "entry-add through ynl, seen by mgrectl -j show"
}

test_entry_dump()
{
	local dump view out

	dump=$(ynl "$HUB" --dump entry-get --json "{\"ifindex\": $HUB_IF}")
	check_err $? "ynl --dump entry-get failed"
	# Both views as sorted "proto nbma type" lines.
	out=$(jq -r '.[].entry | "\(.["proto-addr4"] // .["proto-addr6"]) \(.["nbma-addr4"]) \(.type)"' \
		<<<"$dump" | sort)
	view=$(mgre_entries_json "$HUB" |
		jq -r '.[] | "\(.protocol) \(.nbma) \(.type)"' | sort)
	sed 's/^/ynl:     /' <<<"$out" | comment
	sed 's/^/mgrectl: /' <<<"$view" | comment
	[ -n "$out" ] && [ "$out" = "$view" ]
	check_err $? "ynl's dump and mgrectl -j show disagree"
	grep -qx "$OVERLAY.11 $UNDERLAY.11 registered" <<<"$out" &&
		grep -qx "$OVERLAY.12 $UNDERLAY.12 static" <<<"$out" &&
		grep -qx "2001:db8::12 $UNDERLAY.12 negative" <<<"$out"
	check_err $? "the dump lacks the registration or the entries added"
	log_test "entry-get dump matches mgrectl -j show"
}

test_invalid_add()
{
	local p

	p=$(ip4 "$OVERLAY.20")

	run_cmd_quiet ynl "$HUB" --do entry-add --json \
		"{\"ifindex\": $HUB_IF, \"entry\": {\"proto-addr4\": $p}}"
	check_fail $? "entry-add without an NBMA address succeeded"
	printf '%s\n' "$CMD_OUT" | comment
	grep -q 'Invalid argument' <<<"$CMD_OUT" &&
		grep -qi "missing NBMA address" <<<"$CMD_OUT"
	check_err $? "no EINVAL with the extack 'missing NBMA address'"
	mgre_has_entry "$HUB" "$OVERLAY.20"
	check_fail $? "a refused entry-add left $OVERLAY.20 in the cache"
	log_test "an invalid entry-add fails with the kernel's extack message"
}

test_entry_del()
{
	run_cmd ynl "$HUB" --do entry-del --json \
		"{\"ifindex\": $HUB_IF, \"entry\": {\"proto-addr4\": $(ip4 "$OVERLAY.12")}}"
	check_err $? "ynl --do entry-del failed"
	mgre_has_entry "$HUB" "$OVERLAY.12"
	check_fail $? "$OVERLAY.12 still listed after entry-del"
	mgre_has_entry "$HUB" 2001:db8::12
	check_err $? "entry-del took 2001:db8::12 with it"
	log_test "entry-del through ynl"
}

test_setup
test_nhs_get
test_dev_get
test_entry_add
test_entry_dump
test_invalid_add
test_entry_del

tests_done
