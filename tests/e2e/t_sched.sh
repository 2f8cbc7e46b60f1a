# You are the scheduler: a deadlock caught on real threads and named on
# screen, a challenge won and lost by the picks given, and the GIL's time
# slice turned like a dial.
. "$(dirname "$0")/lib.sh"
start 100 30
# next: q, then a clear shell for the next run (no stale EXIT= line).
next() {
	quit_ok
	tm send-keys -l 'clear'
	tm send-keys Enter
	wait_gone 'EXIT=' 5
}
run deadlock
wait_for '■ DONE' 15
wait_for 'deadlock: A holds a, waits for b; B holds b, waits for a' 5
next
run --picks B,B challenge-4
wait_for '■ DONE' 15
wait_for 'goal-met: goal met: goal: a deadlock' 5
next
run --picks A challenge-4
wait_for '■ DONE' 15
wait_for 'goal-missed' 5
screen | grep -q 'goal-met' && fail "challenge-4 won with --picks A"
next
run challenge-3
wait_for '■ DONE' 15
keys '<'
wait_for 'GIL switch interval 2.5 ms: running again' 5
wait_for '■ DONE' 15
keys '>'
keys '>'
wait_for 'GIL switch interval 10 ms: running again' 5
quit_ok
