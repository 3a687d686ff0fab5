#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bulk transfers for the mgre offload selftest.

  bulk.py tcp-recv ADDR PORT SECONDS
      Accept one TCP connection on ADDR:PORT (IPv4 or IPv6), read it to
      the end and print "BYTES SHA256".  Creates the file $BULK_READY (if
      set) once it listens; gives up after SECONDS.
  bulk.py tcp-send ADDR PORT BYTES
      Connect to ADDR:PORT, send BYTES of a pseudo-random pattern (a new
      one every run of the same size is the same) and print "BYTES SHA256".
  bulk.py gso-send GROUP PORT IFADDR COUNT SIZE
      Send COUNT datagrams of SIZE bytes to the IPv4 GROUP as one UDP GSO
      super-packet (UDP_SEGMENT), through the interface with IFADDR, TTL 1.
  bulk.py gso-recv GROUP PORT IFADDR SECONDS SIZE
      Join GROUP on the interface with IFADDR, receive until SECONDS have
      passed or $BULK_DONE exists and nothing came for 0.3 s, and print
      "BAD DISTINCT": datagrams that are not an intact segment of SIZE
      bytes, and distinct segments received.  Creates $BULK_READY too.

The receiver checks what arrived against what was sent, so a segment cut
or checksummed wrongly shows as a difference, not as a lower rate.
"""
import hashlib
import os
import socket
import struct
import sys
import time

UDP_SEGMENT = 103  # linux/udp.h
CHUNK = 65536


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def ready():
    if os.environ.get("BULK_READY"):
        open(os.environ["BULK_READY"], "w").close()


def pattern():
    """64 KiB of pseudo-random bytes: compressible by nothing on the way."""
    out = bytearray()
    seed = b"mgre-bulk"
    while len(out) < CHUNK:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:CHUNK])


def tcp_recv(addr, port, seconds):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(seconds)
    ready()
    c, _ = s.accept()
    c.settimeout(seconds)
    h = hashlib.sha256()
    n = 0
    while True:
        data = c.recv(1 << 20)
        if not data:
            break
        h.update(data)
        n += len(data)
    print(n, h.hexdigest())


def tcp_send(addr, port, total):
    s = socket.create_connection((addr, port), timeout=60)
    block = pattern()
    h = hashlib.sha256()
    sent = 0
    i = 0
    while sent < total:
        # Each chunk differs from the last: a rotated pattern.
        r = i % len(block)
        chunk = (block[r:] + block[:r])[:total - sent]
        s.sendall(chunk)
        h.update(chunk)
        sent += len(chunk)
        i += 7919
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()
    print(sent, h.hexdigest())


def segment(index, size):
    head = b"mgre" + struct.pack("!I", index)
    return head + bytes((index + k) & 0xFF for k in range(size - len(head)))


def gso_send(group, port, ifaddr, count, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton(ifaddr))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL,
                 struct.pack("b", 1))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP,
                 struct.pack("b", 0))
    s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, size)
    payload = b"".join(segment(i, size) for i in range(count))
    s.sendto(payload, (group, port))


def gso_recv(group, port, ifaddr, seconds, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    mreq = socket.inet_aton(group) + socket.inet_aton(ifaddr)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    ready()
    done = os.environ.get("BULK_DONE")
    bad = 0
    seen = set()
    end = time.monotonic() + seconds
    last = time.monotonic()
    s.settimeout(0.1)
    while time.monotonic() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            if done and os.path.exists(done) and \
               time.monotonic() - last > 0.3:
                break
            continue
        last = time.monotonic()
        if len(data) < 8 or not data.startswith(b"mgre"):
            bad += 1
            continue
        index = struct.unpack("!I", data[4:8])[0]
        if len(data) != size or data != segment(index, size):
            bad += 1
            continue
        seen.add(index)
    print(bad, len(seen))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    a = argv[2:]
    if cmd == "tcp-recv" and len(a) == 3:
        tcp_recv(a[0], int(a[1]), float(a[2]))
    elif cmd == "tcp-send" and len(a) == 3:
        tcp_send(a[0], int(a[1]), int(a[2]))
    elif cmd == "gso-send" and len(a) == 5:
        gso_send(a[0], int(a[1]), a[2], int(a[3]), int(a[4]))
    elif cmd == "gso-recv" and len(a) == 5:
        gso_recv(a[0], int(a[1]), a[2], float(a[3]), int(a[4]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
