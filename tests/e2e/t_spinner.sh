# Seed 004's spinner.  A recorded comparison of spinner-cpu: on the Spinner
# view threads, processes and the GIL keep turning while asyncio is frozen
# (the same screen, played slowly, shows it frozen while slow() runs), and
# every one answers 42.  Then a live run of the spinner sequence: four
# executors one after another, asyncio frozen, the threads turning.
. "$(dirname "$0")/lib.sh"
start 100 34
run --replay tests/e2e/fixtures/spinner-cpu.json
wait_for '■ DONE'
keys BTab
wait_for 'Spinner while slow'
wait_for ' asyncio · pseudo-parallel'
golden spinner_done
[ "$(screen | grep -c 'Answer: 42')" -eq 5 ] || fail "every slow() should have returned 42"
screen | grep -A1 ' asyncio · ' | grep -q 'frozen 600 ms' || fail "asyncio's spinner should be frozen"
screen | grep -A1 ' threads · ' | grep -q 'largest gap 100 ms · kept turning' ||
	fail "the threads' spinner should have kept turning"

# Played at a tenth of the speed: while slow() runs, asyncio's spinner is
# frozen after one frame while the threads' one thinks and turns, its glyph
# the one of the frames it has drawn (\|/- over and over).
keys '[' '[' '[' Home
wait_for '‖ PAUSED'
keys Space
wait_for 'thinking! +frames 1 +frozen [0-9]+ ms' 20
keys Space
wait_for '‖ PAUSED'
row=$(screen | grep -A1 ' threads · ' | tail -1)
echo "$row" | grep -q 'thinking!' || fail "threads should be thinking: $row"
n=$(echo "$row" | sed -n 's/.*frames \([0-9]*\).*/\1/p')
[ -n "$n" ] && [ "$n" -ge 3 ] || fail "the threads' spinner should have turned: $row"
want=$(printf '%s' '\|/-' | cut -c$(( (n - 1) % 4 + 1 )))
[ "$(echo "$row" | cut -c4)" = "$want" ] || fail "frame $n should show '$want': $row"
keys End
wait_for '■ DONE'
quit_ok

# Live: the spinner scenario opens on this view and runs four executors in turn.
run --scale 0.5 spinner-cpu
wait_for 'waiting for its turn' 10
wait_for '■ DONE' 90
[ "$(screen | grep -c 'Answer: 42')" -eq 4 ] || fail "four runs should have answered"
screen | grep -A1 ' asyncio · ' | grep -q 'never ran' ||
	fail "asyncio's spinner should never run: slow() never gives the loop back"
frames() { screen | grep -A1 " $1 · " | tail -1 | sed -n 's/.*frames \([0-9]*\).*/\1/p'; }
ft=$(frames threads) fa=$(frames asyncio)
[ -n "$ft" ] && [ -n "$fa" ] && [ "$ft" -ge $((fa * 4)) ] ||
	fail "threads drew $ft frames, asyncio $fa: threads should turn all along"
quit_ok
