#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel side of the "mgre" family's netlink tables, generated from
# Documentation/netlink/specs/mgre.yaml by the kernel's own generator,
# tools/net/ynl/ynl-gen-c.py of linux-source-6.12 (selftests/ynl-fetch.sh
# unpacks it): netlink-gen.c (the policies and the split ops table) and
# include/netlink-gen.h (their declarations and the handlers' prototypes).
#
# The generator finds the schema next to the spec's directory and names
# the spec by its path below the nearest MAINTAINERS file, as in a kernel
# tree, so the spec is run from a copy laid out like one.
#
# Usage: tools/netlink-gen.sh [--check] [--spec SPEC] [--ynl DIR] [--out DIR]
#   --check  write nothing; exit 1 and show the difference when the
#            committed files are not what the generator makes of SPEC
#   SPEC     default Documentation/netlink/specs/mgre.yaml
#   DIR      --ynl: the unpacked ynl (default /var/cache/mgre/ynl);
#            --out: where netlink-gen.c and include/ are (default: the top)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
spec=$top/Documentation/netlink/specs/mgre.yaml
ynl=/var/cache/mgre/ynl
out=$top
check=

while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	--spec) spec=$2; shift ;;
	--ynl) ynl=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "usage: $0 [--check] [--spec SPEC] [--ynl DIR] [--out DIR]" >&2
	   exit 2 ;;
	esac
	shift
done

gen=$ynl/tools/net/ynl/ynl-gen-c.py
schema=$ynl/Documentation/netlink/genetlink-legacy.yaml
if [ ! -r "$gen" ] || [ ! -r "$schema" ]; then
	echo "netlink-gen: no $gen or $schema (run selftests/ynl-fetch.sh)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tree/Documentation/netlink/specs" "$tmp/out/include"
touch "$tmp/tree/MAINTAINERS"
cp "$schema" "$tmp/tree/Documentation/netlink/"
cp "$spec" "$tmp/tree/Documentation/netlink/specs/mgre.yaml"

# The generator names the header it includes after its own output file.
for what in source header; do
	case $what in
	source) file=netlink-gen.c ;;
	header) file=include/netlink-gen.h ;;
	esac
	(cd "$tmp/out" && python3 "$gen" --mode kernel --$what \
		--spec "$tmp/tree/Documentation/netlink/specs/mgre.yaml" \
		-o "$file") >"$tmp/log" 2>&1 || {
		echo "netlink-gen: ynl-gen-c.py --$what failed:" >&2
		cat "$tmp/log" >&2
		exit 1
	}
done

# 6.1 has one struct genl_ops, so one policy, per command: netlink.c
# folds a command's do and dump together there, which needs their
# policies to be the same.
python3 - "$tmp/out/netlink-gen.c" <<-'EOF' || exit 1
	import re, sys
	src = open(sys.argv[1]).read()
	bodies = dict(re.findall(r'nla_policy (\w+)\[.*?\] = \{(.*?)\n\};', src, re.S))
	table = src[src.index('genl_split_ops'):]
	ops = {}
	for op in re.findall(r'\{\n(.*?)\n\t\}', table, re.S):
	    f = dict(re.findall(r'\.(\w+)\s*= (.*?),', op))
	    pol = f.get('policy')
	    ops.setdefault(f['cmd'], []).append(
	        (pol and bodies[pol], f.get('maxattr'), f['flags'].split(' | ')[:-1]))
	bad = [cmd for cmd, v in ops.items() if len(v) > 1 and v[0] != v[1]]
	for cmd in bad:
	    print(f'netlink-gen: {cmd}: do and dump differ in request attributes '
	          'or flags; 6.1 holds one policy per command', file=sys.stderr)
	sys.exit(1 if bad else 0)
EOF

status=0
for file in netlink-gen.c include/netlink-gen.h; do
	if [ -n "$check" ]; then
		if ! diff -u --label "$file (committed)" --label "$file (from the spec)" \
			"$out/$file" "$tmp/out/$file"; then
			echo "netlink-gen: $file does not match the spec (make netlink-gen)" >&2
			status=1
		fi
	elif ! cmp -s "$tmp/out/$file" "$out/$file"; then
		cp "$tmp/out/$file" "$out/$file"
		echo "netlink-gen: wrote $file"
	fi
done
exit $status
