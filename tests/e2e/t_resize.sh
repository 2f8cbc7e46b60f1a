# Too small a terminal asks to be enlarged; growing it back restores the view.
. "$(dirname "$0")/lib.sh"
start 100 30
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
tm resize-window -x 40 -y 10
wait_for 'please enlarge the terminal'
wait_for '\(needs 60x16, have 40x10\)'
golden small
tm resize-window -x 80 -y 24
wait_for 'Timeline +Cores +Figures'
screen | grep -q 'please enlarge' && fail "the enlarge message stayed"
golden replay_80x24
quit_ok
