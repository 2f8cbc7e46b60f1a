# The Compare view.  A recorded comparison opens on seed 001's table with
# its verdict and a small timeline per executor.  Then, live: c runs the
# scenario on screen on every executor, one after another, and the table
# fills in as they end, ending with a verdict.
. "$(dirname "$0")/lib.sh"
start 100 34
run --replay tests/e2e/fixtures/spinner-cpu.json
wait_for '■ DONE'
wait_for 'Nothing beat sequential'
golden compare_done
keys j j j
wait_for '─ asyncio · pseudo-parallel '
quit_ok

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup' EXIT
printf '[scenario]\nname = two-waits\ntitle = Two short waits\nbackend = threads\n[task A]\nsteps = sleep 40\n[task B]\nsteps = sleep 40\n' >"$tmp/two.ini"
run "$tmp/two.ini"
wait_for '■ DONE' 20
keys c
wait_for 'executor +model +wall +CPU +speedup' 5
wait_for 'the verdict comes when all have run' 5
wait_gone 'the verdict comes when all have run' 90
shot=$(screen)
for ex in sequential threads threads-1core processes pool gil asyncio green callbacks; do
	echo "$shot" | grep -Eq "^ $ex +[a-z-]+ +[0-9.]+ m?s +[0-9.]+ m?s +[0-9.]+×" ||
		fail "no measured row for $ex"
done
echo "$shot" | grep -q 'waiting for its turn' && fail "a run never had its turn"
echo "$shot" | grep -q 'Compare' || fail "no Compare tab"
# Sleeps overlap on every executor but sequential: at least one is clearly faster.
echo "$shot" | grep -Eq '^ (threads|asyncio) .* (1\.[5-9]|[2-9]\.[0-9])×' ||
	fail "waits should overlap on threads or asyncio"
quit_ok
