# NO_COLOR: no colour at all; states still differ by their glyphs.
. "$(dirname "$0")/lib.sh"
start 100 30
esc=$(printf '\033')
tm send-keys -l "cd '$ROOT' && NO_COLOR=1 '$BIN' --replay tests/e2e/fixtures/gil.json; echo EXIT=\$?"
tm send-keys Enter
wait_for '■ DONE'
tm capture-pane -e -p | grep -Eq "$esc\[([0-9]*;)*[34][0-7](;[0-9]*)*m" && fail "colour codes with NO_COLOR"
screen | grep -q '█' && screen | grep -q '╳' || fail "states should differ by glyph"
quit_ok
# With colour, the same screen does use the state colours (so the check above can
# fail), on TERM=screen too, whose 64 colour pairs are just enough: white on
# black alone is what curses draws when colour could not start.
keys clear Enter
wait_gone '^EXIT=0' 5
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
tm capture-pane -e -p | grep -Eq "$esc\[([0-9]*;)*3[1-6](;[0-9]*)*m" || fail "no state colours without NO_COLOR"
quit_ok
