#!/usr/bin/env bash
# The Debian package, built and unpacked as a user would get it:
#   check_package.sh BUILD_DIR SOURCE_DIR
# Runs cpack on the build tree's CPack configuration (what `--target package` runs
# after the build) into a temporary folder, unpacks the .deb with dpkg -x into a
# throw-away root and checks:
#   - its name, attn-explain_<version>_<arch>.deb, and control fields (dpkg -I),
#     its Depends made by dpkg-shlibdeps from the libraries the binary links;
#   - its files (dpkg -c): the binary, the data, the man page, the completions,
#     the copyright file, which states the MIT (Expat) licence of LICENSE;
#   - the unpacked binary runs the default example, from / with ATTN_EXPLAIN_DATA
#     unset, with the unpacked data (it names the table it read);
#   - `man -l` renders the unpacked man page;
#   - the unpacked completion scripts parse (bash -n; zsh -n, fish -n when installed), and
#     fish completes a lesson name.
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/attn-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "check_package: $*" >&2; exit 1; }

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[ -n "$version" ] || fail "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"
arch=$(dpkg --print-architecture)
start=$(date +%s%N)
cpack --config "$build/CPackConfig.cmake" -B "$work/out" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb="$work/out/attn-explain_${version}_${arch}.deb"
[ -f "$deb" ] || fail "cpack made no $(basename "$deb"): $(ls "$work/out")"
echo "check_package: $(basename "$deb"), $(stat -c %s "$deb") bytes, made in $((($(date +%s%N) - start) / 1000000)) ms"

# Control fields.
info=$(dpkg-deb -I "$deb")
for field in "Package: attn-explain" "Version: $version" "Architecture: $arch" "Section: education" "Maintainer: " \
             "Description: self-attention"; do
  grep -qF " $field" <<<"$info" || fail "dpkg -I: no \"$field\""
done
depends=$(dpkg-deb -f "$deb" Depends)
# The libraries the binary links (readelf's NEEDED), each a package in Depends.
for lib in libc6 libstdc++6 libfmt libutf8proc; do
  grep -q "\b$lib" <<<"$depends" || fail "Depends has no $lib (dpkg-shlibdeps): $depends"
done

# Files.
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in ./usr/bin/attn-explain ./usr/share/attn-explain/default.json ./usr/share/attn-explain/lessons/journey.json \
            ./usr/share/attn-explain/exercises/dot-product.json ./usr/share/attn-explain/html/report.html \
            ./usr/share/attn-explain/svg/heatmap.css ./usr/share/attn-explain/models/demo/model.safetensors \
            ./usr/share/man/man1/attn-explain.1.gz ./usr/share/bash-completion/completions/attn-explain \
            ./usr/share/zsh/vendor-completions/_attn-explain ./usr/share/fish/vendor_completions.d/attn-explain.fish \
            ./usr/share/doc/attn-explain/copyright; do
  grep -qxF "$path" <<<"$contents" || fail "dpkg -c: no $path"
done
if grep -v '^\./usr/' <<<"$contents" | grep -q .; then fail "files outside /usr: $(grep -v '^\./usr/' <<<"$contents" | head -3)"; fi
# Every data file of the source tree is in the package.
(cd "$source/data" && find . -type f | sed 's|^\./|./usr/share/attn-explain/|') | while read -r f; do
  grep -qxF "$f" <<<"$contents" || fail "dpkg -c: no $f (a file of data/)"
done

# The licence: MIT (LICENSE at the source root), stated as Expat in the copyright file.
grep -qx "MIT License" "$source/LICENSE" || fail "no MIT License in $source/LICENSE"
copyright=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/attn-explain/copyright)
grep -qx "License: Expat" <<<"$copyright" || fail "the copyright file states no Expat (MIT) licence for Files: *"
if grep -qi "no licen[cs]e has been chosen" <<<"$copyright"; then fail "the copyright file still says no licence was chosen"; fi

# The unpacked program, with its data found relative to itself.
root="$work/root"
dpkg-deb -x "$deb" "$root"
out=$(cd / && env -u ATTN_EXPLAIN_DATA "$root/usr/bin/attn-explain" --color never "How are you doing?")
grep -qF "$root/usr/share/attn-explain/default.json" <<<"$out" || fail "the unpacked binary did not read its unpacked table: $(head -3 <<<"$out")"
grep -q "Context vectors" <<<"$out" || fail "no context vectors in the output"
lessons=$(cd / && env -u ATTN_EXPLAIN_DATA "$root/usr/bin/attn-explain" lesson --json)
grep -q '"name": "journey"' <<<"$lessons" || fail "the unpacked binary lists no lesson journey"
"$root/usr/bin/attn-explain" --version | grep -q "^attn-explain $version (" || fail "--version: $("$root/usr/bin/attn-explain" --version)"

# The man page, as man shows it.
page=$(MANWIDTH=80 LC_ALL=C.UTF-8 man -l -P cat "$root/usr/share/man/man1/attn-explain.1.gz" 2>&1)
for heading in NAME SYNOPSIS DESCRIPTION OPTIONS SUBCOMMANDS FILES ENVIRONMENT "EXIT STATUS" EXAMPLES; do
  grep -qx "$heading" <<<"$page" || fail "man -l: no section $heading"
done
grep -q -- "--embeddings FILE" <<<"$page" || fail "man -l: no --embeddings"
gzip -t "$root/usr/share/man/man1/attn-explain.1.gz"

# The completion scripts parse.
bash -n "$root/usr/share/bash-completion/completions/attn-explain" || fail "bash -n: the bash completion"
if command -v zsh > /dev/null; then zsh -n "$root/usr/share/zsh/vendor-completions/_attn-explain" || fail "zsh -n"; fi
if command -v fish > /dev/null; then
  fish --no-execute "$root/usr/share/fish/vendor_completions.d/attn-explain.fish" || fail "fish -n"
  # fish completes a lesson name with the unpacked program.
  names=$(cd / && PATH="$root/usr/bin:$PATH" fish --no-config -c \
          "source $root/usr/share/fish/vendor_completions.d/attn-explain.fish; complete -C'attn-explain lesson jour'")
  [ "$names" = journey ] || fail "fish: attn-explain lesson jour<TAB> gave \"$names\", expected journey"
fi
echo "check_package: files, Depends ($depends), the unpacked binary, its man page and completions as expected"
