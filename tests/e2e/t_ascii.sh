# --ascii: the same screen in ASCII only.
. "$(dirname "$0")/lib.sh"
start 100 30
run --ascii --replay tests/e2e/fixtures/gil.json
wait_for '# DONE'
golden ascii_done
screen | LC_ALL=C grep -q '[^ -~]' && fail "a non-ASCII character on the screen"
quit_ok
