#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU's TCG plugin header (include/qemu/qemu-plugin.h) comes from the
# source package of the qemu-system-x86 that is installed, fetched through
# a temporary deb-src list (the system's apt sources are left untouched),
# and unpacked once outside the repository.  Prints the directory that
# holds qemu-plugin.h.
#
# Usage: selftests/qemu-plugin-fetch.sh [DIR]   (default /var/cache/mgre/qemu)
set -eu

dir=${1:-/var/cache/mgre/qemu}
hdr=$dir/qemu-plugin.h

ver=$(dpkg-query -W -f '${source:Version}' qemu-system-x86)
if [ ! -f "$hdr" ] || [ "$(cat "$dir/version" 2>/dev/null)" != "$ver" ]; then
	echo "qemu-plugin-fetch: fetching qemu $ver's source (temporary deb-src list)" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/lists/partial" "$tmp/src"
	{
		echo "deb-src http://deb.debian.org/debian bookworm main"
		echo "deb-src http://deb.debian.org/debian bookworm-updates main"
		echo "deb-src http://deb.debian.org/debian-security bookworm-security main"
	} > "$tmp/sources.list"
	aopt="-oDir::Etc::SourceList=$tmp/sources.list -oDir::Etc::SourceParts=/dev/null
	      -oDir::State::Lists=$tmp/lists -oDir::Cache::pkgcache=
	      -oDir::Cache::srcpkgcache="
	# shellcheck disable=SC2086
	apt-get $aopt update -q >&2
	# shellcheck disable=SC2086
	(cd "$tmp/src" && apt-get $aopt source --download-only "qemu=$ver" >&2)
	orig=$(ls "$tmp"/src/qemu_*.orig.tar.* | head -n 1)
	# The header's path inside the tarball, whatever its top directory.
	path=$(tar -tf "$orig" | grep -m 1 '/include/qemu/qemu-plugin\.h$')
	tar -C "$tmp" -xf "$orig" "$path"
	mkdir -p "$dir"
	cp "$tmp/$path" "$hdr"
	echo "$ver" > "$dir/version"
fi
echo "$dir"
