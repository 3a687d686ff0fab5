#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Keep Documentation/netlink/specs/mgre.yaml in step with the uapi header.

Renders the C names and values the kernel's YNL generator (ynl-gen-c.py of
Linux 6.12) would produce from the spec -- constants, enums, flags,
attribute sets, commands, the family name and version and the multicast
groups -- and compares them with include/uapi/linux/mgre.h: every name on
one side must be on the other with the same value, enum members in the
same order.  Every attribute set, attribute, definition, enum entry and
operation of the spec must carry a doc string.

Where the hand-written header and YNL's rendering differ by design:
  - a leading FOO_UNSPEC = 0 may be absent from the spec (YNL numbers
    attributes and commands from 1);
  - an enum definition without render-max may end in a __FOO_MAX member
    in the header (its count), with #define FOO_MAX (__FOO_MAX - 1);
  - flags are #defines (1U << n) in the header, and FOO_F_ALL must be the
    mask of all of them;
  - an attribute set whose members the header does not name (the NHRP
    packet type counters) must have its attr-max-name #defined in the
    header to its highest attribute value;
  - IFLA_MGRE_* (rtnetlink, not this family) is out of the spec's scope.

Usage: netlink-spec-check.py [--header H] [--spec S] [--schema SCHEMA]
  --schema  also validate the spec against the kernel's JSON schema
            (Documentation/netlink/genetlink-legacy.yaml; needs jsonschema)
Exit status 0 when they agree, 1 with one line per mismatch otherwise.
"""

import argparse
import ast
import operator
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_OF_SCOPE = re.compile(r'^_*IFLA_|^_UAPI_')


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


# ---- the header ----------------------------------------------------------

_BINOPS = {ast.LShift: operator.lshift, ast.RShift: operator.rshift,
           ast.BitOr: operator.or_, ast.BitAnd: operator.and_,
           ast.Add: operator.add, ast.Sub: operator.sub,
           ast.Mult: operator.mul}


def c_eval(expr, symbols):
    """Value of a C integer constant expression, or a str for "..."."""
    expr = expr.strip()
    m = re.fullmatch(r'"([^"]*)"', expr)
    if m:
        return m.group(1)
    expr = re.sub(r'\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b', r'\1', expr)

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in symbols:
                raise ValueError(f"unknown name {node.id}")
            return symbols[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        raise ValueError(f"cannot evaluate '{expr}'")
    return ev(ast.parse(expr, mode='eval'))


class Header:
    """Enums (in order) and #defines of a uapi header."""

    def __init__(self, path):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
        text = re.sub(r'//[^\n]*', '', text)
        text = text.replace('\\\n', ' ')
        self.symbols = {}      # name -> value
        self.enums = []        # (tag or None, [(name, value)])
        self.defines = {}      # name -> (expression, value)
        pos = 0
        token = re.compile(r'^\s*#define\s+(\w+)[ \t]*([^\n]*)$|'
                           r'\benum\s*(\w*)\s*\{(.*?)\}\s*;', re.M | re.S)
        for m in token.finditer(text, pos):
            if m.group(1):
                name, expr = m.group(1), m.group(2).strip()
                if not expr:
                    continue
                value = c_eval(expr, self.symbols)
                self.defines[name] = (expr, value)
                self.symbols[name] = value
                continue
            members = []
            value = -1
            for item in m.group(4).split(','):
                item = item.strip()
                if not item:
                    continue
                name, _, expr = item.partition('=')
                name = name.strip()
                value = c_eval(expr, self.symbols) if expr else value + 1
                members.append((name, value))
                self.symbols[name] = value
            self.enums.append((m.group(3) or None, members))

    def enum_of(self, name):
        for tag, members in self.enums:
            if name in (n for n, _ in members):
                return tag, members
        return None, None

    def names(self):
        for _, members in self.enums:
            for name, _ in members:
                yield name
        yield from self.defines


# ---- the spec, rendered as ynl-gen-c would ---------------------------------

class Rendered:
    """One C enum the spec renders: its tag, members, count and max names."""

    def __init__(self, what, tag, members, cnt=None, max_name=None):
        self.what = what
        self.tag = tag
        self.members = members
        self.cnt = cnt
        self.max_name = max_name


def render(spec):
    fam = c_lower(spec['name'])
    out = {'enums': [], 'flags': [], 'defines': []}

    out['defines'].append((
        c_upper(spec.get('c-family-name', f"{fam}-family-name")),
        spec['name'], 'family name'))
    out['defines'].append((
        c_upper(spec.get('c-version-name', f"{fam}-family-version")),
        spec.get('version', 1), 'family version'))

    for d in spec.get('definitions', []):
        if d.get('header') or d.get('scope', 'uapi') != 'uapi':
            continue
        if d['type'] == 'const':
            out['defines'].append((c_upper(f"{fam}-{d['name']}"),
                                   d['value'], f"const '{d['name']}'"))
            continue
        if d['type'] not in ('enum', 'flags'):
            continue
        pfx = d.get('name-prefix', f"{fam}-{d['name']}-")
        tag = d.get('enum-name', f"{fam}-{d['name']}")
        tag = c_lower(tag) if tag else None
        members = []
        value = d.get('value-start', 0)
        for e in d['entries']:
            e = e if isinstance(e, dict) else {'name': e}
            value = e.get('value', value)
            v = 1 << value if d['type'] == 'flags' else value
            members.append((c_upper(pfx + e['name']), v))
            value += 1
        if d['type'] == 'flags':
            out['flags'].append((d['name'], c_upper(pfx), members))
            continue
        cnt = max_name = None
        if d.get('render-max'):
            max_name = c_upper(pfx + 'max')
            cnt = '__' + max_name
        out['enums'].append(Rendered(f"enum '{d['name']}'", tag, members,
                                     cnt, max_name))

    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            continue
        if 'name-prefix' in s:
            pfx = s['name-prefix']
        elif s['name'] == spec['name']:
            pfx = f"{fam}-a-"
        else:
            pfx = f"{fam}-a-{s['name']}-"
        tag = c_lower(s['enum-name']) if s.get('enum-name') else None
        members = []
        value = 1
        for a in s['attributes']:
            value = a.get('value', value)
            members.append((c_upper(pfx + a['name']), value))
            value += 1
        out['enums'].append(Rendered(
            f"attribute set '{s['name']}'", tag, members,
            c_upper(s.get('attr-cnt-name', f"__{pfx}max")),
            c_upper(s.get('attr-max-name', f"{pfx}max"))))

    ops = spec['operations']
    pfx = ops.get('name-prefix', f"{fam}-cmd-")
    tag = c_lower(ops['enum-name']) if ops.get('enum-name') else None
    members = []
    value = ops.get('value-start', 1)
    for op in ops['list']:
        value = op.get('value', value)
        members.append((c_upper(pfx + op['name']), value))
        value += 1
    out['enums'].append(Rendered(
        'operations', tag, members,
        c_upper(spec.get('cmd-cnt-name', f"__{pfx}max")),
        c_upper(spec.get('cmd-max-name', f"{pfx}max"))))

    for g in spec.get('mcast-groups', {}).get('list', []):
        out['defines'].append((
            c_upper(g.get('c-define-name', f"{fam}-mcgrp-{g['name']}")),
            g['name'], f"multicast group '{g['name']}'"))
    return out


def missing_docs(spec):
    """Where the spec lacks a doc string."""
    def no_doc(obj):
        return not isinstance(obj, dict) or not str(obj.get('doc', '')).strip()

    if no_doc(spec):
        yield 'the family'
    for d in spec.get('definitions', []):
        if no_doc(d):
            yield f"definition '{d['name']}'"
        for e in d.get('entries', []):
            if no_doc(e):
                name = e['name'] if isinstance(e, dict) else e
                yield f"entry '{name}' of definition '{d['name']}'"
    for s in spec['attribute-sets']:
        if no_doc(s):
            yield f"attribute set '{s['name']}'"
        for a in s['attributes']:
            if no_doc(a):
                yield f"attribute '{a['name']}' of set '{s['name']}'"
    for op in spec['operations']['list']:
        if no_doc(op):
            yield f"operation '{op['name']}'"


# ---- comparison ----------------------------------------------------------

class Checker:
    def __init__(self, hdr, spec, hdr_name, spec_name):
        self.hdr = hdr
        self.spec = spec
        self.hname = hdr_name
        self.sname = spec_name
        self.seen = set()
        self.errors = []

    def err(self, msg):
        self.errors.append(msg)

    def define(self, name, value, what):
        if name not in self.hdr.defines:
            self.err(f"{what}: the spec renders #define {name} {value!r}, "
                     f"{self.hname} has no {name}")
            return
        self.seen.add(name)
        got = self.hdr.defines[name][1]
        if got != value:
            self.err(f"{what}: {name} is {got!r} in {self.hname}, "
                     f"{value!r} in {self.sname}")

    def cnt_max(self, r, hmembers):
        """The header's count member and max #define of enum r."""
        last = hmembers[-1][0] if hmembers else None
        if r.cnt:
            if last != r.cnt:
                self.err(f"{r.what}: the header's enum should end in "
                         f"{r.cnt}, it ends in {last}")
                return hmembers
            cnt_value = hmembers[-1][1]
            hmembers = hmembers[:-1]
            self.seen.add(r.cnt)
            self.define(r.max_name, cnt_value - 1, r.what)
            return hmembers
        if last and last.startswith('__') and last.endswith('_MAX'):
            # a count YNL 6.12 cannot name for enum definitions
            self.seen.add(last)
            for name, (expr, _) in self.hdr.defines.items():
                if re.fullmatch(rf'\(?\s*{last}\s*-\s*1\s*\)?', expr):
                    self.seen.add(name)
            return hmembers[:-1]
        return hmembers

    def enum(self, r):
        tag, hmembers = self.hdr.enum_of(r.members[0][0]) \
            if r.members else (None, None)
        if hmembers is None:
            # names the header leaves out, bounded by a define
            top = r.members[-1][1] if r.members else 0
            if r.max_name in self.hdr.defines and not any(
                    n in self.hdr.symbols for n, _ in r.members):
                self.define(r.max_name, top, r.what)
                return
            self.err(f"{r.what}: the spec renders "
                     f"{', '.join(n for n, _ in r.members[:3])}..., "
                     f"{self.hname} has no such enum")
            return
        if tag != r.tag:
            self.err(f"{r.what}: enum tag is {tag or '(anonymous)'} in "
                     f"{self.hname}, {r.tag or '(anonymous)'} in the spec")
        hmembers = self.cnt_max(r, list(hmembers))
        if (hmembers and hmembers[0][0].endswith('_UNSPEC') and
                hmembers[0][1] == 0 and
                all(v != 0 for _, v in r.members)):
            self.seen.add(hmembers[0][0])
            hmembers = hmembers[1:]
        snames = [n for n, _ in r.members]
        hnames = [n for n, _ in hmembers]
        for name, value in hmembers:
            self.seen.add(name)
            if name not in snames:
                self.err(f"{r.what}: {name} = {value} is in {self.hname}, "
                         f"missing from {self.sname}")
        svals = dict(r.members)
        for name, value in hmembers:
            if name in svals and svals[name] != value:
                self.err(f"{r.what}: {name} is {value} in {self.hname}, "
                         f"{svals[name]} in {self.sname}")
        for name, value in r.members:
            if name not in hnames:
                self.err(f"{r.what}: {name} = {value} is in {self.sname}, "
                         f"missing from {self.hname}")
        common_h = [n for n in hnames if n in svals]
        common_s = [n for n in snames if n in hnames]
        if common_h != common_s:
            for i, (a, b) in enumerate(zip(common_h, common_s)):
                if a != b:
                    self.err(f"{r.what}: order differs at position {i}: "
                             f"{a} in {self.hname}, {b} in {self.sname}")
                    break

    def flags(self, name, pfx, members):
        what = f"flags '{name}'"
        mask = 0
        for cname, value in members:
            self.define(cname, value, what)
            mask |= value
        for hname in self.hdr.defines:
            if not hname.startswith(pfx) or hname in self.seen:
                continue
            if hname == pfx + 'ALL':
                self.define(hname, mask, what)
            else:
                self.seen.add(hname)
                self.err(f"{what}: {hname} is in {self.hname}, missing "
                         f"from {self.sname}")

    def run(self):
        rendered = render(self.spec)
        for r in rendered['enums']:
            self.enum(r)
        for f in rendered['flags']:
            self.flags(*f)
        for name, value, what in rendered['defines']:
            self.define(name, value, what)
        for name in self.hdr.names():
            if name in self.seen or OUT_OF_SCOPE.match(name):
                continue
            self.err(f"{name} is in {self.hname}, nothing in {self.sname} "
                     f"renders it")
        for where in missing_docs(self.spec):
            self.err(f"{self.sname}: {where} has no doc")
        return self.errors


def validate_schema(spec, schema_path):
    import jsonschema  # pylint: disable=import-outside-toplevel

    with open(schema_path, encoding='utf-8') as f:
        schema = yaml.safe_load(f)
    try:
        jsonschema.validate(spec, schema)
    except jsonschema.ValidationError as e:
        path = '/'.join(str(p) for p in e.absolute_path)
        return [f"schema {os.path.basename(schema_path)}: at '{path}': "
                f"{e.message}"]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--header',
                    default=os.path.join(TOP, 'include/uapi/linux/mgre.h'))
    ap.add_argument('--spec', default=os.path.join(
        TOP, 'Documentation/netlink/specs/mgre.yaml'))
    ap.add_argument('--schema')
    args = ap.parse_args()

    try:
        hdr = Header(args.header)
        with open(args.spec, encoding='utf-8') as f:
            spec = yaml.safe_load(f)
        errors = Checker(hdr, spec, os.path.basename(args.header),
                         os.path.basename(args.spec)).run()
        if args.schema:
            errors += validate_schema(spec, args.schema)
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as e:
        errors = [f"cannot check: {type(e).__name__}: {e}"]
    for e in errors:
        print(f"netlink-spec-check: {e}", file=sys.stderr)
    if errors:
        print(f"netlink-spec-check: {len(errors)} mismatch(es) between "
              f"{args.spec} and {args.header}", file=sys.stderr)
        return 1
    print(f"netlink-spec-check: {os.path.basename(args.spec)} and "
          f"{os.path.basename(args.header)} agree")
    return 0


if __name__ == '__main__':
    sys.exit(main())
