# ? shows every key; any key closes the help.
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
keys '?'
wait_for 'conctui keys'
golden help
keys x
wait_gone 'conctui keys'
quit_ok
