#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FRR interop test in one VM (frr-run.sh boots it): mgre and ip_gre
# share the kernel, so the mgre world (vm-mgre.sh) and the FRR world
# (vm-frr.sh) run side by side, each in its own namespaces.  Their
# switches are joined by a veth pair whose ends carry the MAC addresses
# each side looks its underlay up by (interop_lib.sh), where two VMs had
# a qemu link.  Each side writes its TAP log to $INTEROP_OUT/vm-a.log or
# vm-b.log, as it did in its own VM; they synchronise through
# $INTEROP_OUT/sync as before.
#
# Usage (in the VM): INTEROP_OUT=DIR MGRE_STAGE=DIR vm-both.sh DEADLINE

SELF=$(cd "$(dirname "$0")" && pwd)
deadline=${1:?deadline in seconds}
INTEROP_ME=both INTEROP_PEER=none
# shellcheck source=interop_lib.sh
source "$SELF/interop_lib.sh"

# Both modules from the start, as a router running both would have them.
modprobe ip_gre
insmod "$MGRE_STAGE/mgre.ko" || echo "# vm-both: insmod mgre.ko failed" >&2
modprobe veth
ip link add ia address "$MAC_A" type veth peer name ib address "$MAC_B" ||
	echo "# vm-both: cannot make the veth pair between the two worlds" >&2

timeout -k 5 "$deadline" bash "$SELF/vm-mgre.sh" > "$OUT/vm-a.log" 2>&1 &
a=$!
timeout -k 5 "$deadline" bash "$SELF/vm-frr.sh" > "$OUT/vm-b.log" 2>&1 &
b=$!
wait "$a" "$b"
sync
