#!/bin/sh
# End-to-end tests: each tests/e2e/t_*.sh drives the real binary in tmux.
set -u
dir=$(dirname "$0")
passed=0
failed=0
for t in "$dir"/t_*.sh; do
	[ -e "$t" ] || continue
	if sh "$t"; then passed=$((passed + 1)); echo "ok   $(basename "$t")"
	else failed=$((failed + 1)); echo "FAIL $(basename "$t")"; fi
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
