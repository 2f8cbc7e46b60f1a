# No scenario: the overview runs the same tasks three ways, one after
# another, then plays them back together.
. "$(dirname "$0")/lib.sh"
start 100 40
run
wait_for 'Sequential' 5
screen | grep -q 'Pseudo-parallel (one core, interleaved)' || fail "no pseudo-parallel panel"
screen | grep -q 'Parallel (several cores)' || fail "no parallel panel"
wait_for '■ DONE' 30
[ "$(screen | grep -Ec '  wall [0-9.]+ m?s ')" -eq 3 ] || fail "expected three wall times"
screen | grep -q 'executor not available' && fail "an executor is missing"
quit_ok
