# Soak: the TUI re-runs a short scenario (r) forty times; its resident
# memory and its open file descriptors must stay flat.  The baseline is the
# median of samples 5-15 (allocators and thread stacks settle first); the
# median of the last ten may exceed it by 10% of RSS and by 2 descriptors.
# Bounded: it gives up after 60 s.
. "$(dirname "$0")/lib.sh"
RUNS=${SOAK_RUNS:-40}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup' EXIT
printf '[scenario]\nname = soak\ntitle = Short runs, again and again\nbackend = threads\n' >"$tmp/soak.ini"
printf '[task A]\nsteps = cpu 10, io 20, sleep 10\n[task B]\nsteps = sleep 20, cpu 10\n' >>"$tmp/soak.ini"
start 100 30
run "$tmp/soak.ini"
wait_for '■ DONE' 20
shell=$(tm list-panes -F '#{pane_pid}')
pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
[ -n "$pid" ] && [ -r "/proc/$pid/status" ] || fail "cannot find the program's process"

deadline=$(( $(date +%s) + 60 ))
: >"$tmp/rss"
: >"$tmp/fds"
i=0
while [ "$i" -lt "$RUNS" ]; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "soak: only $i runs in 60 s"
	keys r
	sleep 0.1
	wait_for '■ DONE' 20
	awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" >>"$tmp/rss"
	ls "/proc/$pid/fd" | wc -l >>"$tmp/fds"
	i=$((i + 1))
done
quit_ok

# median FILE FROM TO: the median of lines FROM..TO (1-based) of FILE.
median() { sed -n "$2,$3p" "$1" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
rss0=$(median "$tmp/rss" 5 15) rss1=$(median "$tmp/rss" $((RUNS - 9)) "$RUNS")
fd0=$(median "$tmp/fds" 5 15) fd1=$(median "$tmp/fds" $((RUNS - 9)) "$RUNS")
echo "t_soak: $RUNS runs: RSS ${rss0} -> ${rss1} KiB, fds ${fd0} -> ${fd1}" >&2
# ASan keeps freed memory in quarantine, so RSS is judged on plain builds
# (its leak check at exit covers the sanitizer run).
[ -n "$SANITIZED" ] || [ "$rss1" -le $((rss0 + rss0 / 10)) ] || fail "RSS grew: ${rss0} -> ${rss1} KiB over $RUNS runs"
[ "$fd1" -le $((fd0 + 2)) ] || fail "file descriptors grew: ${fd0} -> ${fd1} over $RUNS runs"
