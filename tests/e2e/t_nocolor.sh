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
# With colour, the same screen does use colours (so the check above can fail).
keys clear Enter
wait_gone '^EXIT=0' 5
run --replay tests/e2e/fixtures/gil.json
wait_for '■ DONE'
tm capture-pane -e -p | grep -Eq "$esc\[([0-9]*;)*3[0-7](;[0-9]*)*m" || fail "no colour codes without NO_COLOR"
quit_ok
