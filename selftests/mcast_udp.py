#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP multicast and broadcast for the mgre selftests.

  mcast_udp.py recv ADDR PORT IFADDR SECONDS
      Listen on PORT; when ADDR is a group, join it on the interface whose
      address is IFADDR.  Creates the file $MCAST_READY (if set) once it
      listens; stops SECONDS later, or once the file $MCAST_DONE exists and
      nothing arrived for 0.3 s.  Prints the number of datagrams whose
      payload starts with "mgre".
  mcast_udp.py send ADDR PORT IFADDR COUNT
      Send COUNT datagrams to ADDR:PORT from IFADDR, 20 ms apart: to a
      group through that interface (TTL 1), or as broadcast.
"""
import ipaddress
import os
import socket
import struct
import sys
import time


def recv(addr, port, ifaddr, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    if ipaddress.ip_address(addr).is_multicast:
        mreq = socket.inet_aton(addr) + socket.inet_aton(ifaddr)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    if os.environ.get("MCAST_READY"):
        open(os.environ["MCAST_READY"], "w").close()
    done = os.environ.get("MCAST_DONE")
    n = 0
    end = time.monotonic() + seconds
    last = time.monotonic()
    while time.monotonic() < end:
        s.settimeout(0.1)
        try:
            data = s.recv(2048)
        except socket.timeout:
            if done and os.path.exists(done) and \
               time.monotonic() - last > 0.3:
                break
            continue
        last = time.monotonic()
        if data.startswith(b"mgre"):
            n += 1
    print(n)


def send(addr, port, ifaddr, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if ipaddress.ip_address(addr).is_multicast:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton(ifaddr))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL,
                     struct.pack("b", 1))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP,
                     struct.pack("b", 0))
    else:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind((ifaddr, 0))
    for i in range(count):
        s.sendto(b"mgre %d" % i, (addr, port))
        time.sleep(0.02)


def main(argv):
    if len(argv) != 6 or argv[1] not in ("recv", "send"):
        sys.exit(__doc__)
    addr, port, ifaddr = argv[2], int(argv[3]), argv[4]
    if argv[1] == "recv":
        recv(addr, port, ifaddr, float(argv[5]))
    else:
        send(addr, port, ifaddr, int(argv[5]))


if __name__ == "__main__":
    main(sys.argv)
