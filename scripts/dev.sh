#!/usr/bin/env bash
# One entry point for a fresh machine (Debian 12, as root, or with sudo):
#   bash scripts/dev.sh demo   install what is missing, build, show "How are you doing?"
#   bash scripts/dev.sh test   install what is missing, build, run the whole test suite
#   bash scripts/dev.sh build  install what is missing and build (build/attn-explain)
# `test` runs three phases, each in its own build directory:
#   1. the build and its whole test suite (BUILD_DIR, default build)
#   2. the same suite built with AddressSanitizer and UBSan (ASAN_BUILD_DIR, default build-asan)
#   3. the libFuzzer targets, FUZZ_SECONDS (default 60) each (FUZZ_BUILD_DIR, default build-fuzz; clang)
# Phases 2 and 3 alone: bash scripts/dev.sh sanitize, bash scripts/dev.sh fuzz.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

BUILD_PACKAGES=(cmake ninja-build g++ libcli11-dev libfmt-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev)
TEST_PACKAGES=(python3-torch python3-jsonschema)
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
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR"
}

# Phase 2: every test, with the program and the tests built with -fsanitize=address,undefined.
sanitize() {
  note "sanitizers: building the test suite with AddressSanitizer and UBSan in $ASAN_BUILD_DIR"
  install_missing "${BUILD_PACKAGES[@]}"
  # -O1 -g1: half the compile time of -O2 -g, with line numbers in the reports;
  # no NDEBUG, so that nlohmann::json's assertions are on too.
  cmake -S . -B "$ASAN_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
        -DATTN_SANITIZE=ON -DATTN_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build "$ASAN_BUILD_DIR"
  note "sanitizers: running the test suite"
  ctest --test-dir "$ASAN_BUILD_DIR" --output-on-failure -j "$(nproc)"
}

# Phase 3: the fuzz targets (tests/fuzz), FUZZ_SECONDS each, on copies of their seeds.
fuzz() {
  install_missing "${BUILD_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
  note "fuzzing: building the libFuzzer targets with clang in $FUZZ_BUILD_DIR"
  cmake -S . -B "$FUZZ_BUILD_DIR" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DATTN_FUZZ=ON -DATTN_BUILD_TESTS=OFF -DATTN_BUILD_BENCHMARKS=OFF -DATTN_FUZZ_SECONDS="$FUZZ_SECONDS" >/dev/null
  cmake --build "$FUZZ_BUILD_DIR"
  note "fuzzing: ${FUZZ_SECONDS} s per target"
  ctest --test-dir "$FUZZ_BUILD_DIR" --output-on-failure -j "$(nproc)"
  local log
  for log in "$FUZZ_BUILD_DIR"/tests/fuzz/run/*/fuzz.log; do
    note "fuzzing: $(basename "$(dirname "$log")"): $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") executions, no finding"
  done
}

case "${1:-}" in
  demo)
    build >&2
    "$BUILD_DIR/attn-explain" "How are you doing?"
    ;;
  build)
    build
    ;;
  test)
    install_missing "${TEST_PACKAGES[@]}"
    note "tests: building in $BUILD_DIR"
    build
    note "tests: running the test suite"
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
    sanitize
    fuzz
    note "all tests passed: plain, sanitizers, fuzzing"
    ;;
  sanitize)
    install_missing "${TEST_PACKAGES[@]}"
    sanitize
    ;;
  fuzz)
    fuzz
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|build|sanitize|fuzz" >&2
    exit 2
    ;;
esac
