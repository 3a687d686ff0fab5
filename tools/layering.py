#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the layering of the sources against tools/layers.conf.

For each section of the table (its format is described at its top):
  - every object of the Kbuild named by "kbuild" has a row, and every
    row's file exists;
  - no file is longer than "max-lines" (generated files are exempt);
  - a file uses only the functions and global variables that files on a
    strictly lower floor define (uses within a file are free, and so are
    a generated file's: its tables name the handlers of the files that
    register them); circles among the files are named in the summary;
  - with "kernel-doc", every function visible across files has a
    kernel-doc comment right before it that names it (generated files are
    exempt), and the kernel's scripts/kernel-doc -none -Wall has nothing
    to say about it, when that script is at hand;
  - every function visible across files starts with one of its row's
    prefixes.

The parser is a tokenizer, not a compiler: comments, string and char
literals and preprocessor lines are blanked, then the top-level statements
are read at brace depth 0.  A name after ".", "->", "struct", "union" or
"enum" is not a use; a name that a file defines itself (static or not) is
its own.  Locals that shadow another file's global, and uses hidden in
macros of headers, are not seen.

Usage: layering.py [--repo DIR] [--conf FILE] [--kernel-doc PATH|none]
Prints one line per problem, then a summary line; exit status 1 if there
was a problem.
"""

import argparse
import bisect
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_DOC_PLACES = ('/var/cache/mgre/checkpatch/scripts/kernel-doc',
                     '/var/cache/mgre/kernel-doc/scripts/kernel-doc')
# Attribute macros with arguments that may come before a definition's name
# or between its parameters and its body.
ATTR_CALLS = {'__attribute__', '__attribute', '__printf', '__scanf',
              '__aligned', '__section', '__must_hold', '__acquires',
              '__releases', '__cond_acquires', '__alloc_size'}
BLANK_RE = re.compile(r'''/\*.*?\*/ | //[^\n]*
    | "(?:\\.|[^"\\\n])*" | '(?:\\.|[^'\\\n])*'
    | ^[ \t]*\#(?:/\*.*?\*/|\\\n|[^\n])*''', re.S | re.M | re.X)
TOKEN_RE = re.compile(r'[A-Za-z_]\w*|\d[\w.]*|->|[=!<>]=|\S')
IDENT_RE = re.compile(r'[A-Za-z_]\w*$')
DOC_NAME_RE = re.compile(r'(\w+)(?:\(\))?\s+-\s+\S')
NOT_USES = ('.', '->', 'struct', 'union', 'enum')


def blank(text):
    """The text with comments, literals and preprocessor lines as spaces."""
    return BLANK_RE.sub(lambda m: re.sub(r'[^\n]', ' ', m.group()), text)


def drop_attrs(stmt):
    """The statement's tokens without its ATTR_CALLS(...) groups."""
    out, i = [], 0
    while i < len(stmt):
        if stmt[i][0] in ATTR_CALLS and stmt[i + 1:i + 2] and \
                stmt[i + 1][0] == '(':
            depth, i = 0, i + 1
            while i < len(stmt):
                depth += {'(': 1, ')': -1}.get(stmt[i][0], 0)
                i += 1
                if depth == 0:
                    break
        else:
            out.append(stmt[i])
            i += 1
    return out


def top_level(stmt, want):
    """The index of the first token in want outside () and [], or None."""
    depth = 0
    for i, (t, _) in enumerate(stmt):
        if depth == 0 and t in want:
            return i
        depth += {'(': 1, '[': 1, ')': -1, ']': -1}.get(t, 0)
    return None


def var_name(stmt):
    """The name that a variable definition's first declarator declares."""
    end = top_level(stmt, ('=', ',', '['))
    names = [t for t, _ in stmt[:end]
             if IDENT_RE.match(t) and not t.startswith('__')]
    return names[-1] if names else None


class Source:
    """One C file: what it makes visible, what it defines, what it uses."""

    def __init__(self, path, rel, row):
        self.rel = rel
        self.floor, self.prefixes, self.generated = row
        with open(path, encoding='utf-8', errors='replace') as f:
            self.raw = f.read()
        self.nlines = self.raw.count('\n')
        self.nl = [i for i, c in enumerate(self.raw) if c == '\n']
        # name -> (kind, first line, its offset, the line of its body's "{")
        self.exports = {}
        self.own = set()    # every name the file defines, static or not
        self.uses = {}      # name -> the line of its first use
        self.parse(blank(self.raw))

    def line(self, off):
        return bisect.bisect_left(self.nl, off) + 1

    def declare(self, stmt, body):
        """A top-level statement ends at ';', or at a '{' at offset body."""
        words = [t for t, _ in stmt]
        if not stmt or 'typedef' in words or 'extern' in words:
            return None
        start, stmt = stmt[0][1], drop_attrs(stmt)
        eq, paren = top_level(stmt, ('=',)), top_level(stmt, ('(',))
        if paren is not None and (eq is None or paren < eq):
            if body is None or not paren or \
                    not IDENT_RE.match(stmt[paren - 1][0]):
                return None     # a prototype or a macro call
            kind, name = 'function', stmt[paren - 1][0]
        elif body is not None and eq is None:
            return 'type'       # a struct, union or enum body
        else:
            kind, name = 'variable', var_name(stmt)
        if name:
            self.own.add(name)
            if 'static' not in words:
                self.exports.setdefault(name, (kind, self.line(start), start,
                                               self.line(body or start)))
        return kind

    def parse(self, code):
        depth, stmt, done, prev = 0, [], None, ''
        for m in TOKEN_RE.finditer(code):
            t, off = m.group(), m.start()
            # Members of a top-level struct, union or enum are no uses.
            if IDENT_RE.match(t) and prev not in NOT_USES and \
                    not (depth and done == 'type'):
                self.uses.setdefault(t, self.line(off))
            prev = t
            if t == '{':
                if depth == 0 and not done:
                    done = self.declare(stmt, off) or 'type'
                depth += 1
            elif t == '}':
                depth -= 1
                if depth == 0 and done == 'function':
                    stmt, done = [], None
            elif depth == 0 and t == ';':
                if not done:
                    self.declare(stmt, None)
                stmt, done = [], None
            elif depth == 0 and not done:
                stmt.append((t, off))

    def functions(self):
        """(name, line, offset, body line) of the exported functions."""
        return sorted(((n, line, off, end) for n, (kind, line, off, end)
                       in self.exports.items() if kind == 'function'),
                      key=lambda f: f[1])

    def doc_start(self, off):
        """The offset of the /** comment right before off, or -1."""
        before = self.raw[:off].rstrip()
        start = before.rfind('/*')
        if before.endswith('*/') and before.startswith('/**', start):
            return start
        return -1

    def doc_problems(self):
        """Exported functions without a kernel-doc comment that names them."""
        out = []
        for name, line, off, _ in self.functions():
            start = self.doc_start(off)
            where = f'{self.rel}:{line}:'
            if start < 0:
                out.append(f'{where} {name}() has no kernel-doc comment')
                continue
            first = self.raw[start + 3:off].lstrip(' \t')
            if first.startswith('\n'):
                first = first.lstrip(' \t\n').lstrip('*').lstrip(' \t')
            m = DOC_NAME_RE.match(first)
            if not m:
                out.append(f"{where} the kernel-doc of {name}() does not "
                           f"start '{name}() - ...'")
            elif m.group(1) != name:
                out.append(f'{where} the kernel-doc before {name}() names '
                           f'{m.group(1)}()')
        return out

    def documents(self, line):
        """The exported function whose kernel-doc or prototype holds line."""
        # scripts/kernel-doc tells a prototype by the line after its "{".
        for name, _, off, end in self.functions():
            start = self.doc_start(off)
            if start >= 0 and self.line(start) <= line <= end + 1:
                return name
        return None


def read_conf(path):
    """[(name, {option: value}, {file: (floor, prefixes, generated)})]"""
    sections = []
    with open(path, encoding='utf-8') as f:
        lines = list(enumerate(f, 1))
    for n, line in lines:
        words = line.split('#', 1)[0].split()
        if not words:
            continue
        if words[0].startswith('['):
            sections.append((words[0].strip('[]'), {}, {}))
        elif not sections:
            sys.exit(f'{path}:{n}: a line before the first [section]')
        elif words[0].isdigit() and len(words) >= 2:
            if words[1] in sections[-1][2]:
                sys.exit(f'{path}:{n}: a second row for {words[1]}')
            gen = words[-1] == 'generated'
            prefixes = ','.join(words[2:len(words) - gen]).split(',')
            sections[-1][2][words[1]] = (int(words[0]),
                                         [p for p in prefixes if p], gen, n)
        else:
            sections[-1][1][words[0]] = words[1] if len(words) > 1 else True
    return sections


def kbuild_sources(path):
    """{object: source} of the objects that a Kbuild's modules are made of."""
    with open(path, encoding='utf-8') as f:
        text = f.read().replace('\\\n', ' ')
    rules = dict(re.findall(r'^\$\(obj\)/(\S+\.o)\s*:\s*\$\(src\)/(\S+\.c)',
                            text, re.M))
    objs = {}
    mods = re.findall(r'^obj-\S+\s*[:+]?=(.*)', text, re.M)
    for mod in ' '.join(mods).split():
        stem = re.escape(mod[:-2])
        parts = re.findall(rf'^{stem}-(?:y|objs|\$\(\w+\))\s*[:+]?=(.*)',
                           text, re.M)
        for o in ' '.join(parts).split() or [mod]:
            objs[o] = rules.get(o, o[:-2] + '.c')
    return objs


def circles(graph):
    """The sets of files that reach each other through their uses."""
    reach = {}
    for v in graph:
        seen, todo = set(), [v]
        while todo:
            for w in graph.get(todo.pop(), ()):
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        reach[v] = seen
    out = []
    for v in sorted(graph):
        comp = sorted(w for w in reach[v] if v in reach.get(w, ()))
        if len(comp) > 1 and comp not in out:
            out.append(comp)
    return out


def kernel_doc(script, repo, srcs):
    """What scripts/kernel-doc -none -Wall says about exported functions."""
    with open(script, encoding='utf-8', errors='replace') as f:
        # Before 6.2 -v turned on what -Wall does now (return values).
        warn = '-Wall' if '"Wall"' in f.read() else '-v'
    res = subprocess.run([script, '-none', warn] + [s.rel for s in srcs],
                         cwd=repo, capture_output=True, text=True,
                         check=False)
    by_rel, out = {s.rel: s for s in srcs}, []
    for w in res.stderr.splitlines():
        m = re.match(r'(\S+?):(\d+): warning: (.*)', w)
        src = by_rel.get(m.group(1)) if m else None
        named = set(re.findall(r"'(\w+)(?:\(\))?'", m.group(3))) if m else ()
        if src and (src.documents(int(m.group(2))) or
                    named & set(src.exports)):
            out.append(f'{src.rel}:{m.group(2)}: kernel-doc: {m.group(3)}')
    return out


def check_section(repo, conf, name, opts, rows):
    """(the problems, the sources, the circles) of one section."""
    problems, srcs, owner, graph = [], [], {}, {}
    if 'kbuild' in opts:
        kbuild = os.path.join(repo, opts['kbuild'])
        for obj, src in kbuild_sources(kbuild).items():
            if src not in rows:
                problems.append(f'{opts["kbuild"]}: {obj} ({src}) has no row '
                                f'in [{name}]')
    for rel, (floor, prefixes, gen, n) in rows.items():
        if os.path.isfile(os.path.join(repo, rel)):
            srcs.append(Source(os.path.join(repo, rel), rel,
                               (floor, prefixes, gen)))
        else:
            problems.append(f'{conf}:{n}: {rel} does not exist')
    for src in srcs:
        for sym, (_, line, _, _) in src.exports.items():
            if sym in owner:
                problems.append(f'{src.rel}:{line}: {sym} is also defined in '
                                f'{owner[sym].rel}')
            owner.setdefault(sym, src)
    maxl = int(opts.get('max-lines', 0))
    for src in srcs:
        if maxl and not src.generated and src.nlines > maxl:
            problems.append(f'{src.rel}: {src.nlines} lines, more than {maxl}')
        # A generated table names the handlers of the files above it
        # that register it, as an ops struct names callbacks.
        for sym, line in sorted(src.uses.items(), key=lambda u: u[1]):
            other = owner.get(sym)
            if not other or other is src or sym in src.own or src.generated:
                continue
            graph.setdefault(src.rel, set()).add(other.rel)
            if other.floor >= src.floor:
                verb = 'calls' if other.exports[sym][0] == 'function' \
                    else 'uses'
                problems.append(f'{src.rel}:{line}: {verb} {sym} defined in '
                                f'{other.rel} (floor {other.floor} >= '
                                f'{src.floor})')
        for sym, line, _, _ in src.functions():
            if src.prefixes and not sym.startswith(tuple(src.prefixes)):
                problems.append(f'{src.rel}:{line}: {sym}() does not start '
                                f'with {" or ".join(src.prefixes)}')
        if 'kernel-doc' in opts and not src.generated:
            problems += src.doc_problems()
    return problems, srcs, circles(graph)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    ap.add_argument('--repo', default=TOP)
    ap.add_argument('--conf', help='the table (REPO/tools/layers.conf)')
    ap.add_argument('--kernel-doc', help="scripts/kernel-doc, or 'none'")
    args = ap.parse_args()
    conf = args.conf or os.path.join(args.repo, 'tools', 'layers.conf')
    shown = os.path.relpath(conf, args.repo)
    shown = conf if shown.startswith('..') else shown
    kdoc = args.kernel_doc or next((p for p in KERNEL_DOC_PLACES
                                    if os.access(p, os.X_OK)), 'none')
    if kdoc == 'none':
        print('layering: no scripts/kernel-doc, own kernel-doc check only')
    nfiles, problems, loops = 0, [], []
    for name, opts, rows in read_conf(conf):
        p, srcs, c = check_section(args.repo, shown, name, opts, rows)
        docs = [s for s in srcs if not s.generated]
        if 'kernel-doc' in opts and kdoc != 'none' and docs:
            p += kernel_doc(kdoc, args.repo, docs)
        nfiles, problems, loops = nfiles + len(rows), problems + p, loops + c
    for p in problems:
        print(p)
    summary = f'layering: {nfiles} files, {len(problems)} problem' + \
        ('' if len(problems) == 1 else 's')
    for c in loops:
        summary += f'; circle among {", ".join(c)}'
    print(summary)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
