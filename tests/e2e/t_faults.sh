#!/bin/sh
# Faults through the real binary: SIGINT and SIGTERM end a batch run
# within a second on every executor that forks or spawns, with exit status
# 1, nothing written, and no process of the run left behind.
set -u
BIN=${CONCTUI_BIN:-./conctui}
tmp=$(mktemp -d /tmp/conctui-faults-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "  t_faults: $*"; fails=$((fails + 1)); }

# A scenario whose path is unique, so leftovers can be found by it.
sc="$tmp/long-$$.ini"
printf '[scenario]\n[task A]\nsteps = sleep 20000\n[task B]\nsteps = cpu 20000\n[task C]\nsteps = io 20000\n' >"$sc"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

for backend in sequential threads processes pool gil asyncio green callbacks; do
	for sig in INT TERM; do
		"$BIN" --batch -b "$backend" --json "$tmp/out.json" "$sc" >/dev/null 2>"$tmp/err" &
		pid=$!
		sleep 0.4
		start=$(now_ms)
		kill -"$sig" "$pid"
		wait "$pid"
		rc=$?
		took=$(( $(now_ms) - start ))
		[ "$rc" -eq 1 ] || fail "$backend SIG$sig: exit $rc, want 1"
		[ "$took" -lt 1000 ] || fail "$backend SIG$sig: took $took ms to stop"
		grep -q "interrupted" "$tmp/err" || fail "$backend SIG$sig: no message"
		[ -e "$tmp/out.json" ] && fail "$backend SIG$sig: wrote its record anyway"
		sleep 0.2
		left=$(pgrep -f "$sc" | wc -l)
		[ "$left" -eq 0 ] && continue
		fail "$backend SIG$sig: $left processes left: $(pgrep -a -f "$sc")"
		pkill -KILL -f "$sc"
	done
done

# The latency server goes with the program, whatever the exit path.
"$BIN" --batch -b threads "$sc" >/dev/null 2>&1 &
pid=$!
sleep 0.4
kill -KILL "$pid"
wait "$pid" 2>/dev/null
sleep 0.5
left=$(pgrep -f "$sc" | wc -l)
[ "$left" -eq 0 ] || { fail "after SIGKILL: $left processes left"; pkill -KILL -f "$sc"; }

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
