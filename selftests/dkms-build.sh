#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf at work, without touching the system's DKMS state: add and
# build mgre for each KVER in private source and DKMS trees, then check
# that each build is mgre.ko of dkms.conf's version for that kernel.
# make check runs it for the kernel it tests; make check-packaging goes
# further (dkms install, Debian packages, a fresh system, modprobe in VMs).
#
# Usage: selftests/dkms-build.sh KVER...

set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
work=$(mktemp -d /tmp/mgre-dkms.XXXXXX)
trap 'rm -rf "$work"' EXIT
opts=(-m mgre -v "$version" --sourcetree "$work/usr/src" --dkmstree "$work/dkms")

[ $# -gt 0 ] || { echo "usage: $0 KVER..." >&2; exit 2; }
make -s -C "$top" dkms-src DESTDIR="$work"
mkdir -p "$work/dkms"
dkms add "${opts[@]}"
for k in "$@"; do
	dkms build "${opts[@]}" -k "$k" > "$work/build.log" 2>&1 ||
		{ cat "$work/build.log" >&2; exit 1; }
	ko=$(ls "$work/dkms/mgre/$version/$k"/*/module/mgre.ko*)
	v=$(modinfo -F version "$ko")
	m=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	if [ "$v" != "$version" ] || [ "$m" != "$k" ]; then
		echo "error: $ko is version '$v' for '$m'" >&2
		exit 1
	fi
	echo "dkms built $ko: version $v for $m"
done
