# A lesson in the TUI: the first beat's question is up before its run; a
# digit answers it, the run plays, pauses at its time point, and the answer
# is revealed with the measured figure; n and p move between beats, where a
# wrong answer is told what the run measured.
. "$(dirname "$0")/lib.sh"
start 100 30
run --lesson tests/e2e/fixtures/lesson-small.ini
wait_for 'beat 1 of 2'
wait_for 'How long do the two sleeps take on threads'
wait_for '1\) 0.18 s'
screen | grep -q '● LIVE' && fail "the run started before the question was answered"
keys 1
# The time point at 50 ms pauses the run by itself.
wait_for 'paused: Space goes on' 10
wait_for '‖ PAUSED'
keys Space
wait_for 'threads took [0-9.]+ s' 10
# The answer is judged from the run: the sleeps overlap, 0.18 s is right.
wait_for 'right! threads took'
keys n
wait_for 'beat 2 of 2: One after the other'
wait_for 'Does anything run at the same instant'
keys 1
wait_for 'you said yes; the run says 2\) no' 10
keys p
wait_for 'beat 1 of 2'
wait_for 'How long do the two sleeps take on threads'
keys p
wait_for 'this is the first beat'
quit_ok
