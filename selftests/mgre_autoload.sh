#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module loads on demand: "ip link add ... type mgre" asks the kernel
# for "rtnl-link-mgre", and the generic netlink controller asks for
# "net-pf-16-proto-16-family-mgre" when mgrectl looks the family up.
#
#   (no topology: one namespace, the module unloaded)
#
# The VM's /lib/modules is read-only, so the module is installed into a
# scratch module tree and the kernel's modprobe helper is pointed at it.

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd depmod modprobe

KO=${MGRE_STAGE:-$LIB_DIR/..}/mgre.ko
ROOT=
OLD_MODPROBE=

autoload_cleanup()
{
	[ -n "$OLD_MODPROBE" ] && echo "$OLD_MODPROBE" > /proc/sys/kernel/modprobe
	ip link del mgre9 2>/dev/null
	[ -n "$ROOT" ] && rm -rf "$ROOT"
	# Leave the module loaded for the tests that follow.
	lsmod | grep -q '^mgre ' || insmod "$KO"
	cleanup
}

setup()
{
	local kver

	kver=$(uname -r)
	ROOT=$(mktemp -d /tmp/mgre-modroot.XXXXXX) || return 1
	mkdir -p "$ROOT/lib/modules/$kver/extra" &&
		cp "$KO" "$ROOT/lib/modules/$kver/extra/" &&
		run_cmd depmod -b "$ROOT" "$kver" || return 1
	cat > "$ROOT/modprobe" <<-EOF
	#!/bin/sh
	exec /sbin/modprobe -d $ROOT "\$@"
	EOF
	chmod +x "$ROOT/modprobe"
	OLD_MODPROBE=$(cat /proc/sys/kernel/modprobe)
	echo "$ROOT/modprobe" > /proc/sys/kernel/modprobe
}

loaded() { lsmod | grep -q '^mgre '; }

unload()
{
	loaded || return 0
	run_cmd rmmod mgre
}

test_rtnl_alias()
{
	unload
	check_err $? "could not unload mgre before the test (a device left over?)"
	! loaded
	check_err $? "mgre still loaded"
	run_cmd ip link add mgre9 type mgre
	check_err $? "ip link add type mgre failed with the module unloaded"
	loaded
	check_err $? "mgre was not loaded on demand by ip link add"
	ip link del mgre9 2>/dev/null
	log_test "ip link add ... type mgre loads the module (rtnl-link-mgre)"
}

test_genl_alias()
{
	unload
	check_err $? "could not unload mgre"
	run_cmd mgrectl show
	check_err $? "mgrectl show failed with the module unloaded"
	loaded
	check_err $? "mgre was not loaded on demand by the genl family lookup"
	log_test "mgrectl loads the module (net-pf-16-proto-16-family-mgre)"
}

trap autoload_cleanup EXIT

setup
check_err $? "could not build a scratch module tree"
log_test "scratch module tree with depmod"
test_rtnl_alias
test_genl_alias

tests_done
