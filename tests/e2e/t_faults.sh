#!/bin/sh
# Faults through the real binary: SIGINT and SIGTERM end a batch run
# (within a second, judged outside sanitizer builds) on every executor
# that forks or spawns, with exit status 1, nothing written, and no
# process of the run left behind.  Waits are for events (the run's signal
# handlers in /proc, processes gone), never for a fixed time.
set -u
BIN=${CONCTUI_BIN:-./conctui}
SANITIZED=${CONCTUI_SANITIZED:-}
tmp=$(mktemp -d /tmp/conctui-faults-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "  t_faults: $*"; fails=$((fails + 1)); }

# A scenario whose path is unique, so leftovers can be found by it.
sc="$tmp/long-$$.ini"
printf '[scenario]\n[task A]\nsteps = sleep 20000\n[task B]\nsteps = cpu 20000\n[task C]\nsteps = io 20000\n' >"$sc"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# until_true SECONDS CMD...: polls CMD until it succeeds; fails after SECONDS.
until_true() {
	n=$(( $1 * 50 )); shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.02
		n=$((n - 1))
	done
	return 1
}

# handles_signals PID: the run has started and took SIGINT and SIGTERM over.
handles_signals() {
	mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$mask" ] && [ $(( 0x$mask & 0x4002 )) -eq $(( 0x4002 )) ]
}

# none_left: no process of the run is left.
none_left() { [ "$(pgrep -f "$sc" | wc -l)" -eq 0 ]; }
# server_up: the program and a forked process of its run (the latency server) are up.
server_up() { [ "$(pgrep -f "$sc" | wc -l)" -ge 2 ]; }

for backend in sequential threads processes pool gil asyncio green callbacks; do
	for sig in INT TERM; do
		"$BIN" --batch -b "$backend" --json "$tmp/out.json" "$sc" >/dev/null 2>"$tmp/err" &
		pid=$!
		until_true 30 handles_signals "$pid" || fail "$backend: the run never took the signals over"
		start=$(now_ms)
		kill -"$sig" "$pid"
		wait "$pid"
		rc=$?
		took=$(( $(now_ms) - start ))
		[ "$rc" -eq 1 ] || fail "$backend SIG$sig: exit $rc, want 1"
		[ -n "$SANITIZED" ] || [ "$took" -lt 1000 ] || fail "$backend SIG$sig: took $took ms to stop"
		grep -q "interrupted" "$tmp/err" || fail "$backend SIG$sig: no message"
		[ -e "$tmp/out.json" ] && fail "$backend SIG$sig: wrote its record anyway"
		until_true 5 none_left && continue
		left=$(pgrep -f "$sc" | wc -l)
		fail "$backend SIG$sig: $left processes left: $(pgrep -a -f "$sc")"
		pkill -KILL -f "$sc"
	done
done

# The latency server goes with the program, whatever the exit path.
"$BIN" --batch -b threads "$sc" >/dev/null 2>&1 &
pid=$!
until_true 30 server_up || fail "threads: the latency server never started"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
until_true 5 none_left || { fail "after SIGKILL: $(pgrep -f "$sc" | wc -l) processes left"; pkill -KILL -f "$sc"; }

# The latency server dying mid-run: the tasks waiting on it fail, one line
# says what happened, and the exit status is 1.  The server is the one child
# of a threads run; the test waits for it to appear, not for a time.
io="$tmp/io-$$.ini"
printf '[scenario]\n[task C]\nsteps = io 20000\n' >"$io"
"$BIN" --batch -b threads "$io" >"$tmp/out" 2>"$tmp/err" &
pid=$!
server=
n=0
while [ -z "$server" ] && [ "$n" -lt 100 ]; do
	server=$(pgrep -P "$pid" | head -n 1)
	sleep 0.1
	n=$((n + 1))
done
[ -n "$server" ] || fail "no latency server appeared"
start=$(now_ms)
[ -n "$server" ] && kill -KILL "$server"
wait "$pid"
rc=$?
took=$(( $(now_ms) - start ))
[ "$rc" -eq 1 ] || fail "latency server killed: exit $rc, want 1"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "latency server killed: want one line on stderr, got: $(cat "$tmp/err")"
grep -q '^conctui: the latency server (pid [0-9]*) was killed by signal 9.*: 1 task failed' "$tmp/err" ||
	fail "latency server killed: stderr says $(cat "$tmp/err")"
grep -Eq '^C .* failed$' "$tmp/out" || fail "latency server killed: task C did not end failed"
# The wait was 20 s: the failure ended it long before.
[ "$took" -lt 5000 ] || fail "latency server killed: took $took ms to end the run"

[ "$fails" -eq 0 ]
