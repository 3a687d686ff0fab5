#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Drive the mgrectl bash completion as bash would (COMP_WORDS, COMP_CWORD,
# COMP_LINE, COMP_POINT, then the function) and check what it offers,
# against fixed answers and against the words the parsers in tools/
# accept.  `ip` is stubbed to list two mgre devices.
#
# Usage: completion/check.sh    (needs bash-completion)

set -u
dir=$(cd "$(dirname "$0")" && pwd)
tools=$dir/../tools
fails=0

bc=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
if [ ! -r "$bc" ]; then
	echo "not ok - bash-completion is not installed ($bc)"
	exit 1
fi
# shellcheck disable=SC1090
source "$bc"
# shellcheck disable=SC1091
source "$dir/mgrectl"

ip()
{
	[ "$*" = "-o link show type mgre" ] || return 1
	echo "7: mgre0: <POINTOPOINT,MULTICAST,NOARP> mtu 1476 qdisc noop state DOWN"
	echo "9: mgre1@eth0: <POINTOPOINT,MULTICAST,NOARP> mtu 1472 qdisc noop state DOWN"
}

# complete LINE: what completing at the end of LINE offers, sorted, on one
# line.
complete_line()
{
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_mgrectl mgrectl "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | grep . | sort -u | paste -sd ' '
}

# expect LINE WORDS: completing LINE offers exactly WORDS (any order).
expect()
{
	local got want

	got=$(complete_line "$1")
	# (Not xargs: it would run "echo -n" for the option -n.)
	want=$(tr -s ' \t\n' '\n' <<<"$2" | grep . | sort -u | paste -sd ' ')
	if [ "$got" = "$want" ]; then
		echo "ok - completion \"$1\""
	else
		echo "not ok - completion \"$1\": offered \"$got\", expected \"$want\""
		fails=$((fails + 1))
	fi
}

# words FILE REGEX: the quoted strings in the matches of REGEX in FILE.
words()
{
	grep -oE "$2" "$1" | grep -oE '"[^"]*"' | tr -d '"' | sort -u |
		paste -sd ' '
}

# From the sources: commands, options, entry types and flags, keywords.
cmds=$(words "$tools/mgrectl.c" '^[[:space:]]*\{ "[a-z-]+",[[:space:]]+do_')
opts=$(words "$tools/mgrectl.c" 'strcmp\(opt, "[^"]*"\)')
types=$(words "$tools/args.c" '\[MGRE_ENTRY_[A-Z]+\][[:space:]]*= "[a-z]+"')
flags=$(words "$tools/entry_fmt.c" 'MGRE_ENTRY_F_[A-Z]+,[[:space:]]+.[a-z].,[[:space:]]+"[a-z]+"')
add_kw=$(words "$tools/entry.c" 'strcmp\(word, "[^"]*"\)')
# The link parser's keywords, less "help" (offered as a verb), "link"
# (a synonym of dev) and "nokey" (set only).
link_kw=$(words "$tools/linkparam.c" 'strcmp\(word, "[^"]*"\)' |
	xargs -n 1 | grep -vxE 'help|link|nokey' | xargs)
link_verbs=$(words "$tools/link.c" 'strcmp\(verb, "[^"]*"\)')

expect "mgrectl " "$cmds"
expect "mgrectl -" "$opts"
expect "mgrectl -j st" "stats"
expect "mgrectl -j -p sh" "show"
expect "mgrectl -n ns0 sh" "show"
expect "mgrectl -netns ns0 -j show d" "dev dmvpn"
expect "mgrectl show " "dev type shortcut dmvpn help"
expect "mgrectl show dmvpn " "dev"
expect "mgrectl show dev mgre0 " "type shortcut"
expect "mgrectl show dev " "mgre0 mgre1"
expect "mgrectl show type " "$types"
expect "mgrectl flush type r" "registered resolved"
expect "mgrectl add " "$add_kw $flags help"
expect "mgrectl add 10.0.0.1 " "$add_kw $flags"
expect "mgrectl add 10.0.0.1 nbma 192.0.2.1 dev mgre0 unique " \
	"type holdtime shortcut replace multicast router"
expect "mgrectl add 10.0.0.1 type " "static registered resolved negative"
expect "mgrectl add 2001:db8::1 nbma 192.0.2.1 d" "dev"
expect "mgrectl get 10.0.0.1 " "shortcut dev"
expect "mgrectl nhs " "show list ls detail dev help"
expect "mgrectl nhs detail " "dev"
expect "mgrectl nhs show " "dev"
expect "mgrectl traffic " "dev help"
expect "mgrectl monitor " "help"
expect "mgrectl link " "$link_verbs help"
expect "mgrectl link set " "mgre0 mgre1 help"
expect "mgrectl link add m0 " "$link_kw"
expect "mgrectl link set mgre0 " "$link_kw nokey"
expect "mgrectl link set mgre0 key 42 nhs 10.0.0.1 nbma 192.0.2.1 n" \
	"network-id nhs nhs-fallback nhs-max-connections noauth"
expect "mgrectl link set mgre0 nonhs noauth n" \
	"network-id nhs-fallback nhs-max-connections nokey"
expect "mgrectl link add m0 nhs " "dynamic"
expect "mgrectl link add m0 nhs dynamic " "nbma"
expect "mgrectl link add m0 redirect " "on off"
expect "mgrectl link add m0 ttl " "inherit"
expect "mgrectl link add m0 local " "any"

echo "$(( $(grep -c '^expect "' "$0") - fails )) passed, $fails failed"
[ $fails -eq 0 ]
