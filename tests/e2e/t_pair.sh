# The Compare view's pair: P draws the picked run and the next one above
# each other on one time axis, every task of each, with one cursor; the
# header names the pair; j puts another run second, → steps both,
# Esc (or P) goes back to the table.  At 120x34 and at 80x24.
. "$(dirname "$0")/lib.sh"
start 120 34
run --replay tests/e2e/fixtures/spinner-cpu.json
wait_for '■ DONE'
wait_for 'Nothing beat sequential'
keys P
wait_for 'pair: sequential vs threads'
golden pair_120x34
screen | grep -q '─ sequential · sequential ─' || fail "no sequential block"
screen | grep -q '─ threads · parallel ─' || fail "no threads block"
screen | grep -q 'executor +model' && fail "the table should give the pair the screen"
keys j
wait_for 'pair: sequential vs processes'
keys Escape
wait_for 'executor +model'
screen | grep -q 'pair:' && fail "Esc should leave the pair"
quit_ok

keys clear Enter
wait_gone '^EXIT=0' 5
tm resize-window -x 80 -y 24
run --replay tests/e2e/fixtures/spinner-cpu.json
wait_for '■ DONE'
keys P
wait_for 'spinner-cpu │ pair: sequential vs threads'
keys End Left Left Left
wait_for 'PAUSED'
golden pair_80x24
screen | grep -q '? Help' || fail "the key bar should keep ?"
keys P
wait_for 'executor +model'
quit_ok
