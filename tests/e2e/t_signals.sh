# Ctrl-C and SIGTERM end the program and give the terminal back, even
# with a run in progress; a bad scenario fails before the screen is taken.
. "$(dirname "$0")/lib.sh"
start 100 30
run --scale 20 seed-sleep
wait_for '● LIVE'
keys C-c
wait_for '^EXIT=0' 5
screen | grep -q 'conctui │' && fail "Ctrl-C left the program's screen up"
keys clear Enter
run --scale 20 seed-sleep
wait_for '● LIVE'
# The program is the pane shell's only child: signal it by its id.
pid=$(pgrep -P "$(tm display -p '#{pane_pid}')" | head -1)
[ -n "$pid" ] || fail "cannot find the program's process"
kill -TERM "$pid"
wait_for '^EXIT=1' 5
screen | grep -q 'conctui │' && fail "SIGTERM left the program's screen up"
keys clear Enter
run /nonexistent/x.ini
wait_for '^EXIT=2' 5
exit 0
