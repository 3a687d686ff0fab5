#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random generic netlink messages at the "mgre" family.

  genl_fuzz.py COUNT [SEED]

Finds the family's operations through the controller, then sends COUNT
messages: each picks an operation (now and then a command the family does
not have) and random top-level and nested attributes, with random lengths
and contents, sometimes truncated or oversized, sometimes as a dump.
Every error the family's own handlers return must carry an extack message;
errors the generic netlink core returns before reaching the family (no such
command, a header too short) are counted separately.  Prints one summary
line; exit 0 when every family error was explained.
"""

import random
import socket
import struct
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from nl import (Genl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,  # noqa: E402
                CTRL_ATTR_FAMILY_NAME, NLMSG_ERROR, NLMSG_DONE,
                NLM_F_ACK, NLMSGERR_ATTR_MSG, nla, parse_attrs)

CTRL_ATTR_OPS = 6
CTRL_ATTR_OP_ID = 1
CTRL_ATTR_OP_FLAGS = 2
GENL_CMD_CAP_DO = 0x2
GENL_CMD_CAP_DUMP = 0x4
NLM_F_DUMP = 0x300
NLM_F_REPLACE = 0x100


def family_ops(nl):
    payload = nla(CTRL_ATTR_FAMILY_NAME, b"mgre\0")
    info, answers = nl.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, payload)
    if info["errno"] or not answers:
        raise SystemExit("mgre family not found")
    attrs = parse_attrs(answers[0][4:])
    fid = struct.unpack("=H", attrs[1][:2])[0]      # CTRL_ATTR_FAMILY_ID
    ops = {}
    for op in parse_attrs(attrs[CTRL_ATTR_OPS]).values():
        a = parse_attrs(op)
        ops[struct.unpack("=I", a[CTRL_ATTR_OP_ID])[0]] = \
            struct.unpack("=I", a[CTRL_ATTR_OP_FLAGS])[0]
    return fid, ops


def rand_value(rnd, ifindexes):
    kind = rnd.randrange(9)
    if kind == 0:
        return b""
    if kind == 1:
        return struct.pack("=I", rnd.choice(ifindexes))
    if kind == 2:
        return bytes([rnd.randrange(256)])
    if kind == 3:
        return struct.pack("=H", rnd.randrange(65536))
    if kind == 4:
        return socket.inet_aton("10.%d.%d.%d" % (rnd.randrange(256),
                                                 rnd.randrange(256),
                                                 rnd.randrange(1, 255)))
    if kind == 5:
        return bytes(rnd.randrange(256) for _ in range(16))
    if kind == 6:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(300)))
    if kind == 7:
        return struct.pack("=Q", rnd.randrange(1 << 64))
    return struct.pack("=I", rnd.randrange(1 << 32))


def rand_attrs(rnd, ifindexes, depth=0):
    out = b""
    for _ in range(rnd.randrange(6)):
        atype = rnd.randrange(16)
        if depth < 2 and rnd.random() < 0.3:
            value = rand_attrs(rnd, ifindexes, depth + 1)
            atype |= 0x8000 if rnd.random() < 0.5 else 0    # NLA_F_NESTED
        else:
            value = rand_value(rnd, ifindexes)
        out += nla(atype, value)
    return out


def main():
    count = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    ifindexes = [socket.if_nametoindex(n) for _, n in socket.if_nameindex()]
    ifindexes += [0, 9999]
    nl = Genl()
    fid, ops = family_ops(nl)
    stats = {"sent": 0, "ok": 0, "explained": 0, "core": 0,
             "unexplained": 0}
    unexplained = {}
    for i in range(count):
        bad_cmd = rnd.random() < 0.03
        cmd = rnd.randrange(256) if bad_cmd else rnd.choice(sorted(ops))
        payload = rand_attrs(rnd, ifindexes)
        flags = NLM_F_ACK
        r = rnd.random()
        if r < 0.15:
            flags |= NLM_F_DUMP
        elif r < 0.25:
            flags |= NLM_F_REPLACE
        truncate = rnd.random() < 0.03
        seq = nl.seq
        nl.seq += 1
        genl = struct.pack("=BBH", cmd, 1, 0)
        msg = genl + payload
        if truncate:
            msg = msg[:rnd.randrange(len(msg) + 1)]
        hdr = struct.pack("=IHHII", 16 + len(msg), fid, 1 | flags, seq, 0)
        nl.sock.send(hdr + msg)
        stats["sent"] += 1
        done = False
        while not done:
            for mtype, mflags, mseq, data in nl.recv():
                if mseq != seq:
                    continue
                if mtype == NLMSG_DONE:
                    err = struct.unpack_from("=i", data, 0)[0] if data else 0
                    if err == 0:
                        stats["ok"] += 1
                        done = True
                        break
                    # A failed dump: errno, then the extack attributes.
                    a = parse_attrs(data[4:])
                    info = {"errno": -err}
                    if NLMSGERR_ATTR_MSG in a:
                        info["msg"] = a[NLMSGERR_ATTR_MSG]
                elif mtype == NLMSG_ERROR:
                    info = nl.parse_error(mflags, data)
                else:
                    continue
                done = True
                if info["errno"] == 0:
                    stats["ok"] += 1
                elif info.get("msg"):
                    stats["explained"] += 1
                elif (cmd not in ops or len(msg) < 4 or
                      not ops[cmd] & (GENL_CMD_CAP_DUMP
                                      if (flags & NLM_F_DUMP) == NLM_F_DUMP
                                      else GENL_CMD_CAP_DO)):
                    # Refused by the genl core before the family saw it:
                    # no such command, a short header, do vs dump.
                    stats["core"] += 1
                else:
                    stats["unexplained"] += 1
                    key = (cmd, info["errno"])
                    unexplained[key] = unexplained.get(key, 0) + 1
                break
    # Leave nothing behind for the tests that follow.
    print("sent=%(sent)d ok=%(ok)d explained=%(explained)d core=%(core)d "
          "unexplained=%(unexplained)d" % stats)
    for (cmd, err), n in sorted(unexplained.items()):
        print("# unexplained: cmd %d errno %d x%d" % (cmd, err, n))
    return 0 if stats["unexplained"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
