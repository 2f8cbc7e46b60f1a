# C measures what each model costs on a thread of its own: the screen says
# so at once and still answers (q leaves at once, mid-measurement), then
# the Costs view shows the four units' start, switch and memory as bars.
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
keys C
wait_for 'measuring what a thread, a process, a coroutine'
screen | grep -q 'Figures  Costs' || fail "no Costs tab while measuring"
keys q
wait_for '^EXIT=0' 5

run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
keys C
wait_for 'measuring what a thread'
keys Tab
wait_for '^ A +█' 5
keys BTab
wait_for 'Start one and see it end' 90
for unit in thread process coroutine 'green thread'; do
	[ "$(screen | grep -Ec "^   $unit +([0-9.]+|n/a)( |\$)")" -eq 3 ] || fail "no three figures for $unit"
done
screen | grep -q 'For 10,000 connections, one unit each: [0-9.]* MiB as threads' ||
	fail "no C10K sentence"
quit_ok
