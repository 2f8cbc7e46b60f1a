# The bash completion (completion/conctui.bash): options come from
# `conctui --help`, executor and scenario names from `conctui --list`,
# files where an option takes a FILE.  Each case sets COMP_WORDS and
# COMP_CWORD as bash does, calls _conctui and compares COMPREPLY.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CONCTUI_BIN:-$ROOT/conctui}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
export CONCTUI_DATADIR=${CONCTUI_DATADIR:-$ROOT/assets}
TEST=t_completion
export LC_ALL=C
command -v bash >/dev/null || { echo "$TEST: skipped, no bash"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "$TEST: $*" >&2
	exit 1
}

# complete WORD...: the sorted completions, one a line, of the last WORD
# (the first is the program), completed in $tmp/cwd.
complete() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		cd "$CWD" && _conctui && printf "%s\n" "${COMPREPLY[@]}" | sort' \
		sh "$ROOT/completion/conctui.bash" "$@"
}

# expect WANT WORD...: the completions, space-separated, are WANT.
expect() {
	want=$1
	shift
	got=$(complete "$@" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || fail "completing '$*': want '$want', got '$got'"
}

# contains WANT WORD...: WANT is among the completions.
contains() {
	want=$1
	shift
	complete "$@" | grep -qxF -- "$want" || fail "completing '$*': no '$want' in: $(complete "$@")"
}

export CWD="$tmp/cwd"
mkdir -p "$CWD/runs"
touch "$CWD/seed-mine.ini" "$CWD/seed-notes.txt" "$CWD/run.json"

# Options, long and short, read from --help.
for o in -b --backend --batch --compare --json --replay --gil --list -h --help; do
	contains "$o" "$BIN" -
done
expect "--backend --batch" "$BIN" --ba
# Executors from --list, for -b and --backend, and nothing else there.
expect "$("$BIN" --list | sed -n '/^Executors/,$p' | awk 'NR > 1 { print $1 }' | sort |
	tr '\n' ' ' | sed 's/ $//')" "$BIN" -b ""
expect "threads threads-1core" "$BIN" --batch --backend thr
# An argument written as choices offers them; a number offers nothing.
expect "new off old" "$BIN" --gil ""
expect "" "$BIN" --scale ""
# Files where an option takes one.
expect "run.json runs" "$BIN" --replay ru
expect "run.json runs" "$BIN" --json ru
# A positional: built-in scenarios, and scenario files (.ini) and folders.
expect "seed-fib seed-mine.ini seed-sleep" "$BIN" --batch seed-
contains gil-battle "$BIN" ""

# Lessons, from a --list section of that name, and an option taking one:
# a stand-in program shows the completion follows whatever the program says.
cat >"$tmp/fake" <<'FAKE'
#!/bin/sh
case $1 in
--help) printf '%s\n' 'usage: fake' '  -L, --lesson NAME   a lesson' '    --flag            a flag' ;;
--list) printf '%s\n' 'Scenarios (name):' '  one   title' '' 'Lessons (name, title):' \
	'  gil-basics  The GIL' '  async-intro  Coroutines' '' 'Executors (name):' '  threads  x' ;;
esac
FAKE
chmod +x "$tmp/fake"
expect "--flag --lesson -L" "$tmp/fake" -
expect "async-intro gil-basics" "$tmp/fake" --lesson ""
expect "async-intro gil-basics" "$tmp/fake" -L ""
expect "async-intro gil-basics one runs seed-mine.ini" "$tmp/fake" ""
exit 0
