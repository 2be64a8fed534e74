#!/usr/bin/env bash
# Builds (incrementally) and runs every test with ctest. Tests that need the
# data in ../shared skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WINNOW_BUILD_DIR:-build}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then bash scripts/setup.sh --build-only; fi
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
ctest --output-on-failure -j"$(nproc)" --timeout 900 "$@"
