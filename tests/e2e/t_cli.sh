#!/bin/sh
# The command line through the real binary: bad input is one line naming
# what and where, exit status 2, and nothing written; good runs round-trip.
set -u
BIN=${CONCTUI_BIN:-./conctui}
# Built-in scenarios from this tree, wherever the binary is (sanitizer builds too).
export CONCTUI_DATADIR=${CONCTUI_DATADIR:-$(cd "$(dirname "$0")/../.." && pwd)/assets}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() { echo "  t_cli: $*"; fails=$((fails + 1)); }

# expect_bad PATTERN ARGS...: exit 2, one line on stderr matching PATTERN, no stdout.
expect_bad() {
	pat=$1; shift
	"$BIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ "$rc" -eq 2 ] || fail "conctui $*: exit $rc, want 2"
	head -n 1 "$tmp/err" | grep -q -- "$pat" || fail "conctui $*: stderr $(head -n 1 "$tmp/err") !~ $pat"
	[ -s "$tmp/out" ] && fail "conctui $*: wrote to stdout"
	return 0
}

printf '[scenario]\n[task A]\nsteps = cpu 5, cpuu 3\n' >"$tmp/bad.ini"
printf '[scenario]\n[task A]\nsteps = sleep 10\n' >"$tmp/good.ini"
printf '{"conctui": 1, "scenario": "x", "tasks": [' >"$tmp/truncated.json"
printf '' >"$tmp/empty.json"
head -c 300 /dev/urandom >"$tmp/binary.json" 2>/dev/null || printf '\001\002\377' >"$tmp/binary.json"
printf '[1, 2, 3]\n' >"$tmp/shape.json"
mkdir "$tmp/dir.ini"

expect_bad 'unknown option "--frobnicate"' --frobnicate
expect_bad 'conctui: --scale 0: must be > 0 and <= 100' --batch --scale 0 seed-sleep
expect_bad 'conctui: --gil fast: must be new, old or off' --gil fast seed-sleep
expect_bad '--replay does not take --backend: a record cannot be re-run' --replay "$tmp/x.json" -b threads
expect_bad '--replay does not take --scale' --batch --replay "$tmp/x.json" --scale 2
expect_bad '--replay does not take --gil' --replay "$tmp/x.json" --gil old
expect_bad '--replay does not take --switch-interval' --replay "$tmp/x.json" --switch-interval 2
expect_bad '--costs does not take a SCENARIO' --costs seed-sleep
# --batch --costs is --costs (no SCENARIO asked for); its --json path is checked before measuring.
expect_bad "^conctui: cannot write $tmp/nodir/c.json" --batch --costs --json "$tmp/nodir/c.json"

# A bad option is one line and a hint, never the whole usage text.
"$BIN" --scale 0 seed-sleep >/dev/null 2>"$tmp/err"
[ "$(wc -l <"$tmp/err")" -eq 2 ] || fail "--scale 0: $(wc -l <"$tmp/err") lines on stderr, want 2"
sed -n 2p "$tmp/err" | grep -qx "try 'conctui --help'" || fail "--scale 0: no hint line"
expect_bad 'unknown executor "fibers"' --batch -b fibers seed-sleep
expect_bad 'unknown scenario "no-such-thing"' --batch no-such-thing
expect_bad "$tmp/bad.ini:3: unknown step \"cpuu\"" --batch "$tmp/bad.ini"
printf '[scenario]\nbackend = nosuch\n[task A]\nsteps = sleep 10\n' >"$tmp/nobackend.ini"
expect_bad "^conctui: $tmp/nobackend.ini:2: unknown executor \"nosuch\"" --batch "$tmp/nobackend.ini"
expect_bad "^conctui: $tmp/nobackend.ini:2: unknown executor \"nosuch\"" "$tmp/nobackend.ini"
expect_bad "$tmp/dir.ini: not a regular file" --batch "$tmp/dir.ini"
expect_bad "$tmp/missing.ini: No such file or directory" --batch "$tmp/missing.ini"
expect_bad 'truncated.json' --batch --replay "$tmp/truncated.json"
expect_bad 'empty.json' --batch --replay "$tmp/empty.json"
expect_bad 'binary.json' --batch --replay "$tmp/binary.json"
expect_bad 'shape.json' --batch --replay "$tmp/shape.json"
expect_bad "cannot write $tmp/nodir/x.json" --batch --json "$tmp/nodir/x.json" "$tmp/good.ini"
expect_bad '--batch needs a SCENARIO' --batch
# The workers executor's broker: refused before anything runs when it does not answer.
expect_bad '^conctui: --broker redis://127.0.0.1:1: cannot reach the broker' --batch --broker redis://127.0.0.1:1 -b workers "$tmp/good.ini"
expect_bad '^conctui: --broker ftp://x: not a broker URL' --broker ftp://x --worker
expect_bad '^conctui: --worker takes --broker URL' --worker
# The TUI writes --json and --trace as runs end: checked before it starts.
expect_bad '^conctui: --json -: the TUI draws on stdout' --json - seed-sleep
expect_bad '^conctui: --trace -: the TUI draws on stdout' --trace - seed-sleep
expect_bad "^conctui: cannot write $tmp/nodir/x.json" --json "$tmp/nodir/x.json" seed-sleep

# A bad scenario writes nothing, even where an output was asked for.
expect_bad "$tmp/bad.ini:3" --batch --json "$tmp/never.json" "$tmp/bad.ini"
[ -e "$tmp/never.json" ] && fail "a bad scenario still created its --json file"

# A bad output path is found before the run starts: no sleep happens.
# The run would sleep 10 x 500 ms: far longer than the program takes to start.
start=$(date +%s%N)
"$BIN" --batch --trace "$tmp/nodir/t.json" --scale 500 "$tmp/good.ini" >/dev/null 2>&1
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 2500 ] || fail "the run started before the output path was checked"

# Help and version.
"$BIN" --help >"$tmp/help" || fail "--help exit status"
for opt in --backend --batch --compare --costs --json --trace --replay --scale --gil \
	--switch-interval --workers --list --lesson --ascii --no-color --help --version; do
	grep -q -- "$opt" "$tmp/help" || fail "--help does not list $opt"
	grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" man/conctui.1 2>/dev/null ||
		fail "the man page does not list $opt"
done
"$BIN" --version | grep -q '^conctui [0-9]' || fail "--version"

# A record written by --json replays to the same chart.
"$BIN" --batch --json "$tmp/rec.json" "$tmp/good.ini" >"$tmp/live.txt" || fail "batch run failed"
"$BIN" --batch --replay "$tmp/rec.json" >"$tmp/replay.txt" || fail "replay failed"
cmp -s "$tmp/live.txt" "$tmp/replay.txt" || fail "replayed chart differs from the live one"
"$BIN" --batch --json - "$tmp/good.ini" >"$tmp/stdout.json" || fail "--json - failed"
head -c 1 "$tmp/stdout.json" | grep -q '{' || fail "--json - wrote something other than the record"

# A compare file replays in batch as the table and verdict --compare printed.
cmpfile=$(dirname "$0")/fixtures/spinner-cpu.json
"$BIN" --batch --replay "$cmpfile" >"$tmp/cmp-batch.txt" || fail "batch replay of a compare file failed"
"$BIN" --compare --replay "$cmpfile" >"$tmp/cmp-compare.txt" || fail "compare replay failed"
grep -Eq '^executor +model +wall' "$tmp/cmp-batch.txt" || fail "batch replay of a compare file: no table"
grep -q 'Nothing beat sequential' "$tmp/cmp-batch.txt" || fail "batch replay of a compare file: no verdict"
cmp -s "$tmp/cmp-batch.txt" "$tmp/cmp-compare.txt" || fail "batch and compare replays of a compare file differ"

[ "$fails" -eq 0 ]
