# Honest at any zoom, and a place for everything: a GIL battle of 5 ms holds
# over a second draws mixed cells (never 80 ms blocks), in ASCII and without
# colour, with the legend saying so; sixty copies fold into one group row
# that Enter expands and / searches; at 80x24 nothing overwrites the legend,
# the narration or the key bar.
. "$(dirname "$0")/lib.sh"
start 80 24
run --no-color --replay tests/e2e/fixtures/battle.json
wait_for '■ DONE'
golden layout_battle_80x24
screen | grep -q '▚ mixed [0-9]* +' || fail "the legend should count the mixed cells"
screen | grep -Eq '^ A +▚{40}' || fail "A's holds should be mixed cells, not blocks"
screen | grep -q '? Help' || fail "the key bar should keep ?"
quit_ok

keys clear Enter
wait_gone '^EXIT=0' 5
tm resize-window -x 120 -y 34
run --ascii --replay tests/e2e/fixtures/battle.json
wait_for '# DONE'
golden layout_battle_ascii
screen | LC_ALL=C grep -q '[^ -~]' && fail "a non-ASCII character on the screen"
screen | grep -Eq '^ A +#?\*{20}' || fail "A's holds should be mixed cells in ASCII"
screen | grep -Eq '#{6}' && fail "an ASCII run of # wider than a 5 ms hold"
quit_ok

keys clear Enter
wait_gone '^EXIT=0' 5
tm resize-window -x 80 -y 24
run --replay tests/e2e/fixtures/many.json
wait_for '■ DONE'
golden layout_many_80x24
screen | grep -q '└ 60 tasks at the cursor: 60 done' || fail "the group should count its tasks"
keys Enter
wait_for '^ conn1 '
screen | grep -q 'tasks (j/k, PgUp/PgDn)' || fail "expanded, the tasks should scroll"
keys Escape
wait_for 'conn×60'
keys / c o n n 3 3
wait_for '^/conn33_'
keys Enter
wait_for '^ conn33 '
quit_ok
