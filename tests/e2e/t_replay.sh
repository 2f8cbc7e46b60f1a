# A replayed record: the finished screen, then stepping back and forth
# through state changes, each one explained in the caption.
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
golden replay_done
keys Left
wait_for 't=25.0 ms  A: finished'
screen | grep -q 'PAUSED' || fail "stepping should pause"
keys Left Left
wait_for 't=20.0 ms  A: computing on core 0 — holds the GIL'
golden replay_step
keys Right
wait_for 't=20.0 ms  B: sleep 10 ms'
keys Home
wait_for 't=0.0 ms  B: waiting for the GIL \(drop requested\) — A holds it'
keys Space
wait_for '■ DONE'
quit_ok
