# Text from a stranger's file never drives the terminal: scenario files and
# records with ESC, CR, LF, C1 and bidi controls, bytes that are not UTF-8
# and overlong values in every text field.  A bad file gives exit 2 and one
# inert line on stderr; an odd but valid one runs, and the --batch output,
# the error lines and the TUI show the escapes instead of acting on them.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/conctui-escape-XXXXXX)
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

ESC=$(printf '\033')
LONG=$(head -c 150 /dev/zero | tr '\0' 'L')
# A value with every kind of trouble: CSI, OSC (sets a window title), CR,
# C1 CSI in UTF-8 form, a bidi override, DEL, bytes that are not UTF-8.
BAD='\033[31mRED\033]0;pwned\007\r\302\2332J\342\200\256\177\377\376'
# The same without ']', which would end a section header first.
BADS='\033[31mRED\r\302\2332J\342\200\256\177\377\376'
# The same inside a JSON string (records hold valid JSON only).
JBAD='\u001b[31mRED\u001b]0;pwned\u0007\r\n\u009b2J\u202e\u007f'

# inert FILE: no byte below 0x20 but the line ends, no DEL, no C1 in UTF-8.
inert() {
	n=$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$1" | wc -c)
	[ "$n" -eq 0 ] || return 1
	! LC_ALL=C grep -aq "$(printf '\302[\200-\237]')" "$1"
}

# bad_input NAME ARGS...: exit 2, nothing on stdout, one inert line on stderr.
bad_input() {
	what=$1
	shift
	"$BIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ "$rc" -eq 2 ] || fail "$what: exit $rc, want 2"
	[ -s "$tmp/out" ] && fail "$what: wrote to stdout"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: stderr is not one line: $(cat -v "$tmp/err")"
	inert "$tmp/err" || fail "$what: a raw control byte on stderr: $(cat -v "$tmp/err")"
}

# echoed NAME ARGS...: the same, and the message shows the value escaped.
echoed() {
	bad_input "$@"
	grep -q '\\x1b\|\\n\|\\xff\|…' "$tmp/err" || fail "$1: nothing shown escaped: $(cat "$tmp/err")"
}

# ---- scenario files that are wrong: each field that is echoed ----------------

sc() { printf "[scenario]\nname = x\n$1\n[task A]\nsteps = sleep 5\n$2\n" >"$tmp/$3.ini"; }
sc "" "[task a$BADS]\nsteps = sleep 5" task-name
sc "$LONG$BAD = 1" "" unknown-key
sc "workers = 2$BAD" "" workers
sc "wait = all$BAD" "" wait
sc "gil = new$BAD" "" gil
sc "backend = t$BAD" "" backend
sc "switch_interval = 5$BAD" "" switch-interval
sc "" "[bogus$BADS]" section
sc "" "[task B]\nsteps = cpu$BAD 5" step-kind
sc "" "[task B]\nsteps = cpu 5$BAD" duration
sc "" "[task B]\nsteps = cpu 5 $LONG$BAD" step-extra
sc "" "[task B]\nsteps = cpu 5\ncount = 2$BAD" count
sc "" "[task B]\nsteps = cpu 5\n$BAD = 1" task-key
for f in task-name unknown-key workers wait gil backend switch-interval section step-kind duration \
	step-extra count task-key; do
	echoed "scenario $f" --batch "$tmp/$f.ini"
done
# The file's own name, a scenario that is not there, and command-line values.
cp "$tmp/task-name.ini" "$tmp/$(printf 'name\033[31m\n').ini"
echoed "scenario file name" --batch "$tmp/$(printf 'name\033[31m\n').ini"
echoed "unknown scenario" --batch "$(printf "nope$BAD")"
echoed "unknown executor" --batch -b "$(printf "x$BAD")" hello
echoed "replay file name" --batch --replay "$tmp/$(printf "none$BAD")"

# ---- records that are wrong ---------------------------------------------------

rec() {
	printf '{"conctui": 1, "scenario": "s", "backend": "threads", "model": "%s", "cores": 1,
 "wall_ms": 1.0, "cpu_ms": 0.0, "tasks": [{"id": 0, "name": "A", "outcome": "%s",
 "start_ms": 0.0, "end_ms": 1.0, "spans": [{"state": "%s", "t0": 0.0, "t1": 1.0, "cpu": 0,
 "reason": "r"}]}]}\n' "$1" "$2" "$3" >"$tmp/$4.json"
}
rec "parallel" "d\\ne" "running" outcome-newline
rec "parallel$JBAD" "done" "running" model
rec "parallel" "done$JBAD" "running" outcome
rec "parallel" "done" "running$JBAD$LONG" state
for f in outcome-newline model outcome state; do
	echoed "record $f" --batch --replay "$tmp/$f.json"
done
# Raw control bytes and junk are not JSON: jansson's quote of them is escaped too.
printf "{\"conctui\": 1, \"scenario\": \"a$BAD\"}" >"$tmp/raw.json"
bad_input "record raw bytes" --batch --replay "$tmp/raw.json"
printf '{"conctui": 1, "scenario": "\377\376"}' >"$tmp/junk.json"
bad_input "record junk" --batch --replay "$tmp/junk.json"

# ---- odd but valid: the run goes on and shows escapes ----------------------------

printf "[scenario]
name = n$BAD
title = t$BAD
  $(echo "$LONG" | cut -c 1-80)
source = s$BAD
backend = threads
narration = one$BAD two
narration = $LONG$BAD

[task A]
steps = sleep 30
" >"$tmp/odd.ini"
"$BIN" --batch "$tmp/odd.ini" >"$tmp/out" 2>"$tmp/err" </dev/null || fail "odd scenario: exit $?"
inert "$tmp/out" || fail "odd scenario: a raw control byte in --batch output"
inert "$tmp/err" || fail "odd scenario: a raw control byte on stderr"
grep -q 'n\\x1b\[31mRED\\x1b\]0;pwned\\x07\\r\\u009b2J\\u202e\\x7f\\xff\\xfe' "$tmp/out" ||
	fail "odd scenario: the name is not shown escaped: $(head -n 1 "$tmp/out")"

printf '{"conctui": 1, "scenario": "n%s", "title": "t%s%s", "backend": "threads%s",
 "model": "parallel", "cores": 1, "wall_ms": 40.0, "cpu_ms": 1.0,
 "tasks": [{"id": 0, "name": "A%s", "outcome": "done", "start_ms": 0.0, "end_ms": 40.0,
  "spans": [{"state": "running", "t0": 0.0, "t1": 10.0, "cpu": 0, "reason": "r%s"},
            {"state": "sleep", "t0": 10.0, "t1": 40.0, "cpu": -1, "reason": "%s%s"}]}]}\n' \
	"$JBAD" "$JBAD" "$LONG" "$JBAD" "$JBAD" "$JBAD" "$LONG" "$JBAD" >"$tmp/odd.json"
"$BIN" --batch --replay "$tmp/odd.json" >"$tmp/out" 2>"$tmp/err" </dev/null ||
	fail "odd record: exit $?"
inert "$tmp/out" || fail "odd record: a raw control byte in --batch output"
inert "$tmp/err" || fail "odd record: a raw control byte on stderr"
grep -q 'n\\x1b\[31mRED' "$tmp/out" || fail "odd record: the scenario is not shown escaped"
grep -q '^A\\x1b' "$tmp/out" || fail "odd record: the task name is not shown escaped"

# ---- the TUI: escapes on screen, and the pane's title left alone ---------------

start 120 30
tm select-pane -T clean
for what in "$tmp/odd.ini" "--replay $tmp/odd.json"; do
	run "$what"
	wait_for 'x1b\[31mRED' 10
	wait_for '■ DONE' 10
	[ "$(tm display-message -p '#{pane_title}')" = clean ] ||
		fail "TUI $what: the file set the pane's title"
	keys q
	wait_for '^EXIT=0' 10
	tm send-keys -l clear
	keys Enter
	wait_gone 'RED' 5
done
exit 0
