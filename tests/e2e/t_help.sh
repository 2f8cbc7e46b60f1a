# ? shows every key; any key closes the help, q too (it does not quit).
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
keys '?'
wait_for 'conctui keys'
golden help
keys x
wait_gone 'conctui keys'
keys '?'
wait_for 'conctui keys'
keys q
wait_gone 'conctui keys'
screen | grep -q '^EXIT=' && fail "q in the help should close it, not quit"
screen | grep -q '■ DONE' || fail "the run's screen should be back after q in the help"
quit_ok
