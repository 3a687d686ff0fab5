#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-built and mutated NHRP packets in GRE from a raw socket.

Test tool for mgre selftests, standard library only.  It speaks just
enough NHRP to build a valid Registration Request, then breaks it on
purpose.  Run inside a test network namespace; it sends only to the
address given.

  nhrp_inject.py register --to 192.0.2.1 --key 42 --src-nbma 192.0.2.13 \\
      --src-proto 10.0.0.11 [--auth SECRET] [--wait-reply]
      One Registration Request (unique); with --wait-reply, print the
      CIE code of the Registration Reply that comes back.
  nhrp_inject.py purge --to 192.0.2.1 --key 42 --src-nbma 192.0.2.13 \\
      --src-proto 10.0.0.13 [--auth SECRET]
      A Purge Request (reply wanted) for src-proto; prints "purge-reply"
      when the answer comes.
      --ext-len N adds a non-compulsory extension (type 0x0100) of N
      bytes, which the answer echoes.
  nhrp_inject.py resolve --to 192.0.2.1 --key 42 --src-nbma 192.0.2.13 \
      --src-proto 10.0.0.13 --dst-proto 10.0.0.11 [--ext-len N] [--auth S]
      A Resolution Request; prints "code N" of the Resolution Reply's CIE,
      or "no reply".
      With --flood N: N requests with random IDs, waiting for none;
      prints "sent N".  With --flood N --forge: each from its own forged
      outer source and NBMA address, 198.18.0.1 upwards.
  nhrp_inject.py error --to 192.0.2.11 --key 42 --src-nbma 192.0.2.14 \
      --src-proto 10.0.0.14 [--code 7] [--auth SECRET]
      An Error Indication about a Registration Request of the receiver's
      (request ID 1), with no authentication unless --auth is given.
  nhrp_inject.py answer --to 192.0.2.1 --key 42 --src-nbma 192.0.2.13 \
      --src-proto 10.0.0.1 --dst-proto 10.0.0.11 --count 3000 \
      [--spoof 192.0.2.11] [--repeat-secs S] [--cie-nbma A] [--auth S]
      Negative Resolution Replies (code 12, no binding) for dst-proto, with
      request IDs 1 to COUNT: a claimant answering the hub's question to
      the holder of a unique address ("gone") for it; --spoof sends them
      from the holder's own NBMA address; --repeat-secs goes on sending
      the series for S seconds, so that a question asked meanwhile is
      answered before its holder can.  With --cie-nbma, a positive
      answer instead (code 0), mapping dst-proto to that NBMA address:
      a poisoned reply.
  nhrp_inject.py flood --to 192.0.2.1 --key 42 --src-nbma X --count 2000
      Registrations from COUNT spoofed outer sources 198.18.0.1 upwards,
      each for its own tunnel address 10.128.0.1 upwards.
  nhrp_inject.py barrage --to 192.0.2.1 --key 42 --src-nbma 192.0.2.13 \\
      --count 2000 [--seed 1]
      Valid, truncated, corrupted and random NHRP packets, plus GRE
      packets with broken headers; prints how many it sent.
"""

import argparse
import os
import random
import socket
import struct
import sys
import time

GRE_KEY = 0x2000
NHRP_PROTO = 0x2001


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def seal(ptype, hopcnt, body, extoff):
    """Fixed header before body (mandatory part, CIEs, extensions at
    extoff or none), with the size and the checksum."""
    hdr = struct.pack("!HH5sBHHHBBBB", 1, 0x0800, b"\0" * 5, hopcnt,
                      20 + len(body), 0, extoff, 1, ptype, 4, 0)
    pkt = bytearray(hdr + body)
    struct.pack_into("!H", pkt, 12, checksum(bytes(pkt)))
    return bytes(pkt)


def nhrp_packet(ptype, flags, reqid, src_nbma, src_proto, dst_proto,
                cies=(), exts=b"", hopcnt=1):
    """Fixed header, mandatory part, CIEs, extensions; sizes and sum."""
    mand = struct.pack("!BBHI", 4, 4, flags, reqid)
    mand += socket.inet_aton(src_nbma) + socket.inet_aton(src_proto)
    mand += socket.inet_aton(dst_proto)
    for code, prefix, holdtime in cies:
        mand += struct.pack("!BBHHHBBBB", code, prefix, 0, 0, holdtime,
                            0, 0, 0, 0)
    body = mand
    extoff = 0
    if exts:
        extoff = 20 + len(body)
        body += exts
    return seal(ptype, hopcnt, body, extoff)


def end_ext():
    return struct.pack("!HH", 0x8000, 0)


def auth_ext(secret):
    """Cisco cleartext authentication: SPI 1, then the password."""
    value = struct.pack("!I", 1) + secret.encode()
    return struct.pack("!HH", 0x8007, len(value)) + value


def big_ext(n):
    """A non-compulsory extension nobody knows, of n bytes: echoed back."""
    return struct.pack("!HH", 0x0100, n) + bytes(i & 0xFF for i in range(n))


def request_exts(auth=None, ext_len=0):
    return (struct.pack("!HH", 0x8004, 0) + struct.pack("!HH", 0x8005, 0) +
            struct.pack("!HH", 0x8003, 0) +
            (big_ext(ext_len) if ext_len else b"") +
            (auth_ext(auth) if auth else b"") + end_ext())


def registration(src_nbma, src_proto, dst_proto, reqid, holdtime=60,
                 auth=None, ext_len=0):
    return nhrp_packet(3, 0x8000, reqid, src_nbma, src_proto, dst_proto,
                       cies=[(0, 0xFF, holdtime)],
                       exts=request_exts(auth, ext_len))


def resolution(src_nbma, src_proto, dst_proto, reqid, auth=None,
               ext_len=0, hopcnt=8):
    """Resolution Request, hop count 8 unless told, one empty CIE."""
    return nhrp_packet(1, 0, reqid, src_nbma, src_proto, dst_proto,
                       cies=[(0, 0xFF, 0)], exts=request_exts(auth, ext_len),
                       hopcnt=hopcnt)


def error_indication(src_nbma, src_proto, code, bad, auth=None):
    """Error Indication (type 7): code and offset where the request ID
    is, then the packet in error; authentication only if asked."""
    body = struct.pack("!BBHHH", 4, 4, 0, code, 0)
    body += socket.inet_aton(src_nbma) + socket.inet_aton(src_proto)
    body += socket.inet_aton(src_proto) + bad
    extoff = 0
    if auth:
        extoff = 20 + len(body)
        body += auth_ext(auth) + end_ext()
    return seal(7, 64, body, extoff)


def gre(payload, key, proto=NHRP_PROTO, flags=None):
    if flags is None:
        flags = GRE_KEY if key is not None else 0
    hdr = struct.pack("!HH", flags, proto)
    if flags & GRE_KEY:
        hdr += struct.pack("!I", key or 0)
    return hdr + payload


def mutations(base, rnd):
    """Yield broken variants of a valid packet."""
    n = len(base)
    while True:
        kind = rnd.randrange(10)
        p = bytearray(base)
        if kind == 0:                      # truncated
            yield bytes(p[:rnd.randrange(n)])
        elif kind == 1:                    # one byte flipped, sum kept
            i = rnd.randrange(n)
            p[i] ^= 1 << rnd.randrange(8)
            yield bytes(p)
        elif kind == 2:                    # flipped, checksum fixed
            i = rnd.randrange(20, n) if n > 20 else 0
            p[i] = rnd.randrange(256)
            struct.pack_into("!H", p, 12, 0)
            struct.pack_into("!H", p, 12, checksum(bytes(p)))
            yield bytes(p)
        elif kind == 3:                    # header field torn, sum fixed
            off = rnd.choice([0, 2, 10, 11, 12, 14, 17, 18, 19])
            p[off] = rnd.randrange(256)
            struct.pack_into("!H", p, 12, 0)
            struct.pack_into("!H", p, 12, checksum(bytes(p)))
            yield bytes(p)
        elif kind == 4:                    # extension offset anywhere
            struct.pack_into("!H", p, 14, rnd.randrange(65536))
            struct.pack_into("!H", p, 12, 0)
            struct.pack_into("!H", p, 12, checksum(bytes(p)))
            yield bytes(p)
        elif kind == 5:                    # packet size lies
            struct.pack_into("!H", p, 10, rnd.randrange(65536))
            struct.pack_into("!H", p, 12, 0)
            struct.pack_into("!H", p, 12, checksum(bytes(p)))
            yield bytes(p)
        elif kind == 6:                    # random bytes
            yield bytes(rnd.randrange(256) for _ in range(rnd.randrange(64)))
        elif kind == 7:                    # garbage appended
            yield bytes(p) + bytes(rnd.randrange(256)
                                   for _ in range(rnd.randrange(1, 40)))
        elif kind == 8:                    # unknown compulsory extension
            q = bytearray(base[:-4]) + struct.pack("!HH", 0x8123, 0) + \
                end_ext()
            struct.pack_into("!H", q, 10, len(q))
            struct.pack_into("!H", q, 12, 0)
            struct.pack_into("!H", q, 12, checksum(bytes(q)))
            yield bytes(q)
        else:                              # another packet type, fixed sum
            p[17] = rnd.randrange(12)
            struct.pack_into("!H", p, 12, 0)
            struct.pack_into("!H", p, 12, checksum(bytes(p)))
            yield bytes(p)


def open_sock():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
    s.settimeout(0.2)
    return s


def purge(src_nbma, src_proto, dst_proto, reqid, auth=None):
    """Purge Request for our own address, reply wanted (no N flag)."""
    mand_cie = struct.pack("!BBHHHBBBB", 0, 32, 0, 0, 0, 0, 0, 4, 0) + \
        socket.inet_aton(src_proto)
    exts = (auth_ext(auth) if auth else b"") + end_ext()
    body = struct.pack("!BBHI", 4, 4, 0, reqid)
    body += socket.inet_aton(src_nbma) + socket.inet_aton(src_proto)
    body += socket.inet_aton(dst_proto) + mand_cie
    extoff = 20 + len(body)
    return seal(5, 64, body + exts, extoff)


def wait_reply(s, a, reqid, rtype):
    """The first NHRP packet of type rtype with our request ID, or None."""
    # Slow (debug) kernels answer late: stretch the wait as the tests do.
    scale = int(os.environ.get("MGRE_TIME_SCALE", "1"))
    deadline = time.time() + 3 * scale
    while time.time() < deadline:
        try:
            data, addr = s.recvfrom(4096)
        except socket.timeout:
            continue
        ihl = (data[0] & 0xF) * 4
        g = data[ihl:]
        flags, proto = struct.unpack("!HH", g[:4])
        off = 4 + (4 if flags & 0x8000 else 0) + (4 if flags & GRE_KEY else 0)
        off += 4 if flags & 0x1000 else 0
        if proto != NHRP_PROTO or addr[0] != a.to:
            continue
        n = g[off:]
        if len(n) < 20 + 20 or n[17] != rtype:
            continue
        rid = struct.unpack("!I", n[24:28])[0]
        if rid != reqid:
            continue
        return n
    return None


def print_code(n):
    """The first CIE's code of a reply (after the fixed header, the
    mandatory part and three IPv4 addresses), or "no reply"."""
    if n is None:
        print("no reply")
        return 1
    print("code %d" % n[20 + 8 + 12])
    return 0


def cmd_register(a):
    s = open_sock()
    reqid = random.randrange(1, 1 << 31)
    pkt = registration(a.src_nbma, a.src_proto, a.dst_proto or a.src_proto,
                       reqid, a.holdtime, a.auth, a.ext_len)
    s.sendto(gre(pkt, a.key), (a.to, 0))
    if not a.wait_reply:
        return 0
    return print_code(wait_reply(s, a, reqid, 4))


def cmd_resolve(a):
    s = open_sock()
    if a.flood and a.forge:
        # Each from a source of its own: strangers to the hub.
        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                            socket.IPPROTO_RAW)
        base = struct.unpack("!I", socket.inet_aton("198.18.0.1"))[0]
        for i in range(a.flood):
            nbma = socket.inet_ntoa(struct.pack("!I", base + i))
            g = gre(resolution(nbma, a.src_proto, a.dst_proto,
                               random.randrange(1, 1 << 31), a.auth,
                               a.ext_len), a.key)
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(g), 0, 0,
                             64, 47, 0, socket.inet_aton(nbma),
                             socket.inet_aton(a.to))
            raw.sendto(ip + g, (a.to, 0))
        print("sent %d" % a.flood)
        return 0
    if a.flood:
        # Resolution Requests with random IDs, no waiting: one member
        # asking all it can.
        for _ in range(a.flood):
            pkt = resolution(a.src_nbma, a.src_proto, a.dst_proto,
                             random.randrange(1, 1 << 31), a.auth, a.ext_len,
                             a.hopcnt)
            s.sendto(gre(pkt, a.key), (a.to, 0))
        print("sent %d" % a.flood)
        return 0
    reqid = random.randrange(1, 1 << 31)
    pkt = resolution(a.src_nbma, a.src_proto, a.dst_proto, reqid, a.auth,
                     a.ext_len)
    s.sendto(gre(pkt, a.key), (a.to, 0))
    return print_code(wait_reply(s, a, reqid, 2))


def cmd_error(a):
    s = open_sock()
    bad = registration(a.to, a.dst_proto or "10.0.0.11", a.src_proto, 1)
    pkt = error_indication(a.src_nbma, a.src_proto, a.code, bad, a.auth)
    s.sendto(gre(pkt, a.key), (a.to, 0))
    print("sent 1")
    return 0


def poisoned_reply(a, reqid, exts):
    """Resolution Reply mapping dst-proto to --cie-nbma: one CIE, code 0,
    with its NBMA and protocol addresses; flags D and A (authoritative)."""
    cie = struct.pack("!BBHHHBBBB", 0, 32, 0, 0, 600, 4, 0, 4, 0)
    cie += socket.inet_aton(a.cie_nbma) + socket.inet_aton(a.dst_proto)
    body = struct.pack("!BBHI", 4, 4, 0x6000, reqid)
    body += socket.inet_aton(a.spoof or a.src_nbma)
    body += socket.inet_aton(a.src_proto) + socket.inet_aton(a.dst_proto)
    body += cie
    extoff = 20 + len(body)
    return seal(2, 8, body + exts, extoff)


def cmd_answer(a):
    """Replies to a question the hub asked someone else."""
    src = a.spoof or a.src_nbma
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    dst = socket.inet_aton(a.to)
    exts = (auth_ext(a.auth) if a.auth else b"") + end_ext()
    series = []
    for reqid in range(1, a.count + 1):
        # Resolution Reply: source = the hub (who asked), destination =
        # the contested address; one CIE, code 12 (no binding).
        if a.cie_nbma:
            pkt = poisoned_reply(a, reqid, exts)
        else:
            pkt = nhrp_packet(2, 0, reqid, a.to, a.src_proto, a.dst_proto,
                              cies=[(12, 32, 0)], exts=exts)
        g = gre(pkt, a.key)
        series.append(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(g), 0,
                                  0, 64, 47, 0, socket.inet_aton(src), dst) +
                      g)
    sent = 0
    end = time.time() + a.repeat_secs
    while True:
        for data in series:
            try:
                raw.sendto(data, (a.to, 0))
                sent += 1
            except OSError:
                pass
        if time.time() >= end:
            break
        time.sleep(0.001)
    print("sent %d" % sent)
    return 0


def cmd_purge(a):
    s = open_sock()
    reqid = random.randrange(1, 1 << 31)
    pkt = purge(a.src_nbma, a.src_proto, a.dst_proto or a.src_proto, reqid,
                a.auth)
    s.sendto(gre(pkt, a.key), (a.to, 0))
    n = wait_reply(s, a, reqid, 6)
    print("purge-reply" if n is not None else "no reply")
    return 0 if n is not None else 1


def cmd_flood(a):
    """Registrations from COUNT spoofed NBMA addresses (198.18.0.0/15,
    the benchmarking range), each for its own tunnel address in
    10.128.0.0/9: what a hub sees from a spoofing attacker.  With
    --one-nbma, all from --src-nbma, for tunnel addresses from 10.130.0.1:
    one Internet host registering all it can."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    dst = socket.inet_aton(a.to)
    base_nbma = struct.unpack("!I", socket.inet_aton("198.18.0.1"))[0]
    base_proto = struct.unpack("!I", socket.inet_aton(
        "10.130.0.1" if a.one_nbma else "10.128.0.1"))[0]
    sent = 0
    for i in range(a.count):
        nbma = a.src_nbma if a.one_nbma else \
            socket.inet_ntoa(struct.pack("!I", base_nbma + i))
        proto = socket.inet_ntoa(struct.pack("!I", base_proto + i))
        g = gre(registration(nbma, proto, proto, i + 1, a.holdtime, a.auth),
                a.key)
        # IP_HDRINCL: the kernel fills in the checksum and the ID.
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(g), 0, 0, 64,
                         47, 0, socket.inet_aton(nbma), dst)
        try:
            s.sendto(ip + g, (a.to, 0))
            sent += 1
        except OSError:
            pass
    print("sent %d" % sent)
    return 0


def cmd_barrage(a):
    rnd = random.Random(a.seed)
    s = open_sock()
    base = registration(a.src_nbma, a.src_proto, a.src_proto, 7, 60, a.auth)
    gen = mutations(base, rnd)
    sent = 0
    for i in range(a.count):
        if i % 10 == 9:
            # Broken GRE around a valid NHRP packet: checksum bit without
            # a checksum, routing bit, version 1, no key.
            flags = rnd.choice([0x8000 | GRE_KEY, 0x4000 | GRE_KEY, 0x0001,
                                0])
            data = gre(base, a.key, flags=flags)
        else:
            data = gre(next(gen), a.key)
        try:
            s.sendto(data, (a.to, 0))
            sent += 1
        except OSError:
            pass
    print("sent %d" % sent)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["register", "resolve", "error", "answer",
                                    "purge", "flood", "barrage"])
    ap.add_argument("--to", required=True)
    ap.add_argument("--key", type=int)
    ap.add_argument("--src-nbma", required=True)
    ap.add_argument("--src-proto", default="10.0.0.250")
    ap.add_argument("--dst-proto")
    ap.add_argument("--holdtime", type=int, default=60)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--one-nbma", action="store_true",
                    help="flood: every registration from --src-nbma")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wait-reply", action="store_true")
    ap.add_argument("--hopcnt", type=int, default=8,
                    help="resolve --flood: the requests' hop count")
    ap.add_argument("--flood", type=int, default=0,
                    help="resolve: send this many requests, wait for none")
    ap.add_argument("--auth", help="Cisco cleartext NHRP password")
    ap.add_argument("--spoof", help="outer source address to send from")
    ap.add_argument("--forge", action="store_true",
                    help="resolve --flood: a forged source per request")
    ap.add_argument("--repeat-secs", type=float, default=0)
    ap.add_argument("--cie-nbma", help="answer positively, with this NBMA")
    ap.add_argument("--code", type=int, default=7,
                    help="Error Indication code (7: protocol error)")
    ap.add_argument("--ext-len", type=int, default=0,
                    help="bytes of an unknown non-compulsory extension")
    a = ap.parse_args()
    return {"register": cmd_register, "resolve": cmd_resolve,
            "error": cmd_error, "answer": cmd_answer,
            "purge": cmd_purge,
            "flood": cmd_flood, "barrage": cmd_barrage}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
