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
# The reveal says what this run measured (which choice is nearest is the run's to say).
wait_for 'threads took [0-9.]+ s' 10
keys n
wait_for 'beat 2 of 2: One after the other'
wait_for 'Does anything run at the same instant'
# One after the other nothing runs at once, on any machine: yes is wrong, no is right.
keys 1
wait_for 'you said yes; the run says 2\) no' 10
keys p
wait_for 'beat 1 of 2'
wait_for 'How long do the two sleeps take on threads'
keys p
wait_for 'this is the first beat'
keys n
wait_for 'beat 2 of 2: One after the other'
keys 2
wait_for 'right! on sequential at most [01] tasks? ran at the same instant: 2\) no' 10
keys n
wait_for 'this is the last beat'
# The help says the lesson's keys too.
keys '?'
wait_for 'lesson: n next beat · p previous beat · 1-9 answer the question'
keys x
wait_gone 'conctui keys'
quit_ok
