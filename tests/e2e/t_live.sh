# A live run: LIVE while it records, space pauses it (the clock stops),
# space again resumes, and it ends DONE with its figures.
. "$(dirname "$0")/lib.sh"
start 100 30
run --scale 3 seed-sleep
wait_for '● LIVE'
screen | grep -q 'seed-sleep │ threads' || fail "header should name scenario and executor"
keys Space
wait_for '‖ PAUSED'
t1=$(screen | sed -n 's/.*t=\([0-9.]* m\?s\) \/.*/\1/p' | head -1)
sleep 0.5
t2=$(screen | sed -n 's/.*t=\([0-9.]* m\?s\) \/.*/\1/p' | head -1)
[ -n "$t1" ] && [ "$t1" = "$t2" ] || fail "paused, the cursor moved ($t1 -> $t2)"
keys Space
wait_gone '‖ PAUSED' 3
keys End
wait_for '■ DONE' 10
wait_for 'wall [0-9.]+ (ms|s) · cpu'
quit_ok
