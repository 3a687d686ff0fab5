#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-built generic netlink messages for the mgre selftests.

Only the standard library: sends messages that mgrectl cannot produce (wrong
attribute lengths, unknown attributes, missing nests) and adds many entries
over one socket.

  nl.py family
      print the "mgre" family id and its multicast groups
  nl.py send CMD ATTRS [--flags replace,dump]
      send one request with NLM_F_ACK, print
        errno=N NAME msg="extack message" [offs=N] [miss_type=N]
      exit 0 if the kernel acked with 0 (a dump: ended with 0), 1 otherwise.
      CMD: ENTRY_ADD, ENTRY_DEL, ... (MGRE_CMD_* without prefix) or a number.
  nl.py sendeach
      read requests from stdin, one a line: ID CMD ATTRS [--flags F]
      (ATTRS without spaces), send each over one socket and print
        ID errno=N NAME msg="..." answers=N
      a line for each: many cases for one Python start (most of three
      seconds on the debug kernel).
      ATTRS: JSON list of [TYPE, KIND, VALUE]; TYPE is a name (IFINDEX,
      ENTRY, PROTO_ADDR4, ...: MGRE_A_* for the top level, MGRE_ENTRY_A_*
      inside ENTRY) or a number; KIND is u8, u16, u32, u64, ip4 (be32 from
      dotted quad), ip6, str, hex (raw bytes), ifname (u32 ifindex of the
      named device), nest (VALUE is again a list), flag.
      Example:
        nl.py send ENTRY_ADD '[["IFINDEX","ifname","mgre0"],
            ["ENTRY","nest",[["PROTO_ADDR4","ip4","10.0.0.2"],
                             ["NBMA_ADDR4","ip4","192.0.2.2"]]]]'
  nl.py addmany DEV COUNT [--proto 10.64.0.0] [--nbma 198.51.100.0]
                          [--type N] [--holdtime S] [--window 64]
      add COUNT static entries PROTO+i -> NBMA+(i % 250 + 1) over one
      socket, keeping up to WINDOW requests in flight; print
        added=N failed=N first_error="..."
      exit 0 only if all were added.
  nl.py dumpintr DEV [change]
      dump DEV's entries; with "change", add 10.250.0.1 once the first
      part has arrived; print intr=0|1 (NLM_F_DUMP_INTR seen) entries=N
"""

import errno as errno_mod
import ipaddress
import json
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10

NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_REPLACE = 0x100
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSG_ERROR = 2
NLMSG_DONE = 3

GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6

NLA_F_NESTED = 0x8000

# include/uapi/linux/mgre.h
MGRE_CMDS = ["UNSPEC", "ENTRY_ADD", "ENTRY_DEL", "ENTRY_GET", "ENTRY_FLUSH",
             "DEV_GET", "NETNS_GET", "EVT_ADD", "EVT_CHANGE", "EVT_DEL",
             "EVT_EXPIRE", "NHS_GET", "RESOLVE", "EVT_NHS_UP", "EVT_NHS_DOWN",
             "EVT_SUMMARY"]
MGRE_A = ["UNSPEC", "IFINDEX", "IFNAME", "ENTRY", "TYPE", "ENTRY_COUNT",
          "MAX_ENTRIES", "STATS", "PAD", "NHRP_STATS", "NHS", "REPLACE", "EVENT",
          "EVENT_COUNT"]
MGRE_ENTRY_A = ["UNSPEC", "PROTO_ADDR4", "PROTO_ADDR6", "NBMA_ADDR4", "TYPE",
                "FLAGS", "HOLDTIME", "EXPIRES", "AGE", "UPDATED", "USED",
                "PAD", "PREFIXLEN"]
MGRE_ENTRY_A_HOLDTIME = MGRE_ENTRY_A.index("HOLDTIME")


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def parse_attrs(data):
    attrs = {}
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        attrs.setdefault(atype & 0x3fff, data[off + 4:off + alen])
        off += (alen + 3) & ~3
    return attrs


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((0, 0))
        self.seq = 1

    def send(self, family, cmd, payload, flags=NLM_F_ACK, version=1):
        seq = self.seq
        self.seq += 1
        genl = struct.pack("=BBH", cmd, version, 0)
        msg = genl + payload
        hdr = struct.pack("=IHHII", 16 + len(msg), family,
                          NLM_F_REQUEST | flags, seq, 0)
        self.sock.send(hdr + msg)
        return seq

    def recv(self):
        """Yield (type, flags, seq, payload) of every message received."""
        data = self.sock.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            mlen, mtype, mflags, seq, _pid = struct.unpack_from("=IHHII",
                                                                data, off)
            if mlen < 16:
                break
            yield mtype, mflags, seq, data[off + 16:off + mlen]
            off += (mlen + 3) & ~3

    @staticmethod
    def parse_error(mflags, payload, done=False):
        """An NLMSG_ERROR's, or with done an NLMSG_DONE's, errno and TLVs."""
        if len(payload) < 4:
            return {"errno": 0}
        err = -struct.unpack_from("=i", payload, 0)[0]
        info = {"errno": err}
        if mflags & NLM_F_ACK_TLVS:
            if done:
                # A dump's error follows the errno at once.
                tlv_off = 4
            elif mflags & NLM_F_CAPPED:
                tlv_off = 4 + 16
            else:
                olen = struct.unpack_from("=I", payload, 4)[0]
                tlv_off = 4 + ((olen + 3) & ~3)
            attrs = parse_attrs(payload[tlv_off:])
            if NLMSGERR_ATTR_MSG in attrs:
                info["msg"] = attrs[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode(
                    errors="replace")
            if NLMSGERR_ATTR_OFFS in attrs:
                info["offs"] = struct.unpack("=I",
                                             attrs[NLMSGERR_ATTR_OFFS])[0]
            if NLMSGERR_ATTR_MISS_TYPE in attrs:
                info["miss_type"] = struct.unpack(
                    "=I", attrs[NLMSGERR_ATTR_MISS_TYPE])[0]
        return info

    def request(self, family, cmd, payload, flags=NLM_F_ACK):
        """Send one request; return (error info, [answer payloads])."""
        seq = self.send(family, cmd, payload, flags)
        answers = []
        while True:
            for mtype, mflags, mseq, data in self.recv():
                if mseq != seq:
                    continue
                if mtype == NLMSG_ERROR:
                    return self.parse_error(mflags, data), answers
                if mtype == NLMSG_DONE:
                    return self.parse_error(mflags, data, done=True), answers
                answers.append(data)
                if not mflags & NLM_F_MULTI and not flags & NLM_F_ACK:
                    return {"errno": 0}, answers

    def resolve(self, name):
        payload = nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
        info, answers = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                     payload, flags=NLM_F_ACK)
        if info["errno"] or not answers:
            raise OSError(info["errno"] or errno_mod.ENOENT,
                          "family %s: %s" % (name, info.get(
                              "msg", os.strerror(info["errno"] or 2))))
        attrs = parse_attrs(answers[0][4:])
        fid = struct.unpack("=H", attrs[CTRL_ATTR_FAMILY_ID][:2])[0]
        groups = {}
        if CTRL_ATTR_MCAST_GROUPS in attrs:
            for grp in parse_attrs(attrs[CTRL_ATTR_MCAST_GROUPS]).values():
                g = parse_attrs(grp)
                gname = g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                groups[gname] = struct.unpack(
                    "=I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
        return fid, groups


def attr_type(name, table):
    if isinstance(name, int):
        return name
    if name.isdigit():
        return int(name)
    return table.index(name.upper())


def build(spec, table=MGRE_A):
    out = b""
    for atype, kind, value in spec:
        inner_table = MGRE_ENTRY_A if table is MGRE_A and \
            attr_type(atype, table) == MGRE_A.index("ENTRY") else table
        t = attr_type(atype, table)
        if kind == "u8":
            p = struct.pack("=B", value)
        elif kind == "u16":
            p = struct.pack("=H", value)
        elif kind == "u32":
            p = struct.pack("=I", value)
        elif kind == "u64":
            p = struct.pack("=Q", value)
        elif kind == "ip4":
            p = ipaddress.IPv4Address(value).packed
        elif kind == "ip6":
            p = ipaddress.IPv6Address(value).packed
        elif kind == "str":
            p = value.encode() + b"\0"
        elif kind == "hex":
            p = bytes.fromhex(value)
        elif kind == "ifname":
            p = struct.pack("=I", socket.if_nametoindex(value))
        elif kind == "flag":
            p = b""
        elif kind == "nest":
            p = build(value, inner_table)
            t |= NLA_F_NESTED
        else:
            raise ValueError("unknown attribute kind %r" % kind)
        out += nla(t, p)
    return out


def errname(e):
    if e == 0:
        return "OK"
    if e == errno_mod.EOPNOTSUPP:
        return "EOPNOTSUPP"     # Python names 95 ENOTSUP, the kernel not
    return errno_mod.errorcode.get(e, "?")


def fmt_error(info):
    e = info["errno"]
    s = "errno=%d %s" % (e, errname(e))
    s += ' msg="%s"' % info.get("msg", "")
    if "offs" in info:
        s += " offs=%d" % info["offs"]
    if "miss_type" in info:
        s += " miss_type=%d" % info["miss_type"]
    return s


def parse_flags(words):
    flags = NLM_F_ACK
    for w in words.split(","):
        if w == "replace":
            flags |= NLM_F_REPLACE
        elif w == "dump":
            flags |= NLM_F_DUMP
        elif w == "create":
            flags |= NLM_F_CREATE
        elif w == "excl":
            flags |= NLM_F_EXCL
        elif w:
            raise ValueError("unknown flag %r" % w)
    return flags


def cmd_send(args):
    flags = NLM_F_ACK
    if "--flags" in args:
        i = args.index("--flags")
        flags = parse_flags(args[i + 1])
        del args[i:i + 2]
    cmd = args[0]
    cmd = int(cmd) if cmd.isdigit() else MGRE_CMDS.index(cmd.upper())
    spec = json.loads(args[1]) if len(args) > 1 else []
    nl = Genl()
    fid, _ = nl.resolve("mgre")
    info, answers = nl.request(fid, cmd, build(spec), flags)
    print(fmt_error(info) + " answers=%d" % len(answers))
    return 0 if info["errno"] == 0 else 1


def cmd_sendeach(args):
    nl = Genl()
    fid, _ = nl.resolve("mgre")
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        flags = NLM_F_ACK
        m = re.search(r"\s--flags\s+(\S+)$", line)
        if m:
            flags = parse_flags(m.group(1))
            line = line[:m.start()]
        parts = line.split(None, 2)
        cid, cmd = parts[0], parts[1]
        cmd = int(cmd) if cmd.isdigit() else MGRE_CMDS.index(cmd.upper())
        spec = json.loads(parts[2]) if len(parts) > 2 else []
        try:
            info, answers = nl.request(fid, cmd, build(spec), flags)
            print("%s %s answers=%d" % (cid, fmt_error(info), len(answers)))
        except OSError as e:
            print("%s errno=%d %s msg=\"%s\"" % (
                cid, e.errno or 0, errname(e.errno or 0),
                e.strerror or str(e)))
            nl = Genl()
        sys.stdout.flush()
    return 0


def cmd_addmany(args):
    opts = {"--proto": "10.64.0.0", "--nbma": "198.51.100.0",
            "--type": None, "--holdtime": None, "--window": "64"}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts:
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    dev, count = pos[0], int(pos[1])
    ifindex = socket.if_nametoindex(dev)
    proto = int(ipaddress.IPv4Address(opts["--proto"]))
    nbma = int(ipaddress.IPv4Address(opts["--nbma"]))
    window = int(opts["--window"])

    nl = Genl()
    fid, _ = nl.resolve("mgre")
    # One message built with marker addresses, then copied with each
    # entry's addresses and sequence number patched in, a window of them
    # a send: a million entries (make check-debug-scale) are not a
    # million attribute builds and system calls.
    mark_p, mark_n = "203.0.113.251", "203.0.113.252"
    e = [["PROTO_ADDR4", "ip4", mark_p], ["NBMA_ADDR4", "ip4", mark_n]]
    if opts["--type"] is not None:
        e.append(["TYPE", "u8", int(opts["--type"])])
    if opts["--holdtime"] is not None:
        e.append(["HOLDTIME", "u16", int(opts["--holdtime"])])
    payload = build([["IFINDEX", "u32", ifindex], ["ENTRY", "nest", e]])
    body = struct.pack("=BBH", MGRE_CMDS.index("ENTRY_ADD"), 1, 0) + payload
    tmpl = bytearray(struct.pack("=IHHII", 16 + len(body), fid,
                                 NLM_F_REQUEST | NLM_F_ACK, 0, 0) + body)
    off_p = tmpl.find(socket.inet_aton(mark_p))
    off_n = tmpl.find(socket.inet_aton(mark_n))
    assert off_p > 0 and off_n > 0 and len(tmpl) % 4 == 0
    added = failed = 0
    first_error = None
    sent = 0
    pending = set()
    while added + failed < count:
        batch = []
        while sent < count and len(pending) < window:
            m = bytearray(tmpl)
            seq = nl.seq
            nl.seq += 1
            struct.pack_into("=I", m, 8, seq)
            struct.pack_into("!I", m, off_p, (proto + sent) & 0xffffffff)
            struct.pack_into("!I", m, off_n,
                             (nbma + sent % 250 + 1) & 0xffffffff)
            batch.append(bytes(m))
            pending.add(seq)
            sent += 1
        if batch:
            nl.sock.send(b"".join(batch))
        # Each answer is a datagram: take them until half the window is
        # free, so that the next send is a batch again.
        low = window // 2 if sent < count else 0
        while len(pending) > low:
            for mtype, mflags, seq, data in nl.recv():
                if mtype != NLMSG_ERROR or seq not in pending:
                    continue
                pending.discard(seq)
                info = nl.parse_error(mflags, data)
                if info["errno"] == 0:
                    added += 1
                else:
                    failed += 1
                    if first_error is None:
                        first_error = fmt_error(info)
    print('added=%d failed=%d first_error="%s"' %
          (added, failed, first_error or ""))
    return 0 if failed == 0 else 1


def cmd_dumpintr(args):
    """Dump DEV's entries; with "change", add an entry after the first
    part has arrived.  Prints whether any part carried NLM_F_DUMP_INTR."""
    NLM_F_DUMP = 0x300
    NLM_F_DUMP_INTR = 0x10
    dev = args[0]
    change = len(args) > 1 and args[1] == "change"
    ifindex = socket.if_nametoindex(dev)
    nl = Genl()
    fid, _ = nl.resolve("mgre")
    seq = nl.send(fid, MGRE_CMDS.index("ENTRY_GET"),
                  build([["IFINDEX", "u32", ifindex]]), flags=NLM_F_DUMP)
    entries = parts = 0
    intr = False
    done = False
    while not done:
        got = False
        for mtype, mflags, mseq, _data in nl.recv():
            if mseq != seq:
                continue
            got = True
            if mflags & NLM_F_DUMP_INTR:
                intr = True
            if mtype in (NLMSG_DONE, NLMSG_ERROR):
                done = True
                break
            entries += 1
        if got:
            parts += 1
        if change and parts == 1:
            other = Genl()
            info, _ = other.request(fid, MGRE_CMDS.index("ENTRY_ADD"), build(
                [["IFINDEX", "u32", ifindex],
                 ["ENTRY", "nest", [["PROTO_ADDR4", "ip4", "10.250.0.1"],
                                    ["NBMA_ADDR4", "ip4", "198.51.100.9"]]]]))
            if info["errno"]:
                print("add failed: " + fmt_error(info))
                return 1
            change = False
    print("intr=%d entries=%d parts=%d" % (intr, entries, parts))
    return 0


def cmd_family(_args):
    nl = Genl()
    fid, groups = nl.resolve("mgre")
    print("id=%d groups=%s" % (fid, ",".join(
        "%s:%d" % kv for kv in sorted(groups.items()))))
    return 0


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    cmds = {"send": cmd_send, "sendeach": cmd_sendeach,
            "addmany": cmd_addmany, "family": cmd_family,
            "dumpintr": cmd_dumpintr}
    if argv[1] not in cmds:
        print("nl.py: unknown command %r" % argv[1], file=sys.stderr)
        return 2
    try:
        return cmds[argv[1]](argv[2:])
    except OSError as e:
        print("errno=%d %s msg=\"%s\"" % (
            e.errno or 0, errname(e.errno or 0),
            e.strerror or str(e)))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
