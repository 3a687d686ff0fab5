#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing mgre needs, idempotently, from Debian's
# archive only.  virtme-ng is not in bookworm: its trixie package (arch: all,
# dependencies all in bookworm) is fetched through a temporary source list so
# the system's own apt sources are left untouched.
#
# Usage: selftests/setup.sh [KSERIES]
#   KSERIES: 6.1 (default: bookworm's kernel) or 6.12 (bookworm's
#   backported 6.12); its image is what the VM boots, its headers what the
#   module builds against.
set -eu

need_pkgs="build-essential libmnl-dev pkg-config qemu-system-x86 iproute2
	iputils-ping busybox-static python3 kmod bridge-utils tcpdump jq
	procps udev ethtool iperf3 gnuplot-nox
	frr tshark iptables conntrack cppcheck sparse groff-base bash-completion ifupdown
	dkms debhelper dh-dkms lintian
	linux-source-6.12 python3-yaml python3-jsonschema"

case ${1:-6.1} in
6.1)	kmeta_img=linux-image-amd64
	kmeta_hdr=linux-headers-amd64 ;;
6.12)	kmeta_img=linux-image-6.12-amd64
	kmeta_hdr=linux-headers-6.12-amd64 ;;
*)	echo "setup: unknown kernel series '$1' (6.1 or 6.12)" >&2
	exit 2 ;;
esac

log() { echo "setup: $*" >&2; }

missing=""
for p in $need_pkgs $kmeta_img $kmeta_hdr; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
	log "installing:$missing"
	stamp=/var/lib/apt/periodic/mgre-update-stamp
	if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
		apt-get update -q >&2
		mkdir -p "${stamp%/*}" && touch "$stamp"
	fi
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >&2
fi

if ! command -v vng >/dev/null 2>&1; then
	log "fetching virtme-ng from Debian trixie (temporary source list)"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
	echo "deb http://deb.debian.org/debian trixie main" > "$tmp/sources.list"
	aopt="-oDir::Etc::SourceList=$tmp/sources.list -oDir::Etc::SourceParts=/dev/null
	      -oDir::State::Lists=$tmp/lists -oDir::Cache::Archives=$tmp/archives
	      -oDir::Cache::pkgcache= -oDir::Cache::srcpkgcache="
	# shellcheck disable=SC2086
	apt-get $aopt update -q >&2
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get $aopt download virtme-ng >&2)
	apt-get install -y -q --no-install-recommends "$tmp"/virtme-ng_*.deb >&2
fi
# The kernel's ynl CLI and netlink-spec schemas, out of linux-source-6.12.
"$(dirname "$0")/ynl-fetch.sh" >/dev/null
# QEMU's TCG plugin header, for make bench's instruction counts.
"$(dirname "$0")/qemu-plugin-fetch.sh" >/dev/null
log "ok"
