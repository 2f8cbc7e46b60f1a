# Manual play: the user is the scheduler.  Each choice lists the ready
# tasks; a digit or Enter chooses (the run replays up to the next choice),
# u takes the last pick back; a challenge is lost by one order, won by another.
. "$(dirname "$0")/lib.sh"
start 110 30
run --manual challenge-1
wait_for 'your pick #1:  1 A  2 B  3 C' 15
keys 1
wait_for 'your pick #2:  1 B  2 C' 15
keys 1
wait_for 'goal-missed' 15
screen | grep -q 'your pick' && fail "a finished run still asks for a pick"
keys u
wait_for 'your pick #2:  1 B  2 C' 15
screen | grep -q 'goal-m' && fail "undo left the old run's goal on screen"
keys u
wait_for 'your pick #1:  1 A  2 B  3 C' 15
keys 2
wait_for 'your pick #2:  1 A  2 C' 15
keys Enter
wait_for 'goal-met: goal met: every task was done by' 15
quit_ok
