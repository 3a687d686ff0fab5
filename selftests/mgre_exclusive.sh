#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mgre and ip_gre both claim GRE version 0 from the kernel's GRE
# demultiplexer, which has one slot for it: whichever loads second must
# fail, and say why in the kernel log.
#
#   (no topology: module loading only)

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd modprobe

KO=${MGRE_STAGE:-$LIB_DIR/..}/mgre.ko

restore()
{
	rmmod ip_gre 2>/dev/null
	lsmod | grep -q '^mgre ' || insmod "$KO"
	cleanup
}

if ! modinfo ip_gre >/dev/null 2>&1; then
	skip_all "ip_gre is not available as a module in this kernel"
fi

trap restore EXIT

test_ipgre_second()
{
	dmesg -C
	! run_cmd modprobe ip_gre
	check_err $? "ip_gre loaded while mgre holds GRE version 0"
	dmesg | grep -q "can't add protocol"
	check_err $? "no kernel log line explains the ip_gre failure"
	log_test "loading ip_gre while mgre is loaded fails"
}

test_mgre_second()
{
	run_cmd rmmod mgre &&
		run_cmd modprobe ip_gre
	check_err $? "could not swap mgre for ip_gre"
	dmesg -C
	! run_cmd insmod "$KO"
	check_err $? "mgre loaded while ip_gre holds GRE version 0"
	dmesg | grep -q "mgre: GRE version 0 is claimed by another module"
	check_err $? "mgre's failure has no clear kernel log line"
	dmesg | comment
	run_cmd rmmod ip_gre &&
		run_cmd insmod "$KO"
	check_err $? "mgre did not load again once ip_gre was gone"
	log_test "loading mgre while ip_gre is loaded fails with a clear message"
}

test_ipgre_second
test_mgre_second

tests_done
