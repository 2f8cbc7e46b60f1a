# lib.sh -- helpers for the end-to-end tests: each test drives the real
# binary in its own private tmux server (no config), reads screens with
# capture-pane and compares them with goldens.  GENERATE=1 rewrites goldens.
set -u
E2E=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$E2E/../.." && pwd)
BIN=${CONCTUI_BIN:-$ROOT/conctui}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
# Built-in scenarios from this tree, wherever the binary is (sanitizer builds too).
export CONCTUI_DATADIR=${CONCTUI_DATADIR:-$ROOT/assets}
# Set (asan, tsan) when BIN is a sanitizer build: a time measured there
# is the instrumentation's, so timing judgements are left out (timing_ok).
SANITIZED=${CONCTUI_SANITIZED:-}
timing_ok() { [ -z "$SANITIZED" ]; }
SOCK=conctui-e2e-$$
TEST=$(basename "$0" .sh)

tm() { tmux -L "$SOCK" "$@"; }

cleanup() { tm kill-server 2>/dev/null; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "$TEST: $*" >&2
	echo "---- screen ----" >&2
	screen >&2
	echo "----------------" >&2
	exit 1
}

# start W H: a shell in a W x H pane, with a prompt the tests can wait for.
start() {
	tm -f /dev/null new-session -d -x "$1" -y "$2" \
		"env -u NO_COLOR CONCTUI_DATADIR='$CONCTUI_DATADIR' PS1='e2e\$ ' LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen sh" || exit 1
	tm set -g window-size manual
	wait_for 'e2e\$' 5
}

# run ARGS...: types the command line; its exit status shows as EXIT=n.
run() { tm send-keys -l "cd '$ROOT' && '$BIN' $*; echo EXIT=\$?"; tm send-keys Enter; }

keys() { tm send-keys "$@"; }
screen() { tm capture-pane -p; }

# wait_for REGEX [SECONDS]: until the screen matches, or fail.
wait_for() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "timed out waiting for /$1/"
}

# wait_gone REGEX [SECONDS]
wait_gone() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "timed out waiting for /$1/ to go"
}

# golden NAME: the screen (trailing blank lines dropped) equals golden/NAME.
golden() {
	out=$(mktemp)
	screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$out"
	if [ "${GENERATE:-0}" = 1 ]; then
		cp "$out" "$E2E/golden/$1"
		echo "$TEST: wrote golden/$1"
	elif ! diff -u "$E2E/golden/$1" "$out" >&2; then
		rm -f "$out"
		fail "screen differs from golden/$1"
	fi
	rm -f "$out"
}

# quit_and_check_prompt: q ends the program and gives the shell back.
quit_ok() {
	keys q
	wait_for '^EXIT=0' 5
	screen | grep -q 'conctui │' && fail "the program's screen is still up after q"
	return 0
}
