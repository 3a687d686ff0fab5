#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Write an RTM_NEWLINK for an mgre device to stdout, for "ip -d monitor file".
import struct, sys

def attr(t, payload):
    l = 4 + len(payload)
    return struct.pack('=HH', l, t) + payload + b'\0' * ((4 - l % 4) % 4)

ttl = int(sys.argv[1]) if len(sys.argv) > 1 else 64
tos = int(sys.argv[2]) if len(sys.argv) > 2 else 1
data = (attr(1, bytes([192, 0, 2, 1])) + attr(2, struct.pack('=I', 42)) +
        attr(4, bytes([ttl])) + attr(5, bytes([tos])) +
        attr(6, struct.pack('=H', 60)) + attr(7, struct.pack('=I', 1)) +
        attr(8, struct.pack('=I', 1000)))
if len(sys.argv) > 3 and sys.argv[3] == 'nhrp':
    # network-id 1 nhs 10.0.0.1 nbma 192.0.2.1 nhs dynamic nbma 192.0.2.2
    data += attr(9, struct.pack('=I', 1)) + attr(10,
        attr(1, attr(1, bytes([10, 0, 0, 1])) + attr(2, bytes([192, 0, 2, 1]))) +
        attr(1, attr(2, bytes([192, 0, 2, 2]))))
if len(sys.argv) > 3 and sys.argv[3] == 'hub':
    # max-per-nbma 64 max-holdtime 600 registration-timeout 5
    data += attr(17, struct.pack('=I', 64)) + attr(18, struct.pack('=H', 600))
    data += attr(19, struct.pack('=H', 5))
linkinfo = attr(1, b'mgre\0') + attr(2, data)
attrs = attr(3, b'mgre0\0') + attr(4, struct.pack('=I', 1476)) + attr(18, linkinfo)
ifi = struct.pack('=BxHiII', 0, 0xffff, 42, 0x80, 0)
body = ifi + attrs
hdr = struct.pack('=IHHII', 16 + len(body), 16, 0, 1, 0)
sys.stdout.buffer.write(hdr + body)
