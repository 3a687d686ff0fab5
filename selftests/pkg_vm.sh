#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-VM half of make check-packaging (selftests/packaging.sh), not part
# of make check: it needs mgre installed by DKMS in this kernel's
# /lib/modules/KVER/updates/dkms, and, on 6.1, a fresh bookworm at
# $MGRE_PKG_ROOT that installed mgre-dkms and mgre-tools.
#
#   (no topology: one namespace)

source "$(dirname "$0")/lib.sh"

require_cmd modprobe modinfo chroot
VERSION=${MGRE_PKG_VERSION:-}
ROOT=${MGRE_PKG_ROOT:-}
KVER=$(uname -r)
[ -n "$VERSION" ] || skip_all "MGRE_PKG_VERSION not set: run make check-packaging"

pkg_cleanup()
{
	ip link del mgre7 2>/dev/null
	# Leave the staged module loaded, as the runner expects.
	rmmod mgre 2>/dev/null
	insmod "$MGRE_STAGE/mgre.ko"
}
trap pkg_cleanup EXIT

test_dkms_modprobe()
{
	local path

	rmmod mgre
	check_err $? "rmmod of the staged module failed"
	if ! run_cmd modprobe mgre; then
		check_err 1 "modprobe mgre failed"
		ls -l "/lib/modules/$KVER/updates/dkms" 2>&1 | comment
	fi
	path=$(modinfo -n mgre 2>/dev/null)
	case $path in
	/lib/modules/$KVER/updates/dkms/mgre.ko*) ;;
	*) check_err 1 "modprobe's mgre is '$path', not DKMS's" ;;
	esac
	[ "$(cat /sys/module/mgre/version 2>/dev/null)" = "$VERSION" ]
	check_err $? "/sys/module/mgre/version is '$(cat /sys/module/mgre/version 2>/dev/null)', not $VERSION"
	run_cmd mgrectl link add mgre7 local 192.0.2.7 key 7 network-id 1
	check_err $? "a device on the DKMS module"
	run_cmd mgrectl add 10.0.0.8 nbma 192.0.2.8 dev mgre7
	check_err $? "an entry on the DKMS module"
	ip link del mgre7
	log_test "modprobe loads the module DKMS built ($path)"
}

test_fresh_system()
{
	local ko j

	if [ -z "$ROOT" ] || [ ! -d "$ROOT/lib/modules/$KVER" ]; then
		log_test_skip "the fresh bookworm's packages" \
			"no fresh system for $KVER"
		return
	fi
	ko=$(ls "$ROOT/lib/modules/$KVER/updates/dkms/mgre.ko"* 2>/dev/null)
	rmmod mgre 2>/dev/null
	modprobe gre
	run_cmd insmod "$ko"
	check_err $? "insmod of the fresh system's $ko failed"
	[ "$(cat /sys/module/mgre/version 2>/dev/null)" = "$VERSION" ]
	check_err $? "the fresh system's module is not version $VERSION"
	# Its own iproute2, plugin (/usr/lib/<multiarch>/ip) and mgrectl.
	run_cmd env -u IP_LIB_DIR chroot "$ROOT" ip link add mgre7 type mgre \
		local 192.0.2.7 key 7 network-id 1 holdtime 600
	check_err $? "the fresh system's ip link add type mgre failed"
	run_cmd env -u IP_LIB_DIR chroot "$ROOT" ip addr add 10.0.0.7/24 dev mgre7
	run_cmd chroot "$ROOT" mgrectl add 10.0.0.9 nbma 192.0.2.9 dev mgre7
	check_err $? "the fresh system's mgrectl add failed"
	j=$(chroot "$ROOT" mgrectl -j show dev mgre7 |
		jq -c '[.[] | select(.type == "static") | .protocol, .nbma]')
	[ "$j" = '["10.0.0.9","192.0.2.9"]' ]
	check_err $? "mgrectl -j show: $j"
	j=$(env -u IP_LIB_DIR chroot "$ROOT" ip -d link show mgre7)
	grep -q 'holdtime 600' <<<"$j"
	check_err $? "ip -d link show without the plugin's holdtime: $j"
	ip link del mgre7
	log_test "the fresh bookworm's module, ip link plugin and mgrectl"
}

test_dkms_modprobe
test_fresh_system
tests_done
