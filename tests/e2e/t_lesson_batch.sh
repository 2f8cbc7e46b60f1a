# --batch --lesson plays every beat: a heading "beat N of M: TITLE", the
# narration, the chart, the question and the answer the run measured.  A bad
# lesson is one line naming the file and the line, exit 2, nothing run.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup' EXIT
"$BIN" --batch --lesson tests/e2e/fixtures/lesson-small.ini >"$tmp/out" 2>"$tmp/err" ||
	fail "--batch --lesson: exit $? ($(cat "$tmp/err"))"
grep -qx 'beat 1 of 2: Two sleeps: 0.8 s and 0.9 s' "$tmp/out" || fail "no heading for beat 1"
grep -qx 'beat 2 of 2: One after the other' "$tmp/out" || fail "no heading for beat 2"
grep -qx '  Two threads sleep at the same time.' "$tmp/out" || fail "no narration"
grep -q '^A  ' "$tmp/out" || fail "no chart"
grep -qx '  question: Does anything run at the same instant?' "$tmp/out" || fail "no question"
grep -qx '    2) no' "$tmp/out" || fail "no choices"
# One after the other, nothing runs at once: the run says so, whatever the machine.
grep -qx '  measured: on sequential at most [01] tasks\? ran at the same instant: the answer is 2) no' \
	"$tmp/out" || fail "beat 2's answer is not the run's"
grep -q '^  measured: threads took [0-9.]* s: the answer is' "$tmp/out" || fail "no measured wall time"
grep -q '^  at 50 ms: pause' "$tmp/out" || fail "no time point"

# Bad lessons: file:line: message, exit 2, nothing on stdout.
printf '[lesson]\nname = bad\n[beat a]\nscenario = hello\nbackend = fibers\n' >"$tmp/bad.ini"
"$BIN" --batch --lesson "$tmp/bad.ini" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "unknown executor: want exit 2"
[ -s "$tmp/out" ] && fail "a bad lesson printed something on stdout"
grep -qx "conctui: $tmp/bad.ini:5: unknown executor \"fibers\" (conctui --list shows them)" \
	"$tmp/err" || fail "unknown executor: $(cat "$tmp/err")"
# The TUI refuses it the same way, before it takes the terminal.
"$BIN" --lesson "$tmp/bad.ini" </dev/null >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "TUI, unknown executor: want exit 2"
grep -q "bad.ini:5: unknown executor" "$tmp/err" || fail "TUI: $(cat "$tmp/err")"
"$BIN" --batch --lesson no-such-lesson >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "unknown lesson: want exit 2"
grep -q 'unknown lesson "no-such-lesson"' "$tmp/err" || fail "unknown lesson: $(cat "$tmp/err")"
# --list shows the lessons under their own heading.
"$BIN" --list >"$tmp/list" || fail "--list exit status"
grep -q '^Lessons (name, beats, title)' "$tmp/list" || fail "--list has no lessons heading"
grep -q '^  seeds  ' "$tmp/list" || fail "--list does not show the built-in lesson"
exit 0
