#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proves that tools/netlink-spec-check.py fails when the spec and the uapi
# header drift apart: each case runs it on a copy of one of them with one
# change and expects exit status 1 and a message naming what changed.
# The unchanged pair must pass.  Then the same for the generated netlink
# tables (tools/netlink-gen.sh --check, make netlink-gen-check): they
# match the spec, and stop matching when the spec changes.  TAP on stdout.
#
# Usage: tools/tests/spec-check.sh [SCHEMA]
#   SCHEMA: genetlink-legacy.yaml of the kernel's Documentation/netlink,
#   for the cases that need it (default: that of selftests/ynl-fetch.sh;
#   skipped if absent).

top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tools/netlink-spec-check.py
hdr=$top/include/uapi/linux/mgre.h
spec=$top/Documentation/netlink/specs/mgre.yaml
schema=${1:-/var/cache/mgre/ynl/Documentation/netlink/genetlink-legacy.yaml}
n=0
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# expect RC PATTERN DESCRIPTION HEADER SPEC [ARGS...]
expect()
{
	local rc=$1 pat=$2 what=$3 h=$4 s=$5 out got

	shift 5
	out=$(python3 "$check" --header "$h" --spec "$s" "$@" 2>&1)
	got=$?
	if [ "$got" -eq "$rc" ] && grep -qE -- "$pat" <<<"$out"; then
		ok "$what"
	else
		fail "$what (exit $got, wanted $rc and /$pat/)"
		sed 's/^/#   /' <<<"$out"
	fi
}

# hdr_edit NAME SED-SCRIPT: a copy of the header changed by SED-SCRIPT,
# which must change something.
hdr_edit()
{
	sed -e "$2" "$hdr" > "$tmp/$1.h"
	cmp -s "$hdr" "$tmp/$1.h" && echo "# $1: the edit changed nothing" >&2
	echo "$tmp/$1.h"
}

# spec_edit PYTHON NAME: a copy of the spec (NAME.yaml), loaded as s,
# changed by PYTHON.
spec_edit()
{
	python3 - "$spec" "$tmp/$2.yaml" "$1" <<-'EOF'
		import sys, yaml
		s = yaml.safe_load(open(sys.argv[1]))
		def attrs(name):
		    return next(a for a in s['attribute-sets']
		                if a['name'] == name)['attributes']
		def attr(sname, aname):
		    return next(a for a in attrs(sname) if a['name'] == aname)
		def defn(name):
		    return next(d for d in s['definitions'] if d['name'] == name)
		exec(sys.argv[3])
		yaml.safe_dump(s, open(sys.argv[2], 'w'), sort_keys=False)
	EOF
	echo "$tmp/$2.yaml"
}

expect 0 'agree' "the spec and the header agree" "$hdr" "$spec"

expect 1 'MGRE_ENTRY_A_BOGUS = 13 is in mgre-extra-attr.h, missing from mgre.yaml' \
	"an attribute appended to the header" \
	"$(hdr_edit mgre-extra-attr 's/^\t__MGRE_ENTRY_A_MAX,/\tMGRE_ENTRY_A_BOGUS,\n&/')" \
	"$spec"

expect 1 "attribute 'age' of set 'entry' has no doc" "an attribute without doc" \
	"$hdr" "$(spec_edit "del attr('entry', 'age')['doc']" no-doc)"

expect 1 "entry 'router' of definition 'entry-flags' has no doc" \
	"an enum entry without doc" \
	"$hdr" "$(spec_edit "defn('entry-flags')['entries'][2].pop('doc')" no-doc-entry)"

expect 1 "operation 'resolve' has no doc" "an operation without doc" \
	"$hdr" "$(spec_edit "next(o for o in s['operations']['list'] if o['name'] == 'resolve').pop('doc')" no-doc-op)"

expect 1 'MGRE_NHS_A_RTT = 5 is in mgre.h, missing from' \
	"an attribute renamed in the spec" \
	"$hdr" "$(spec_edit "attr('nhs', 'rtt')['name'] = 'round-trip'" renamed)"

expect 1 'MGRE_STATS_A_TX_LOOP is 3 in mgre.h, 4 in' \
	"an attribute value moved in the spec" \
	"$hdr" "$(spec_edit "a = attrs('stats'); a[2], a[3] = a[3], a[2]" swapped)"

expect 1 'MGRE_CMD_EVT_NHS_UP = 13 is in mgre.h, missing from' \
	"an operation missing from the spec" \
	"$hdr" "$(spec_edit "s['operations']['list'] = [o for o in s['operations']['list'] if o['name'] != 'evt-nhs-up']" no-op)"

expect 1 'MGRE_NHS_REGISTERING is 2 in mgre-order.h, 1 in' \
	"enum members reordered in the header" \
	"$(hdr_edit mgre-order '/^\tMGRE_NHS_REGISTERING,/{h;d};/^\tMGRE_NHS_UP,/{G}')" \
	"$spec"

expect 1 'MGRE_ENTRY_F_STICKY is in mgre-flag.h, missing from' \
	"a flag added to the header" \
	"$(hdr_edit mgre-flag 's/^#define MGRE_ENTRY_F_ALL.*/#define MGRE_ENTRY_F_STICKY (1U << 3)\n&/')" \
	"$spec"

expect 1 "MGRE_MAX_NHS is 8 in mgre-const.h, 4 in" "a limit changed in the header" \
	"$(hdr_edit mgre-const 's/^\(#define MGRE_MAX_NHS\t*\)4/\18/')" "$spec"

expect 1 'MGRE_NHRP_TYPE_MAX is 9 in mgre-type.h, 8 in' \
	"the NHRP type bound changed in the header" \
	"$(hdr_edit mgre-type 's/^\(#define MGRE_NHRP_TYPE_MAX\t*\)8/\19/')" "$spec"

expect 1 "MGRE_MCGRP_EVENTS is 'events' in mgre.h, 'notify' in" \
	"the multicast group renamed in the spec" \
	"$hdr" "$(spec_edit "s['mcast-groups']['list'][0]['name'] = 'notify'" mcgrp)"

expect 1 'MGRE_DEFAULT_FOO is in mgre-define.h, nothing in' \
	"a constant added to the header" \
	"$(hdr_edit mgre-define 's/^#define MGRE_REDIRECT_RATE.*/&\n#define MGRE_DEFAULT_FOO 5/')" \
	"$spec"

# The generated netlink tables (tools/netlink-gen.sh --check): they match
# the spec, and a change to the spec makes them not match.
ynl=$(dirname "$(dirname "$(dirname "$schema")")")
gen=$top/tools/netlink-gen.sh

# expect_gen RC PATTERN DESCRIPTION SPEC: the check of the committed
# tables against what the generator makes of SPEC.
expect_gen()
{
	local rc=$1 pat=$2 what=$3 s=$4 out got

	out=$("$gen" --check --ynl "$ynl" --spec "$s" 2>&1)
	got=$?
	if [ "$got" -eq "$rc" ] && grep -qE -- "$pat" <<<"$out"; then
		ok "$what"
	else
		fail "$what (exit $got, wanted $rc and /$pat/)"
		sed 's/^/#   /' <<<"$out" | head -20
	fi
}

# gen_edit PYTHON NAME: as spec_edit, keeping the SPDX line the
# generator insists on.
gen_edit()
{
	local f

	f=$(spec_edit "$1" "$2")
	sed -i "1i $(head -n 1 "$spec")" "$f"
	echo "$f"
}

if [ -r "$ynl/tools/net/ynl/ynl-gen-c.py" ] && [ -r "$schema" ] &&
   python3 -c 'import jsonschema' 2>/dev/null; then
	expect_gen 0 '^$' "the committed netlink tables match the spec" "$spec"
	expect_gen 0 '^$' "the spec as the cases below rewrite it still matches" \
		"$(gen_edit "pass" gen-same)"
	expect_gen 1 'netlink-gen\.c does not match the spec' \
		"a changed check (prefixlen max 32) does not match" \
		"$(gen_edit "attr('entry', 'prefixlen')['checks']['max'] = 32" gen-max)"
	expect_gen 1 '^\+.*NLA_POLICY_RANGE\(NLA_U8, 1, 32\)' \
		"the difference shows the changed check" \
		"$(gen_edit "attr('entry', 'prefixlen')['checks']['max'] = 32" gen-max2)"
	expect_gen 1 '^-.*\.pre_doit.*= mgre_nl_pre_doit,' \
		"the device hooks dropped from resolve" \
		"$(gen_edit "o = next(o for o in s['operations']['list'] if o['name'] == 'resolve'); o['do'].pop('pre'); o['do'].pop('post')" gen-hook)"
	expect_gen 1 'include/netlink-gen\.h does not match the spec' \
		"entry-flush's hook renamed: the header's prototypes follow" \
		"$(gen_edit "o = next(o for o in s['operations']['list'] if o['name'] == 'entry-flush'); o['do']['pre'] = 'mgre-nl-pre-doit-maybe'" gen-hdr)"
	expect_gen 1 'MGRE_CMD_ENTRY_GET: do and dump differ.*one policy per command' \
		"a do and a dump with different requests (6.1 cannot fold them)" \
		"$(gen_edit "o = next(o for o in s['operations']['list'] if o['name'] == 'entry-get'); o['dump']['request'] = {'attributes': ['ifindex', 'type']}" gen-dual)"
else
	n=$((n + 1))
	echo "ok $n - the committed netlink tables match the spec # SKIP no $ynl/tools/net/ynl (selftests/ynl-fetch.sh) or no jsonschema"
fi

if [ -r "$schema" ] && python3 -c 'import jsonschema' 2>/dev/null; then
	expect 0 'agree' "the spec passes the kernel's JSON schema" \
		"$hdr" "$spec" --schema "$schema"
	expect 1 "schema genetlink-legacy.yaml: at 'attribute-sets/1/attributes/0/type'" \
		"a bad attribute type fails the schema" \
		"$hdr" "$(spec_edit "attrs('entry')[0]['type'] = 'ipv4'" bad-type)" \
		--schema "$schema"
else
	n=$((n + 1))
	echo "ok $n - the spec passes the kernel's JSON schema # SKIP no $schema or no jsonschema (selftests/ynl-fetch.sh)"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
