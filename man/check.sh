#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint the man pages and hold them to the code: every command, keyword,
# attribute, counter and drop reason that the parsers accept or the kernel
# reports must appear in bold (as a keyword) in its page.  The names are
# taken from the sources, so a command added without documentation fails
# here.
#
# Usage: man/check.sh [TOP]    (TOP: a source tree, default this one)
#        man/check.sh --mutants  (the check must fail on copies of this
#                                 tree with a command, a link keyword, an
#                                 attribute or a counter undocumented)

# The name lists are split into words on purpose.
# shellcheck disable=SC2046

set -u
self=$(cd "$(dirname "$0")" && pwd)/check.sh
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}

# mutant WHAT FILE SED: a copy of the tree with SED applied to FILE must
# fail the check.
mutant()
{
	local what=$1 file=$2 expr=$3 tmp rc

	tmp=$(mktemp -d)
	cp -r "$top/man" "$top/tools" "$top/include" "$tmp"/
	cp "$top"/*.c "$tmp"/
	sed -i -e "$expr" "$tmp/$file"
	if cmp -s "$top/$file" "$tmp/$file"; then
		echo "mutant \"$what\": $expr changed nothing in $file"
		rc=1
	elif "$self" "$tmp" >/dev/null 2>&1; then
		echo "mutant \"$what\": the check passed"
		rc=1
	else
		echo "mutant \"$what\": caught"
		rc=0
	fi
	rm -rf "$tmp"
	return $rc
}

if [ "$top" = --mutants ]; then
	top=$(cd "$(dirname "$0")/.." && pwd)
	rc=0
	mutant "new mgrectl command" tools/mgrectl.c \
		'/{ "monitor",/a { "frob", do_show, usage_show },' || rc=1
	mutant "command left out of mgrectl.8" man/mgrectl.8 \
		'/traffic/d' || rc=1
	mutant "new link keyword" tools/linkparam.c \
		's/strcmp(word, "shortcut")) {/strcmp(word, "shortcut") \&\& strcmp(word, "frob")) {/' || rc=1
	mutant "attribute left out of mgre.4" man/mgre.4 \
		's/IFLA_MGRE_MCAST_LIMIT/IFLA_MGRE_MCAST_LIM/g' || rc=1
	mutant "new counter" include/uapi/linux/mgre.h \
		's/^\tMGRE_STATS_A_TX_REDIRECT_LIMITED,/&\n\tMGRE_STATS_A_TX_FROB,/' || rc=1
	# shellcheck disable=SC2016 # sed: append at the last line
	mutant "groff warning" man/mgre.4 '$a .frob' || rc=1
	exit $rc
fi
uapi=$top/include/uapi/linux/mgre.h
tools=$top/tools
bad=0

err() { echo "$*" >&2; bad=1; }

# bold PAGE: every word the page sets in bold, one a line.  Handles .B,
# the alternating .BR/.RB/.BI/.IB and inline \fB...\f.
bold()
{
	sed -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\(em/ /g' -e 's/\\(en/ /g' \
		-e 's/\\e/\\/g' "$1" |
	awk '
	function args(s, a,    n, q, c, i, cur) {
		n = 0; q = 0; cur = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\"") { q = !q; continue }
			if (c == " " && !q) {
				if (cur != "") a[++n] = cur
				cur = ""
				continue
			}
			cur = cur c
		}
		if (cur != "") a[++n] = cur
		return n
	}
	{
		line = $0
		if (match(line, /^\.(B|BR|RB|BI|IB) /)) {
			m = substr(line, 2, RLENGTH - 2)
			n = args(substr(line, RLENGTH + 1), a)
			for (i = 1; i <= n; i++)
				if (m == "B" || (m ~ /^B/ && i % 2) ||
				    (m ~ /B$/ && m != "B" && !(i % 2))) {
					gsub(/\\f[A-Z]/, " ", a[i])
					print a[i]
				}
		}
		while (match(line, /\\fB[^\\]*/)) {
			print substr(line, RSTART + 3, RLENGTH - 3)
			line = substr(line, RSTART + RLENGTH)
		}
	}' | tr -s ' \t[]{}|,;:()"' '\n' | sed -e 's/\.*$//' -e '/^$/d' | sort -u
}

# need PAGE WHAT NAME...: each NAME must be in bold in PAGE.
need()
{
	local page=$1 what=$2 words name

	shift 2
	words=$(bold "$page")
	for name in "$@"; do
		grep -qxF -- "$name" <<<"$words" ||
			err "${page#"$top"/}: $what \"$name\" is not documented"
	done
}

# strings FILE REGEX: the quoted strings of the lines matching REGEX.
strings()
{
	grep -oE "$2" "$1" | grep -oE '"[^"]*"' | tr -d '"'
}

# enum PREFIX: the members of the uapi enums starting with PREFIX, minus
# the placeholders; lower case.
enum()
{
	grep -oE "^[[:space:]]*$1[A-Z0-9_]+" "$uapi" | sed 's/^[[:space:]]*//' |
		sed "s/^$1//" | grep -vxE 'UNSPEC|PAD|MAX' | tr '[:upper:]' '[:lower:]'
}

for page in "$top"/man/*.[1-8]; do
	out=$(LC_ALL=C.UTF-8 groff -man -ww -z "$page" 2>&1)
	[ -z "$out" ] || err "${page#"$top"/}: groff: $out"
done

# mgrectl(8): the command table, options, parser keywords, types, flags,
# event and NHS state names.
page=$top/man/mgrectl.8
mapfile -t cmds < <(strings "$tools/mgrectl.c" '^[[:space:]]*\{ "[a-z-]+",[[:space:]]+do_')
[ ${#cmds[@]} -gt 5 ] || err "no commands found in tools/mgrectl.c"
need "$page" command "${cmds[@]}"
need "$page" option $(strings "$tools/mgrectl.c" 'strcmp\(opt, "[^"]*"\)')
need "$page" keyword $(cat "$tools"/{mgrectl,entry,nhrp,stats,link}.c |
	grep -oE 'strcmp\((word|verb|argv\[0\]), "[^"]*"\)' | grep -oE '"[^"]*"' |
	tr -d '"')
need "$page" "entry type" $(strings "$tools/args.c" '\[MGRE_ENTRY_[A-Z]+\][[:space:]]*= "[a-z]+"')
need "$page" "entry flag" $(strings "$tools/entry_fmt.c" 'MGRE_ENTRY_F_[A-Z]+,[[:space:]]+.[a-z].,[[:space:]]+"[a-z]+"')
need "$page" event $(strings "$tools/stats.c" 'return "[a-z]+";|"nhs-[a-z]+"')
need "$page" "NHS state" $(strings "$tools/nhs_fmt.c" '\[MGRE_NHS_[A-Z]+\][[:space:]]*= "[a-z]+"')
need "$page" "packet type" $(strings "$tools/nhrp.c" '^[[:space:]]*\[[1-9]\] = "[a-z-]+"')

# ip-link-mgre(8): every word the shared link parser compares against.
page=$top/man/ip-link-mgre.8
mapfile -t words < <(strings "$tools/linkparam.c" 'strcmp\([a-z]+(\[[0-9]\])?, "[^"]*"\)' | sort -u)
[ ${#words[@]} -gt 10 ] || err "no keywords found in tools/linkparam.c"
need "$page" keyword "${words[@]}"

# mgre(4): attributes, counters and drop reasons as the header defines
# them and as mgrectl names them, entry types and flags, module
# parameters, the generic netlink names.
page=$top/man/mgre.4
need "$page" attribute $(grep -oE '^[[:space:]]*IFLA_MGRE_[A-Z0-9_]+' "$uapi" |
	sed 's/^[[:space:]]*//' | grep -v UNSPEC)
need "$page" counter $(enum MGRE_STATS_A_)
need "$page" counter $(strings "$tools/stats.c" '\[MGRE_STATS_A_[A-Z_]+\][[:space:]]*= "[a-z_]+"')
need "$page" "drop reason" $(enum MGRE_NHRP_DROP_ | tr _ -)
need "$page" "drop reason" $(strings "$tools/nhrp.c" '\[MGRE_NHRP_DROP_[A-Z_]+\][[:space:]]*= "[a-z-]+"' |
	grep -vx unspec)
need "$page" "packet type" $(strings "$tools/nhrp.c" '^[[:space:]]*\[[1-9]\] = "[a-z-]+"')
need "$page" "entry type" $(enum MGRE_ENTRY_ | grep -v '^f_\|^a_\|^type_max$')
need "$page" "entry flag" $(grep -oE '^#define MGRE_ENTRY_F_[A-Z]+' "$uapi" |
	sed 's/.*_F_//' | grep -vx ALL | tr '[:upper:]' '[:lower:]')
need "$page" "module parameter" $(cat "$top"/*.c |
	grep -oE 'module_param[a-z_]*\([a-z0-9_]+' | sed 's/.*(//')
need "$page" "netlink name" $(strings "$uapi" '#define MGRE_(GENL_NAME|MCGRP_EVENTS)[[:space:]]+"[a-z]+"')

[ $bad -eq 0 ] && echo "man pages: clean"
exit $bad
