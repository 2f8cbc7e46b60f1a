# Tab cycles the views, s and b open their menus, and picking an executor
# runs the same scenario on it.
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
keys Tab
wait_for 'cpu0 +[0-9]+%'
screen | grep -q 'GIL +[0-9]+%' || screen | grep -Eq 'GIL +[0-9]+%' || fail "no GIL lane in the Cores view"
keys Tab
wait_for 'Task A \(1 of 2\) · done'
screen | grep -q 'time per state' || fail "no time per state in the Figures view"
keys j
wait_for 'Task B \(2 of 2\)'
keys Tab
wait_for '^ A +█'
keys s
wait_for 'Scenarios'
screen | grep -q 'seed-sleep  *Two sleeps' || fail "the scenario list lacks seed-sleep"
keys Escape
wait_gone '─ Scenarios'
keys b
wait_for 'Run this scenario on'
keys g Enter
wait_for 'gil-battle │ sequential' 5
wait_for '■ DONE' 20
quit_ok
