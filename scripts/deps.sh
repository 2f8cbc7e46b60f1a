#!/bin/sh
# deps.sh -- what `make deps` runs: finds what building and testing conctui
# needs, asking pkg-config for the libraries and looking for the tools on
# PATH, and installs only what is really missing with apt-get (as root or
# through sudo).  Without apt-get it names what is missing and the packages
# to ask for elsewhere.  It says what it found and what it did.
#
# Lists of names are split on white space on purpose: no name has any.
# shellcheck disable=SC2086
set -u

# One line per need: name, how it is checked (pc: pkg-config module, tool:
# a command, fuzzer: clang links a libFuzzer target), then the package that
# provides it on Debian/Ubuntu, Fedora, Arch and Homebrew ("-": none, see
# the README).  Only the Debian names are tested; the others are best-effort.
NEEDS='
cc           tool   gcc              gcc                gcc          -
pkg-config   tool   pkg-config       pkgconf-pkg-config pkgconf      pkgconf
ncursesw     pc     libncurses-dev   ncurses-devel      ncurses      ncurses
libuv        pc     libuv1-dev       libuv-devel        libuv        libuv
inih         pc     libinih-dev      inih-devel         libinih      inih
jansson      pc     libjansson-dev   jansson-devel      jansson      jansson
cmocka       pc     libcmocka-dev    libcmocka-devel    cmocka       cmocka
hiredis      pc     libhiredis-dev   hiredis-devel      hiredis      hiredis
redis-server tool   redis-server     redis              redis        redis
tmux         tool   tmux             tmux               tmux         tmux
clang        tool   clang            clang              clang        llvm
clang-format tool   clang-format     clang-tools-extra  clang        clang-format
libFuzzer    fuzzer libclang-rt-dev  compiler-rt        compiler-rt  llvm
'
PC_MODULES=$(echo "$NEEDS" | awk '$2 == "pc" { printf "%s ", $1 }')

# has NAME KIND: whether this system has it now.
has() {
	case $2 in
	pc) command -v pkg-config >/dev/null && pkg-config --exists "$1" ;;
	tool) command -v "$1" >/dev/null ;;
	fuzzer)
		command -v clang >/dev/null || return 1
		tmp=$(mktemp -d) || return 1
		echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
			{ (void)d; (void)n; return 0; }' >"$tmp/f.c"
		clang -fsanitize=fuzzer -o "$tmp/f" "$tmp/f.c" >/dev/null 2>&1
		rc=$?
		rm -rf "$tmp"
		return $rc
		;;
	esac
}

# missing: the names of the needs this system lacks, one a line.
missing() {
	all_pc=no
	command -v pkg-config >/dev/null && pkg-config --exists $PC_MODULES && all_pc=yes
	echo "$NEEDS" | while read -r name kind rest; do
		[ -n "$name" ] || continue
		[ "$kind" = pc ] && [ $all_pc = yes ] && continue
		has "$name" "$kind" || echo "$name"
	done
}

# packages COLUMN NAME...: the packages providing NAMEs (3 Debian, 4
# Fedora, 5 Arch, 6 Homebrew), each once.
packages() {
	col=$1
	shift
	for n in "$@"; do echo "$NEEDS" | awk -v n="$n" -v c="$col" '$1 == n && $c != "-" { print $c }'; done |
		awk '!seen[$0]++' | tr '\n' ' ' | sed 's/ $//'
}

lacking=$(missing | tr '\n' ' ' | sed 's/ $//')
if [ -z "$lacking" ]; then
	echo "deps: all present: $PC_MODULES(pkg-config), $(echo "$NEEDS" |
		awk '$2 != "pc" && $1 { printf "%s%s", sep, $1; sep = " " }'); nothing installed"
	exit 0
fi
echo "deps: missing: $lacking"
command -v pkg-config >/dev/null ||
	echo "deps: (without pkg-config the libraries cannot be checked: all are counted missing)"

if ! command -v apt-get >/dev/null; then
	{
		echo "deps: no apt-get here; install these with the system's package manager"
		echo "  Fedora:   dnf install $(packages 4 $lacking)"
		echo "  Arch:     pacman -S $(packages 5 $lacking)"
		echo "  Homebrew: brew install $(packages 6 $lacking)"
		echo "  (package names other than Debian's are best-effort; see README)"
	} >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null; then
	sudo="sudo"
else
	echo "deps: run as root or install sudo to install: $(packages 3 $lacking)" >&2
	exit 1
fi

# A fresh machine has empty package lists: update them first.
debs=$(packages 3 $lacking)
echo "deps: installing with apt-get: $debs"
$sudo apt-get update -q || exit 1
# The llvm-defaults package follows the default clang; older releases have
# only the versioned one.
case " $debs " in
*" libclang-rt-dev "*)
	if ! apt-cache show libclang-rt-dev >/dev/null 2>&1; then
		v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
		debs=$(echo " $debs " | sed "s/ libclang-rt-dev / libclang-rt-${v:-14}-dev /")
	fi
	;;
esac
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $debs || exit 1
echo "deps: installed: $debs"

still=$(missing | tr '\n' ' ' | sed 's/ $//')
if [ -n "$still" ]; then
	echo "deps: still missing after apt-get: $still" >&2
	exit 1
fi
