#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cut the NHRP packet out of one frame of a pcap (Ethernet or Linux cooked
capture, IPv4, GRE protocol 0x2001), check it and write it to a file.

Usage: pcap_nhrp.py PCAP FRAME OUT [EXPECTED_TYPE]

FRAME counts from 1, like tshark's frame.number.  The NHRP packet is kept
whole (fixed header, mandatory part, extensions) and checked: ar$pktsz
equals its length, its checksum sums to zero, version 1, and its type is
EXPECTED_TYPE when given.  Prints one line: "type T, N bytes".
"""

import struct
import sys


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        raise SystemExit("%s: not a pcap file (pcapng is not read)" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def nhrp_of(linktype, frame):
    if linktype == 1:          # Ethernet
        ethertype, off = struct.unpack("!H", frame[12:14])[0], 14
        while ethertype in (0x8100, 0x88A8):
            ethertype = struct.unpack("!H", frame[off + 2:off + 4])[0]
            off += 4
    elif linktype == 113:      # Linux cooked (SLL)
        ethertype, off = struct.unpack("!H", frame[14:16])[0], 16
    elif linktype == 101:      # raw IP
        ethertype, off = 0x0800, 0
    else:
        raise SystemExit("unsupported link type %d" % linktype)
    if ethertype != 0x0800:
        raise SystemExit("not IPv4")
    ihl = (frame[off] & 0x0F) * 4
    if frame[off + 9] != 47:
        raise SystemExit("not GRE")
    total = struct.unpack("!H", frame[off + 2:off + 4])[0]
    ip = frame[off:off + total]
    gre = ip[ihl:]
    flags, proto = struct.unpack("!HH", gre[:4])
    if proto != 0x2001:
        raise SystemExit("GRE payload 0x%04x is not NHRP" % proto)
    if flags & 0x0007:
        raise SystemExit("GRE version %d" % (flags & 7))
    glen = 4 + 4 * bool(flags & 0x8000) + 4 * bool(flags & 0x2000) + \
        4 * bool(flags & 0x1000)
    return gre[glen:]


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    path, want, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    for n, (linktype, frame) in enumerate(frames(path), 1):
        if n == want:
            break
    else:
        raise SystemExit("%s has no frame %d" % (path, want))
    pkt = nhrp_of(linktype, frame)
    if len(pkt) < 20:
        raise SystemExit("NHRP packet of %d bytes" % len(pkt))
    pktsz = struct.unpack("!H", pkt[10:12])[0]
    if pktsz != len(pkt):
        raise SystemExit("ar$pktsz %d but %d bytes follow GRE" % (pktsz, len(pkt)))
    if checksum(pkt) != 0xFFFF:
        raise SystemExit("NHRP checksum does not verify")
    if pkt[16] != 1:
        raise SystemExit("NHRP version %d" % pkt[16])
    if len(sys.argv) == 5 and pkt[17] != int(sys.argv[4]):
        raise SystemExit("type %d, expected %s" % (pkt[17], sys.argv[4]))
    with open(out, "wb") as f:
        f.write(pkt)
    print("type %d, %d bytes" % (pkt[17], len(pkt)))


if __name__ == "__main__":
    main()
