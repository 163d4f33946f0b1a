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
# ATTN_EXPLAIN_DATA passes through when set.
complete_line() {
  env -i HOME=/nonexistent PATH="$PATH" ${ATTN_EXPLAIN_DATA:+ATTN_EXPLAIN_DATA="$ATTN_EXPLAIN_DATA"} bash --norc --noprofile -c '
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

# Issue 23, item 9: what the program prints is never evaluated. A lesson named
# $(touch${IFS}MARKER) must not run when TAB is pressed after "lesson ".
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
marker=$scratch/PWNED
hostile="\$(touch\${IFS}$marker)"
# A program that lists a hostile name (as a damaged or planted data folder could make
# any version list it): offered as the literal text, never run.
cat > "$scratch/fake-attn-explain" <<FAKE
#!/bin/sh
printf '[\n  {\n    "name": "%s",\n    "title": "t"\n  },\n  {\n    "name": "plain",\n    "title": "t"\n  }\n]\n' '$hostile'
FAKE
chmod +x "$scratch/fake-attn-explain"
expect "lesson <TAB> with a hostile name listed" "$(printf '%s\n' "$hostile" plain | sort)" "$scratch/fake-attn-explain" lesson ""
expect "lesson \$<TAB> with a hostile name listed" "$hostile" "$scratch/fake-attn-explain" lesson '$'
[ -e "$marker" ] && { echo "check_bash_completion: a listed lesson name ran as a command"; failures=$((failures + 1)); rm -f "$marker"; }
# fish (when installed) offers the listed names as they are too, and runs none of them.
fish_script=$(dirname "$script")/../../fish/vendor_completions.d/attn-explain.fish
if command -v fish > /dev/null && [ -f "$fish_script" ]; then
  mkdir -p "$scratch/bin" && cp "$scratch/fake-attn-explain" "$scratch/bin/attn-explain"
  got=$(PATH="$scratch/bin:$PATH" fish --no-config -c 'source $argv[1]; complete -C "attn-explain lesson "' "$fish_script" | sort)
  if [ "$got" != "$(printf '%s\n' "$hostile" plain | sort)" ] || [ -e "$marker" ]; then
    printf 'check_bash_completion: fish: lesson <TAB> with a hostile name listed: got\n%s\n' "$got"
    failures=$((failures + 1))
  fi
fi
# The real program, with a data folder holding a lesson of that name: the name
# breaks the lesson names' rule, so the lesson is refused and nothing runs.
mkdir -p "$scratch/data/lessons"
sed "s|\"name\": \"journey\"|\"name\": \"$(printf '%s' "$hostile" | sed 's/[&|\\]/\\&/g')\"|" \
  "$source_dir/data/lessons/journey.json" > "$scratch/data/lessons/journey.json"
grep -qF "$hostile" "$scratch/data/lessons/journey.json" || { echo "check_bash_completion: could not write the hostile lesson"; exit 1; }
ATTN_EXPLAIN_DATA=$scratch/data complete_line "$binary" lesson "" > /dev/null
[ -e "$marker" ] && { echo "check_bash_completion: a lesson name in the data folder ran as a command"; failures=$((failures + 1)); }
ATTN_EXPLAIN_DATA=$scratch/data "$binary" lesson > /dev/null 2> "$scratch/err"
status=$?
if [ "$status" -ne 1 ] || ! grep -q '^attn-explain: error: .*journey.json: "name" is ' "$scratch/err"; then
  echo "check_bash_completion: a lesson named $hostile: expected exit 1 and an error naming the file, got $status:"
  cat "$scratch/err"
  failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] && echo "check_bash_completion: all completions as expected"
[ "$failures" -eq 0 ]
