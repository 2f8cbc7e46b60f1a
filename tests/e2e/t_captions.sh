# Captions as cause -> effect: stepping over GIL hand-offs only (t), every
# caption names the task that let go and the one that took over; y jumps to
# the cause and Y comes back; the connector joins the two tasks' rows.  The
# same in ASCII without colour.
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil-handoff.json
wait_for '■ DONE'
keys g
wait_for '‖ PAUSED'
screen | grep -q 't=0.0 ms / 30.0 ms' || fail "g should go to 0"
keys t t
wait_for 'steps: GIL hand-offs'
keys Right
wait_for 't=5.0 ms  A is forced to drop the GIL after 5.0 ms \(B waited 5.0 ms\) → B takes it, runs on core 1'
golden captions_handoff
keys Right
wait_for 't=10.0 ms  B is forced to drop the GIL after 5.0 ms \(A waited 5.0 ms\) → A takes it, runs on core 0'
keys Right
wait_for 't=15.0 ms  A is forced to drop the GIL after 5.0 ms \(B waited 5.0 ms\) → B takes it'
keys Right
wait_for 't=20.0 ms  B sleeps and releases the GIL → A takes it, runs on core 0'
keys Right
wait_for 'no later one \(stepping over GIL hand-offs'
keys y
wait_for 't=20.0 ms  B: sleep 10 ms → A takes the GIL, runs on core 0'
keys Y
wait_for 't=20.0 ms  B sleeps and releases the GIL'
# Back to every change: the next one is B's own.
keys t t t
wait_gone 'steps:'
quit_ok

keys clear Enter
wait_gone '^EXIT=0' 5
tm send-keys -l "cd '$ROOT' && NO_COLOR=1 '$BIN' --ascii --replay tests/e2e/fixtures/gil-handoff.json; echo EXIT=\$?"
tm send-keys Enter
wait_for '# DONE'
keys g t t Right
wait_for 't=5.0 ms  A is forced to drop the GIL after 5.0 ms \(B waited 5.0 ms\) -> B takes it'
golden captions_ascii
screen | LC_ALL=C grep -q '[^ -~]' && fail "a non-ASCII character on the screen"
quit_ok
