# The strips' key: tasks whose names are not their letters (fib33, fib34)
# get a row "key: A fib33  B fib34" of its own under the cores and GIL
# strips, between them and the legend, at 120x34 and at 80x24.
. "$(dirname "$0")/lib.sh"
start 120 34
run --replay tests/e2e/fixtures/gil-fib.json
wait_for '■ DONE'
golden key_120x34
gil=$(screen | grep -n '^ GIL ' | cut -d: -f1)
screen | sed -n "$((gil + 1))p" | grep -q '^ key: A fib33  B fib34' ||
	fail "the key should follow the GIL strip"
screen | sed -n "$((gil + 2))p" | grep -q '█ running' || fail "the legend should follow the key"
quit_ok

keys clear Enter
wait_gone '^EXIT=0' 5
tm resize-window -x 80 -y 24
run --replay tests/e2e/fixtures/gil-fib.json
wait_for '■ DONE'
golden key_80x24
screen | grep -q '^ key: A fib33  B fib34' || fail "no key at 80x24"
screen | grep -q '? Help' || fail "the key bar should keep ?"
quit_ok
