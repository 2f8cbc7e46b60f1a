# Options honoured in the TUI, and terminals it cannot draw on refused.
. "$(dirname "$0")/lib.sh"
start 100 30

# env_run VARS ARGS...: like run, with VARS (NAME=value ...) in the program's environment.
env_run() { v=$1; shift; tm send-keys -l "cd '$ROOT' && env $v '$BIN' $*; echo EXIT=\$?"; tm send-keys Enter; }

# A terminal without cursor addressing: one line suggesting --batch, exit 2.
env_run TERM=dumb seed-sleep
wait_for '^EXIT=' 10
screen | grep -q '^EXIT=2' || fail "TERM=dumb: want exit 2"
screen | tr -d '\n' | grep -q 'conctui: this terminal (TERM=dumb) cannot move the cursor (try --batch)' ||
	fail "TERM=dumb: no one-line refusal"
tm send-keys -l 'clear'; tm send-keys Enter
wait_gone 'EXIT=' 5

# --json and --trace: written when the run ends, and again after r.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup' EXIT
printf '[scenario]\nname = two-waits\n[task A]\nsteps = sleep 30\n[task B]\nsteps = cpu 20\n' >"$tmp/two.ini"
# in_tmp ARGS...: like run, from the temporary directory (where w saves).
in_tmp() { tm send-keys -l "cd '$tmp' && '$BIN' $*; echo EXIT=\$?"; tm send-keys Enter; }
# wait_file PATH: until it exists, or fail.
wait_file() {
	n=100
	while [ ! -s "$1" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -s "$1" ] || fail "$1 was never written"
}
in_tmp --json run.json --trace run.trace.json two.ini
wait_for '■ DONE' 20
wait_file "$tmp/run.json"
wait_file "$tmp/run.trace.json"
wait_for 'wrote run.json and run.trace.json' 5
"$BIN" --batch --replay "$tmp/run.json" >"$tmp/replay.txt" || fail "the TUI's --json does not replay"
grep -q '^A ' "$tmp/replay.txt" || fail "the TUI's record has no task A"
grep -q '"traceEvents"' "$tmp/run.trace.json" || fail "the TUI's --trace is not a Chrome trace"
rm -f "$tmp/run.json"
keys r
wait_file "$tmp/run.json"

# w saves what is on screen next to where the program started, and says where.
keys w
wait_for 'saved to conctui-two-waits-[0-9]{8}-[0-9]{6}\.json' 5
saved=$(ls "$tmp"/conctui-two-waits-*.json 2>/dev/null | head -n 1)
[ -n "$saved" ] || fail "w saved no file"
"$BIN" --batch --replay "$saved" >/dev/null || fail "the file w saved does not replay"
quit_ok
