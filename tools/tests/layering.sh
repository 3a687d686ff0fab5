#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proves that tools/layering.py catches what it should, on small trees built
# in a temporary directory:
#
#   Kbuild       obj-m := mgre.o, mgre-y := a.o b.o
#   layers.conf  1 a.c a_     a_run() calls b_twice()
#                0 b.c b_     b_twice() calls nobody
#
# The good tree must pass; each mutant changes one thing and must fail with
# the message that names it.  The own kernel-doc check runs alone
# (--kernel-doc none), except in the cases for the kernel's
# scripts/kernel-doc, which are skipped when it is absent.  TAP on stdout.
#
# Usage: tools/tests/layering.sh [KERNEL-DOC]
#   KERNEL-DOC: the kernel's scripts/kernel-doc (default: where make
#   layering unpacks it)

top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tools/layering.py
kdoc=${1:-/var/cache/mgre/kernel-doc/scripts/kernel-doc}
n=0
fails=0
skips=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# tree NAME: a copy of the good tree in $tmp/NAME; prints its directory.
tree()
{
	local d=$tmp/$1

	mkdir -p "$d/tools"
	printf 'obj-m := mgre.o\nmgre-y := a.o b.o\n' > "$d/Kbuild"
	cat > "$d/tools/layers.conf" <<-'EOF'
		# a test table
		[kernel]
		max-lines 750
		kbuild Kbuild
		kernel-doc
		1 a.c a_
		0 b.c b_
	EOF
	cat > "$d/a.c" <<-'EOF'
		// SPDX-License-Identifier: GPL-2.0
		#include "b.h"

		static int a_helper(int x)
		{
			return b_twice(x);
		}

		/**
		 * a_run() - run the test
		 * @x: what to run it on
		 *
		 * Return: twice @x.
		 */
		int a_run(int x)
		{
			return a_helper(x);
		}
	EOF
	cat > "$d/b.c" <<-'EOF'
		// SPDX-License-Identifier: GPL-2.0
		#include "b.h"

		int b_count;

		/**
		 * b_twice() - double a number
		 * @x: the number
		 *
		 * Return: @x times two.
		 */
		int b_twice(int x)
		{
			b_count++;
			return 2 * x;
		}
	EOF
	echo "$d"
}

# pad FILE LINES: comment lines added to FILE until it is LINES long.
pad()
{
	local have

	have=$(wc -l < "$1")
	yes '/* filler */' | head -n $(($2 - have)) >> "$1"
}

# expect RC PATTERN WHAT DIR [ARGS...]: the checker over DIR exits RC and
# prints a line matching PATTERN.
expect()
{
	local rc=$1 pat=$2 what=$3 dir=$4 out got

	shift 4
	out=$(python3 "$check" --repo "$dir" --kernel-doc none "$@" 2>&1)
	got=$?
	if [ "$got" -eq "$rc" ] && grep -qE -- "$pat" <<<"$out"; then
		ok "$what"
	else
		fail "$what (exit $got, wanted $rc and /$pat/)"
		sed 's/^/#   /' <<<"$out"
	fi
}

clean='^layering: 2 files, 0 problems$'

expect 0 "$clean" "the good tree passes" "$(tree good)"

d=$(tree upward)
sed -i 's/return 2 \* x;/return a_run(x) - x;/' "$d/b.c"
expect 1 '^b\.c:15: calls a_run defined in a\.c \(floor 1 >= 0\)$' \
	"a call to an upper floor fails" "$d"

d=$(tree upward-var)
sed -i 's/^#include "b.h"$/&\nint a_total;/' "$d/a.c"
sed -i 's/b_count++;/b_count += a_total;/' "$d/b.c"
expect 1 '^b\.c:14: uses a_total defined in a\.c \(floor 1 >= 0\)$' \
	"a global variable of an upper floor fails" "$d"

d=$(tree same-floor)
sed -i 's/^0 b\.c/1 b.c/' "$d/tools/layers.conf"
expect 1 '^a\.c:6: calls b_twice defined in b\.c \(floor 1 >= 1\)$' \
	"a call within one floor fails" "$d"

d=$(tree circle)
sed -i 's/return 2 \* x;/return a_run(x);/' "$d/b.c"
expect 1 '; circle among a\.c, b\.c$' "a circle is named in the summary" "$d"

d=$(tree size-750)
pad "$d/b.c" 750
expect 0 "$clean" "a 750-line file passes" "$d"

d=$(tree size-751)
pad "$d/b.c" 751
expect 1 '^b\.c: 751 lines, more than 750$' "a 751-line file fails" "$d"

d=$(tree no-doc)
sed -i '/^\/\*\*/,/^ \*\//d' "$d/b.c"
expect 1 '^b\.c:6: b_twice\(\) has no kernel-doc comment$' \
	"an exported function without kernel-doc fails" "$d"

d=$(tree plain-comment)
sed -i 's/^\/\*\*$/\/*/' "$d/b.c"
expect 1 '^b\.c:12: b_twice\(\) has no kernel-doc comment$' \
	"a plain /* comment is not kernel-doc" "$d"

d=$(tree doc-gap)
sed -i 's/^int b_twice/int b_other;\n&/' "$d/b.c"
expect 1 '^b\.c:13: b_twice\(\) has no kernel-doc comment$' \
	"kernel-doc not right before its function fails" "$d"

d=$(tree doc-other)
sed -i 's/^ \* b_twice()/ * b_thrice()/' "$d/b.c"
expect 1 '^b\.c:12: the kernel-doc before b_twice\(\) names b_thrice\(\)$' \
	"kernel-doc naming another function fails" "$d"

d=$(tree doc-no-dash)
sed -i 's/^ \* b_twice() - double a number/ * Double a number./' "$d/b.c"
expect 1 "the kernel-doc of b_twice\(\) does not start 'b_twice\(\) - \.\.\.'" \
	"kernel-doc without 'name() - ' fails" "$d"

d=$(tree prefix)
sed -i 's/b_twice/c_twice/g' "$d/a.c" "$d/b.c"
expect 1 '^b\.c:12: c_twice\(\) does not start with b_$' \
	"an exported function without its file's prefix fails" "$d"

d=$(tree kbuild)
sed -i 's/b\.o/b.o c.o/' "$d/Kbuild"
printf 'static int c;\n' > "$d/c.c"
expect 1 '^Kbuild: c\.o \(c\.c\) has no row in \[kernel\]$' \
	"a Kbuild object without a row fails" "$d"

d=$(tree main-rule)
sed -i 's/a\.o/mgre_main.o/' "$d/Kbuild"
# shellcheck disable=SC2016 # make's $(obj), not the shell's
printf '$(obj)/mgre_main.o: $(src)/a.c FORCE\n' >> "$d/Kbuild"
expect 0 "$clean" "an explicit Kbuild rule maps its object to its source" "$d"

d=$(tree missing)
printf '0 z.c z_\n' >> "$d/tools/layers.conf"
expect 1 '^tools/layers\.conf:8: z\.c does not exist$' \
	"a row whose file is missing fails" "$d"

d=$(tree generated)
sed -i 's/^0 b\.c b_$/0 b.c b_ generated/' "$d/tools/layers.conf"
sed -i '/^\/\*\*/,/^ \*\//d' "$d/b.c"
pad "$d/b.c" 800
expect 0 '^layering: 2 files, 0 problems$' \
	"a generated file is exempt from size and kernel-doc" "$d"

# A generated table on a low floor names the handlers above it (the ops
# table of netlink-gen.c): free for a generated file, an upward use else.
d=$(tree generated-table)
sed -i 's/^0 b\.c b_$/0 b.c b_ generated/' "$d/tools/layers.conf"
printf '\nconst struct b_ops b_tab[1] = {\n\t{ .run = a_run, },\n};\n' >> "$d/b.c"
expect 0 '^layering: 2 files, 0 problems$' \
	"a generated table may name the handlers above it" "$d"
sed -i 's/^0 b\.c b_ generated$/0 b.c b_/' "$d/tools/layers.conf"
expect 1 '^b\.c:19: calls a_run defined in a\.c \(floor 1 >= 0\)$' \
	"the same table in a file not generated is an upward use" "$d"

d=$(tree statics)
cat >> "$d/b.c" <<-'EOF'

	/* a_helper and a_run are b.c's own here: static, like a.c's a_helper */
	static int a_helper(int x)
	{
		return x;
	}

	static int a_run(int x)
	{
		return a_helper(x) + 1;
	}
EOF
expect 0 "$clean" "statics that share an upper file's names pass" "$d"

d=$(tree literals)
cat >> "$d/b.c" <<-'EOF'

	/* b_twice() would have called a_run() here */
	// and a_run(x) again
	#define B_CALLS_UP a_run(1)
	static const char *b_name = "a_run(x)";
	static char b_c = '"';
	static const char *b_esc = "\" a_run(2) \"";

	struct b_s {
		int (*a_run)(int);
		int a_helper;
	};

	static int b_member(struct b_s *s)
	{
		return s->a_run(s->a_helper) + sizeof(struct a_run *);
	}
EOF
expect 0 "$clean" \
	"upper names in comments, literals, macros and members do not count" "$d"

d=$(tree attrs)
cat >> "$d/b.c" <<-'EOF'

	/**
	 * b_init() - set up
	 *
	 * Return: 0.
	 */
	int __init __cold b_init(void)
	__must_hold(&b_lock)
	{
		return 0;
	}
	EXPORT_SYMBOL(b_init);

	static const struct b_ops b_ops_tab[2] = {
		{ .run = b_twice },
	};
	unsigned int b_id __read_mostly;
	int b_proto(int x);
EOF
sed -i 's/b_count++;/b_count += b_id;/' "$d/b.c"
sed -i 's/return a_helper(x);/return a_helper(x) + b_id;/' "$d/a.c"
expect 0 "$clean" "definitions with kernel macros are read" "$d"
sed -i "s/b_init/x_init/g" "$d/b.c"
expect 1 '^b\.c:23: x_init\(\) does not start with b_$' \
	"a definition's name is found past its attribute macros" "$d"

# The kernel's scripts/kernel-doc on top of the own check.
if [ -x "$kdoc" ]; then
	expect 0 "$clean" "the good tree passes scripts/kernel-doc" \
		"$(tree kdoc-good)" --kernel-doc "$kdoc"
	d=$(tree kdoc-param)
	sed -i '/^ \* @x: the number$/d' "$d/b.c"
	expect 1 "^b\.c:1[1-3]: kernel-doc: Function parameter or (struct )?member 'x' not described in 'b_twice'$" \
		"scripts/kernel-doc finds an undescribed parameter" "$d" \
		--kernel-doc "$kdoc"
	d=$(tree kdoc-static)
	cat >> "$d/b.c" <<-'EOF'

	/**
	 * b_local() - a static, documented badly
	 */
	static int b_local(int y)
	{
		return y;
	}
	EOF
	expect 0 "$clean" "scripts/kernel-doc on statics does not count" "$d" \
		--kernel-doc "$kdoc"
else
	for what in "the good tree passes scripts/kernel-doc" \
		"scripts/kernel-doc finds an undescribed parameter" \
		"scripts/kernel-doc on statics does not count"; do
		n=$((n + 1))
		skips=$((skips + 1))
		echo "ok $n - $what # SKIP no $kdoc (make layering unpacks it)"
	done
fi

echo "1..$n"
line="$((n - fails - skips)) passed, $fails failed"
[ "$skips" -gt 0 ] && line="$line, $skips skipped"
echo "$line"
[ "$fails" -eq 0 ]
