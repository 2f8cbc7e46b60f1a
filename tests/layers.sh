#!/bin/sh
# layers.sh [--self-test] [ROOT] -- checks that src/ is layered as the data
# flows: a file includes headers of its own layer and of the layers below it,
# never above, and only src/ui/tui_term.c includes curses.  Each include that
# breaks a rule is printed as "file:line: ..."; the exit status is 1 then.
#
# The build enforces the same rules (each layer is compiled with the include
# paths of the layers below it only); this script says which rule was broken
# and where.  --self-test copies the tree, adds an include that points up,
# and checks that the script catches it.
set -u
LAYERS="core exec run out ui cli"
CURSES=src/ui/tui_term.c # the one file that calls curses

check() {
	root=$1
	(cd "$root" && ls src/*/*.h) >"$tmp/headers"
	(cd "$root" && awk -v layers="$LAYERS" -v curses="$CURSES" '
	BEGIN {
		n = split(layers, l, " ")
		for (i = 1; i <= n; i++)
			rank[l[i]] = i
	}
	FNR == NR { split($0, p, "/"); home[p[3]] = p[2]; next }
	FNR == 1 {
		files++
		split(FILENAME, p, "/")
		layer = p[2]
		if (!(layer in rank)) {
			printf "%s: src/%s is not a layer (%s)\n", FILENAME, layer, layers
			bad = 1
		}
	}
	/^#include <(curses|ncurses|term)\.h>|^#include <ncursesw\// {
		if (FILENAME != curses) {
			printf "%s:%d: includes %s: only %s may call curses\n",
			       FILENAME, FNR, $2, curses
			bad = 1
		}
	}
	/^#include "/ {
		inc = $2
		gsub(/"/, "", inc)
		if (!(inc in home)) {
			printf "%s:%d: includes \"%s\", which is in no layer\n", FILENAME, FNR, inc
			bad = 1
		} else if (rank[home[inc]] > rank[layer]) {
			printf "%s:%d: includes \"%s\" from %s, above %s (order: %s)\n",
			       FILENAME, FNR, inc, home[inc], layer, layers
			bad = 1
		}
	}
	END {
		if (!bad)
			printf "layers: %d files in %s; every include points down\n", files, layers
		exit bad
	}' "$tmp/headers" src/*/*.[ch])
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${1:-}" = --self-test ]; then
	root=${2:-.}
	mkdir "$tmp/tree"
	cp -r "$root/src" "$tmp/tree/"
	printf '#include "tui.h"\n' >>"$tmp/tree/src/core/clock.c"
	printf '#include <curses.h>\n' >>"$tmp/tree/src/ui/grid_probe.c"
	# The program around the terminal module does not call curses either.
	printf '#include <curses.h>\n' >>"$tmp/tree/src/ui/tui.c"
	out=$(check "$tmp/tree")
	if printf '%s\n' "$out" | grep -q 'src/core/clock.c:.*"tui.h" from ui, above core' &&
		printf '%s\n' "$out" | grep -q 'src/ui/grid_probe.c:1: includes <curses.h>' &&
		printf '%s\n' "$out" | grep -q 'src/ui/tui.c:[0-9]*: includes <curses.h>'; then
		echo "layers: self-test: an include that points up and a stray curses include are caught"
		exit 0
	fi
	printf '%s\n' "$out"
	echo "layers: self-test FAILED: the rules let a bad include through"
	exit 1
fi
check "${1:-.}"
