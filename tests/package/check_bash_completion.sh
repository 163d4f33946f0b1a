#!/usr/bin/env bash
# The bash completion, driven as bash drives it: source the script in a bash
# without start-up files, set COMP_WORDS, COMP_CWORD and COMP_LINE as for a TAB
# at the end of a line, call the function `complete -p` names, and compare COMPREPLY.
#   check_bash_completion.sh BINARY COMPLETION_SCRIPT SOURCE_DIR
# The expected words come from outside the script: the lesson names are the files
# of data/lessons/, the exercise ids those of data/exercises/, the option names and
# values those --help prints.
set -u
binary=$1 script=$2 source_dir=$3
failures=0

# complete_line WORD...: COMPREPLY for a TAB after the last word (an empty last word: after a space).
complete_line() {
  env -i HOME=/nonexistent PATH="$PATH" bash --norc --noprofile -c '
    source "$1" || exit 3
    function=$(complete -p attn-explain | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
    [ -n "$function" ] || { echo "no completion function for attn-explain" >&2; exit 3; }
    shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$function" attn-explain "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$script" "$@"
}

# expect "DESCRIPTION" "EXPECTED (sorted, one a line)" WORD...
expect() {
  local what=$1 expected=$2
  shift 2
  local got
  got=$(complete_line "$@")
  if [ "$got" != "$expected" ]; then
    printf 'check_bash_completion: %s: expected\n%s\ngot\n%s\n' "$what" "$expected" "$got"
    failures=$((failures + 1))
  fi
}

lessons=$(cd "$source_dir/data/lessons" && ls *.json | sed 's/\.json$//' | sort)
exercises=$(cd "$source_dir/data/exercises" && ls *.json | sed 's/\.json$//' | sort)
[ "$(echo "$lessons" | wc -l)" -ge 5 ] || { echo "check_bash_completion: too few lessons in data/lessons"; exit 1; }

expect "lesson <TAB>" "$lessons" "$binary" lesson ""
expect "lesson jo<TAB>" "journey" "$binary" lesson jo
expect "exercise <TAB>" "$exercises" "$binary" exercise ""
expect "--softmax <TAB>" "$(printf '%s\n' naive stable sum)" "$binary" --softmax ""
expect "--softmax=n<TAB>" "naive" "$binary" --softmax = n
expect "--emb<TAB>" "--embeddings" "$binary" --emb
expect "--color <TAB> after a subcommand" "$(printf '%s\n' always auto never)" "$binary" lesson --color ""
expect "lesson --ch<TAB>" "--check" "$binary" lesson --ch
expect "a subcommand after a main option's value" "--json" "$binary" --heads 2 params --js
expect "<TAB>: the subcommands" "$("$binary" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}' | sort)" "$binary" ""
expect "-e FILE<TAB>: file names" "$source_dir/data/journey-sa-v2.json
$source_dir/data/journey.json" "$binary" -e "$source_dir/data/jour"
expect "render <TAB>: file names" "$source_dir/README.md" "$binary" render "$source_dir/READ"
expect "a number: nothing" "" "$binary" --heads ""

# Every option of --help is offered after "-" (the main command's).
options=$("$binary" --help | sed -n '/^Options:/,/^$/p' | awk '/^  -/ {print $1}' | tr ',' '\n' | sort)
expect "- <TAB>: every option of --help" "$options" "$binary" -

[ "$failures" -eq 0 ] && echo "check_bash_completion: all completions as expected"
[ "$failures" -eq 0 ]
