# bash completion for conctui(1).
#
# Nothing here repeats the program's lists: the options, and which of them
# take an argument, are read from `conctui --help` (lines starting with "-");
# scenario, lesson and executor names from `conctui --list` (its sections
# "Scenarios ...:", "Lessons ...:", "Programs ...:", "Executors ...:", one indented name per
# line). Both are asked of the conctui being completed, so ./conctui in a
# build tree completes its own scenarios.
#
# Names are split on white space on purpose (they have none); file names
# are split on newlines only.
# shellcheck disable=SC2207

# _conctui_bin: the program on the command line being completed, as a path.
_conctui_bin()
{
	local bin=${COMP_WORDS[0]:-conctui}
	bin=${bin/#\~/$HOME}
	[[ $bin == */* ]] || bin=$(type -P -- "$bin") || return 1
	[[ -x $bin ]] && printf '%s\n' "$bin"
}

# _conctui_options BIN: one line per option name, "NAME LONG ARG": LONG is
# the line's last (long) name, ARG the argument as --help writes it (NAME,
# FILE|-, new|old|off), absent for a flag.
_conctui_options()
{
	"$1" --help 2>/dev/null | awk '/^ +-/ {
		# "  -b, --backend NAME      run on ...": names and argument, then
		# two or more spaces, then the description.
		line = $0; sub(/^ +/, "", line); sub(/  .*/, "", line)
		n = split(line, w, / /); arg = ""
		for (i = 1; i <= n; i++) {
			if (w[i] ~ /^-/) { sub(/,$/, "", w[i]); names[i] = w[i] }
			else { arg = w[i]; break }
		}
		for (j = 1; j < i; j++) print names[j], names[i - 1], arg
	}'
}

# _conctui_list BIN SECTION: the names in one section of `conctui --list`.
_conctui_list()
{
	"$1" --list 2>/dev/null | awk -v want="$2" '
		/^[A-Z]/ { in_section = (index($0, want) == 1); next }
		/^$/ { in_section = 0; next }
		in_section && /^  [^ (]/ { print $1 }'
}

# _conctui_files [EXT]: file names, as readline completes them; with EXT,
# only directories and files ending in .EXT.
_conctui_files()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	if [[ -n ${1-} ]]; then
		COMPREPLY+=($(compgen -d -- "$cur") $(compgen -f -X "!*.$1" -- "$cur"))
	else
		COMPREPLY+=($(compgen -f -- "$cur"))
	fi
}

_conctui()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' bin opts long arg
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	bin=$(_conctui_bin) || return 0
	opts=$(_conctui_options "$bin")

	# The argument of the option before, if that option takes one; names
	# are offered by what the option is called, short or long.
	read -r long arg < <(awk -v o="$prev" '$1 == o { print $2, $3; exit }' <<<"$opts")
	if [[ -n $arg ]]; then
		case $long in
		--backend | --executor) COMPREPLY=($(compgen -W "$(_conctui_list "$bin" Executors)" -- "$cur")) ;;
		--lesson) COMPREPLY=($(compgen -W "$(_conctui_list "$bin" Lessons)" -- "$cur")) ;;
		--scenario) COMPREPLY=($(compgen -W "$(_conctui_list "$bin" Scenarios)" -- "$cur")) ;;
		*)
			case $arg in
			*FILE*) _conctui_files ;;
			*[a-z]*'|'*) COMPREPLY=($(compgen -W "${arg//|/ }" -- "$cur")) ;;
			esac
			;;
		esac
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(awk '{ print $1 }' <<<"$opts")" -- "$cur"))
		return 0
	fi
	# A positional: a built-in scenario or lesson by name, or a file.
	COMPREPLY=($(compgen -W "$(_conctui_list "$bin" Scenarios) $(_conctui_list "$bin" Lessons) $(_conctui_list "$bin" Programs)" \
		-- "$cur"))
	_conctui_files ini
	return 0
}

complete -F _conctui conctui
