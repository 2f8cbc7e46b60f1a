# make install under a temporary PREFIX, and staged with DESTDIR then moved:
# the installed binary finds its own scenarios (no CONCTUI_DATADIR, another
# working directory), the completion is installed, make uninstall removes
# every file it installed.  Needs no tmux: it runs the binary with --batch.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TEST=t_install
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "$TEST: $*" >&2
	exit 1
}

# mk ARGS...: make in the source tree, quietly, as a user would call it
# (not as part of the make that runs this test).
mk() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" "$@" >"$tmp/make.log" 2>&1 ||
		{ cat "$tmp/make.log" >&2; fail "make $* failed"; }
}

# runs_from PREFIX: the binary under PREFIX lists and runs hello from its
# own share/conctui, with CONCTUI_DATADIR unset, from an unrelated directory.
runs_from() {
	mkdir -p "$tmp/elsewhere"
	list=$(cd "$tmp/elsewhere" && env -u CONCTUI_DATADIR "$1/bin/conctui" --list) ||
		fail "$1/bin/conctui --list failed"
	printf '%s\n' "$list" | head -n 1 | grep -qF "in $1/share/conctui/scenarios:" ||
		fail "$1: scenarios not found where installed: $(printf '%s\n' "$list" | head -n 1)"
	printf '%s\n' "$list" | grep -qF "Lessons (name, beats, title) in $1/share/conctui/lessons:" ||
		fail "$1: lessons not found where installed"
	printf '%s\n' "$list" | grep -q '^  seeds ' || fail "$1: the built-in lesson is not listed"
	out=$(cd "$tmp/elsewhere" && env -u CONCTUI_DATADIR "$1/bin/conctui" --batch hello 2>&1) ||
		fail "$1/bin/conctui --batch hello failed: $out"
	printf '%s\n' "$out" | grep -q '^tasks: 2 done' || fail "$1: hello did not finish: $out"
}

# The prefix given to make install.
mk install PREFIX="$tmp/prefix"
runs_from "$tmp/prefix"
for f in share/man/man1/conctui.1 share/bash-completion/completions/conctui \
	share/conctui/scenarios/hello.ini share/conctui/lessons/seeds.ini \
	share/conctui/programs/hello_threads.py; do
	[ -f "$tmp/prefix/$f" ] || fail "make install did not install $f"
done

# The completion, as installed, asks the installed binary for names.
if command -v bash >/dev/null; then
	got=$(PATH="$tmp/prefix/bin:$PATH" bash -c '
		. "$1/share/bash-completion/completions/conctui"
		COMP_WORDS=(conctui hel); COMP_CWORD=1; cd "$2" && _conctui
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh "$tmp/prefix" "$tmp/elsewhere")
	# The scenario, then the shipped programs of that prefix.
	[ "$got" = "hello hello_asyncio hello_processes hello_threads " ] ||
		fail "installed completion of 'hel' gave: $got"
fi

mk uninstall PREFIX="$tmp/prefix"
left=$(find "$tmp/prefix" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"

# Staged for a package (DESTDIR, PREFIX=/usr), then the tree moved elsewhere.
mk install DESTDIR="$tmp/stage" PREFIX=/usr
mv "$tmp/stage/usr" "$tmp/moved"
runs_from "$tmp/moved"
exit 0
