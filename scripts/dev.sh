#!/usr/bin/env bash
# One entry point for a fresh machine (Debian 12, as root, or with sudo):
#   bash scripts/dev.sh demo   install what is missing, build, show "How are you doing?"
#   bash scripts/dev.sh test   install what is missing, build, run the whole test suite
#   bash scripts/dev.sh build  install what is missing and build (build/attn-explain)
# Set BUILD_DIR to build elsewhere (default: build).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

BUILD_PACKAGES=(cmake ninja-build g++ libcli11-dev libfmt-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev)
TEST_PACKAGES=(python3-torch python3-jsonschema)

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
    build
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|build" >&2
    exit 2
    ;;
esac
