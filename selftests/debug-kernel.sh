#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build, once, the debug kernel of `make check-debug` from Debian's
# linux-source-6.1 with selftests/debug.config (KASAN, UBSAN, KMEMLEAK,
# PROVE_LOCKING, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_NET), using vng -b.
# The tree is cached outside the repository, in $MGRE_DEBUG_CACHE
# (default /var/cache/mgre), and rebuilt only when the config fragment
# changes.  Prints the tree's path on its last line.
#
# Measured here: about 50 minutes on a busy 2-core machine with
# virtme-ng's debug info and graphics (before they were turned off).

set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MGRE_DEBUG_CACHE:-/var/cache/mgre}
frag=$top/selftests/debug.config
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)

if [ -z "$tarball" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		linux-source-6.1 bc bison flex libelf-dev libssl-dev >&2
	tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
fi
tree=$cache/linux-source-6.1
stamp=$tree/.mgre-debug-config
mkdir -p "$cache"
if [ -f "$stamp" ] && cmp -s "$stamp" "$frag" &&
   [ -f "$tree/arch/x86/boot/bzImage" ]; then
	echo "$tree"
	exit 0
fi
if [ ! -d "$tree" ]; then
	echo "debug-kernel: unpacking $tarball" >&2
	tar -C "$cache" -xf "$tarball"
fi
# virtme-ng's config puts its own settings after the fragment's (debug
# info, graphics), and vng -b writes .config only where there is none.  So
# a fresh tree is configured by vng first, and the fragment is then
# merged on top, where it has the last word; a tree configured before the
# fragment changed gets the same merge (only what changed is rebuilt).
if [ ! -f "$tree/.config" ]; then
	(cd "$tree" && vng --kconfig --config "$frag" >&2)
fi
(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$frag" &&
	make olddefconfig) >&2
echo "debug-kernel: building in $tree (this takes long)" >&2
(cd "$tree" && vng -b --config "$frag" >&2)
cp "$frag" "$stamp"
echo "$tree"
