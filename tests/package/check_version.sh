#!/bin/sh
# --version names the program's version and the git commit of the source tree it
# was built from, as git itself says it (or "unknown commit" outside a checkout).
#   check_version.sh BINARY SOURCE_DIR VERSION
binary=$1 source=$2 version=$3
got=$("$binary" --version) || { echo "check_version: $binary --version failed"; exit 1; }
if head=$(git -C "$source" rev-parse --short HEAD 2>/dev/null); then
  case "$got" in
    "attn-explain $version (commit $head)" | "attn-explain $version (commit $head-dirty)") ;;
    *) echo "check_version: expected \"attn-explain $version (commit $head)\" (maybe -dirty), got \"$got\""; exit 1 ;;
  esac
elif [ "$got" != "attn-explain $version (unknown commit)" ]; then
  echo "check_version: not a git checkout: expected \"attn-explain $version (unknown commit)\", got \"$got\""; exit 1
fi
echo "check_version: $got"
