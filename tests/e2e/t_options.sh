# Options honoured in the TUI, and terminals it cannot draw on refused.
. "$(dirname "$0")/lib.sh"
start 100 30

# env_run VARS ARGS...: like run, with VARS (NAME=value ...) in the program's environment.
env_run() { v=$1; shift; tm send-keys -l "cd '$ROOT' && env $v '$BIN' $*; echo EXIT=\$?"; tm send-keys Enter; }

# A terminal without cursor addressing: one line suggesting --batch, exit 2.
env_run TERM=dumb seed-sleep
wait_for '^EXIT=' 10
screen | grep -q '^EXIT=2' || fail "TERM=dumb: want exit 2"
screen | tr -d '\n' | grep -q 'conctui: this terminal (TERM=dumb) cannot move the cursor (try --batch)' ||
	fail "TERM=dumb: no one-line refusal"
tm send-keys -l 'clear'; tm send-keys Enter
wait_gone 'EXIT=' 5
