#!/bin/sh
# Runs each cmocka test binary given as an argument, each in its own process
# with a time limit, and ends with one "N passed, N failed" line.
# TEST_TIMEOUT (seconds, default 300) bounds each binary.
set -u
passed=0
failed=0
skipped=0
failures=""
for t in "$@"; do
	name=$(basename "$t")
	out=$(timeout "${TEST_TIMEOUT:-300}" "$t" 2>&1)
	rc=$?
	n_ok=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	n_bad=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	n_skip=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	passed=$((passed + ${n_ok:-0}))
	skipped=$((skipped + ${n_skip:-0}))
	if [ "$rc" -ne 0 ]; then
		failed=$((failed + ${n_bad:-1}))
		failures="$failures $name"
		printf '%s\n' "$out"
		echo "FAIL $name (exit $rc)"
	else
		echo "ok   $name (${n_ok:-0} tests${n_skip:+, $n_skip skipped})"
	fi
done
echo "unit${SAN:+ ($SAN)}: $passed passed, $skipped skipped, $failed failed"
[ "$failed" -eq 0 ] || { echo "failed:$failures"; exit 1; }
