#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's YNL tools (tools/net/ynl: cli.py and its library) and the
# netlink-spec JSON schemas (Documentation/netlink/*.yaml) come from
# Debian's linux-source-6.12 tarball, unpacked once outside the repository,
# as the Makefile does for checkpatch.  Prints the directory, which the VM
# sees too (it shares the host's file system).
#
# Usage: selftests/ynl-fetch.sh [DIR]   (default /var/cache/mgre/ynl)
set -eu

dir=${1:-/var/cache/mgre/ynl}
src=linux-source-6.12

if [ ! -f "$dir/tools/net/ynl/cli.py" ] ||
   [ ! -f "$dir/Documentation/netlink/genetlink-legacy.yaml" ]; then
	tarball=$(ls /usr/src/$src.tar.* 2>/dev/null | head -n 1 || true)
	if [ -z "$tarball" ]; then
		DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $src >&2
		tarball=$(ls /usr/src/$src.tar.* | head -n 1)
	fi
	echo "ynl-fetch: unpacking tools/net/ynl and Documentation/netlink from $tarball" >&2
	mkdir -p "$(dirname "$dir")"
	tmp=$(mktemp -d "$dir.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -C "$tmp" --strip-components=1 -xf "$tarball" \
		$src/tools/net/ynl $src/Documentation/netlink
	chmod -R a+rX "$tmp"
	rm -rf "$dir"
	mv "$tmp" "$dir"
fi
echo "$dir"
