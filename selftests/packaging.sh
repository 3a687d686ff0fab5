#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-packaging: DKMS and the Debian packages, end to end.
#
#  1. make deb: mgre-dkms and mgre-tools, lintian without errors.
#  2. DKMS on this host: dkms add, build and install mgre for the 6.1 and
#     the 6.12 kernel (their headers from Debian's archive).
#  3. A fresh bookworm (debootstrap --variant=minbase, cached as a tarball
#     in /var/cache/mgre) installs both packages with apt, from nothing:
#     their dependencies come in and DKMS builds the module there.
#  4. One VM per kernel (selftests/pkg_vm.sh): modprobe loads the module
#     DKMS installed on this host; on 6.1 the fresh system's module, its
#     ip link plugin and its mgrectl make and show a device.
#  5. dkms remove: the host is left as it was.
#
# Needs the network to Debian's archive (as setup.sh does).  3 to 6 min here.
# Prints TAP and a last line "N passed, N failed".

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cache=/var/cache/mgre
base=$cache/bookworm-minbase.tar
k61=$(ls /boot/vmlinuz-6.1.* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
k612=$(ls /boot/vmlinuz-6.12.* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
pass=0
fail=0
n=0
work=$(mktemp -d /tmp/mgre-pkg.XXXXXX)
root=$work/root
mounted=()

ok()
{
	n=$((n + 1))
	pass=$((pass + 1))
	echo "ok $n - $1"
}

not_ok()
{
	n=$((n + 1))
	fail=$((fail + 1))
	echo "not ok $n - $1"
	[ -f "$work/log" ] && tail -n 25 "$work/log" | sed 's/^/#   /'
}

# step DESCRIPTION CMD...: one case, its output kept in $work/log.
step()
{
	local what=$1

	shift
	if "$@" > "$work/log" 2>&1; then
		ok "$what"
	else
		not_ok "$what"
		return 1
	fi
}

cleanup()
{
	local m

	for m in "${mounted[@]}"; do
		umount "$m" 2>/dev/null
	done
	dkms status -m mgre -v "$version" 2>/dev/null | grep -q . &&
		make -s -C "$top" dkms-remove > /dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

finish()
{
	echo "$pass passed, $fail failed"
	[ $fail -eq 0 ] && [ $pass -gt 0 ]
	exit
}

export DEBIAN_FRONTEND=noninteractive
need=""
for p in dkms dh-dkms debhelper lintian debootstrap fakeroot; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		need="$need $p"
done
if [ -n "$need" ]; then
	# shellcheck disable=SC2086
	step "install the packaging tools:$need" \
		apt-get install -y -q --no-install-recommends $need || finish
fi
[ -n "$k61" ] && [ -n "$k612" ] ||
	{ not_ok "kernels 6.1 and 6.12 installed (run selftests/setup.sh 6.12)"; finish; }

# ---- 1. the packages -------------------------------------------------------
step "make deb: mgre-dkms and mgre-tools, lintian without errors" \
	make -C "$top" deb || finish
debs=("$top/build/deb/mgre-dkms_${version}_all.deb"
      "$top/build/deb/mgre-tools_${version}_amd64.deb")
if dpkg-deb -c "${debs[1]}" > "$work/log" 2>&1 &&
   grep -q ' \./usr/sbin/mgrectl$' "$work/log" &&
   grep -q ' \./usr/lib/x86_64-linux-gnu/ip/link_mgre\.so$' "$work/log" &&
   dpkg-deb -c "${debs[0]}" > "$work/log" 2>&1 &&
   grep -q " \./usr/src/mgre-$version/dkms\.conf$" "$work/log" &&
   dpkg-deb -f "${debs[0]}" Depends | grep -q dkms; then
	ok "the packages hold mgrectl, the plugin and the DKMS source"
else
	not_ok "the packages hold mgrectl, the plugin and the DKMS source"
fi

# ---- 2. DKMS on this host --------------------------------------------------
make -s -C "$top" dkms-remove > /dev/null 2>&1
for k in "$k61" "$k612"; do
	step "dkms add/build/install for $k" \
		make -C "$top" dkms-install KVER="$k" || continue
	if dkms status -m mgre -v "$version" -k "$k" | grep -q 'installed$' &&
	   ls /lib/modules/"$k"/updates/dkms/mgre.ko* > /dev/null 2>&1; then
		ok "dkms status: installed in /lib/modules/$k/updates/dkms"
	else
		not_ok "dkms status: installed in /lib/modules/$k/updates/dkms"
	fi
done

# ---- 3. a fresh bookworm ---------------------------------------------------
if [ ! -s "$base" ]; then
	mkdir -p "$cache"
	step "debootstrap a minimal bookworm" \
		debootstrap --variant=minbase bookworm "$work/base" \
			http://deb.debian.org/debian &&
		tar -C "$work/base" -cf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "$work/base"
fi
mkdir -p "$root"
if [ -s "$base" ] && tar -C "$root" -xf "$base"; then
	cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null
	for m in proc sys dev; do
		mount --bind "/$m" "$root/$m" && mounted=("$root/$m" "${mounted[@]}")
	done
	mkdir -p "$root/tmp/debs" && cp "${debs[@]}" "$root/tmp/debs/"
	# The headers of the kernel the VM boots: DKMS builds for them.
	step "apt installs mgre-dkms and mgre-tools on the fresh system" \
		chroot "$root" sh -c "apt-get update -q &&
			apt-get install -y -q --no-install-recommends iproute2 \
				linux-headers-$k61 /tmp/debs/*.deb"
	if ls "$root/lib/modules/$k61/updates/dkms/mgre.ko"* > /dev/null 2>&1 &&
	   [ -x "$root/usr/sbin/mgrectl" ] &&
	   chroot "$root" dkms status | grep -q "mgre/$version, $k61, .*installed"; then
		ok "DKMS built the module on the fresh system"
	else
		not_ok "DKMS built the module on the fresh system"
	fi
	if chroot "$root" mgrectl help 2>&1 | grep -q '^Usage: mgrectl' &&
	   chroot "$root" ip link help mgre 2>&1 | grep -q 'type mgre'; then
		ok "mgrectl and the ip link plugin run on the fresh system"
	else
		not_ok "mgrectl and the ip link plugin run on the fresh system"
	fi
	for m in "${mounted[@]}"; do
		umount "$m"
	done
	mounted=()
else
	not_ok "unpack the minimal bookworm"
fi

# ---- 4. the VMs ------------------------------------------------------------
dkms status 2>&1 | sed 's/^/# dkms status: /'
for k in "$k61" "$k612"; do
	kseries=${k%%.*}.$(echo "$k" | cut -d. -f2)
	make -s -C "$top" module KVER="$k" > "$work/log" 2>&1 ||
		{ not_ok "build mgre.ko for $k (vm-run stages it)"; continue; }
	echo "# ===== VM $k ====="
	MGRE_PKG_ROOT=$root MGRE_PKG_VERSION=$version \
		"$top/selftests/vm-run.sh" --kver "$k" --timeout 600 \
		--tests pkg_vm > "$work/vm.log" 2>&1
	grep -E '^(not )?ok |^#' "$work/vm.log" | grep -v '^# vm-run' | sed 's/^/# /'
	last=$(tail -n 1 "$work/vm.log")
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]] &&
	   [ "${BASH_REMATCH[2]}" = 0 ] && [ "${BASH_REMATCH[1]}" -gt 1 ]; then
		ok "VM $k: $last (series $kseries)"
	else
		not_ok "VM $k: $last"
	fi
done
# Leave mgre.ko built for the default kernel, as make does.
make -s -C "$top" module KVER="$k61" > /dev/null 2>&1

# ---- 5. cleanup ------------------------------------------------------------
step "dkms remove" make -C "$top" dkms-remove
if ls /lib/modules/*/updates/dkms/mgre.ko* > /dev/null 2>&1; then
	not_ok "no mgre.ko left under /lib/modules/*/updates/dkms"
else
	ok "no mgre.ko left under /lib/modules/*/updates/dkms"
fi
finish
