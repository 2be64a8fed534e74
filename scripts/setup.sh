#!/usr/bin/env bash
# Sets winnow up on a fresh Debian 12 machine and runs it on the bundled sample:
# installs the Debian packages it needs (when missing), builds, then runs
# `winnow clean` on examples/ and prints the run's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git ccache
  zlib1g-dev libisal-dev libzstd-dev zstd libxxhash-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev
  libcld2-dev libicu-dev libjemalloc-dev libuchardet-dev libgumbo-dev libfasttext-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-dev pybind11-dev python3-distributed python3-pytest python3-numpy python3-scipy
  python3-pip python3-setuptools python3-wheel python3-venv
  chromium
)
# clang (libFuzzer, ASan, UBSan) only for the fuzz harnesses (scripts/fuzz.sh;
# CI sets WINNOW_FUZZ=1).
# libclang-rt-dev holds libFuzzer and the sanitizer runtimes: clang only
# recommends it, and a machine that skips recommended packages lacks it.
if [ "${WINNOW_FUZZ:-0}" = "1" ]; then PACKAGES+=(clang libclang-rt-dev); fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

BUILD=${WINNOW_BUILD_DIR:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

if [ "${1:-}" = "--build-only" ]; then exit 0; fi
rm -rf out/sample
echo
echo "setup: running: $BUILD/winnow clean examples/sample.warc.gz examples/sample.wet.gz -o out/sample --dedup --repeated-lines"
set +e
"$BUILD/winnow" clean examples/sample.warc.gz examples/sample.wet.gz -o out/sample --dedup --repeated-lines
rc=$?
set -e
if [ $rc -gt 1 ]; then echo "setup: winnow clean failed (exit $rc)"; exit $rc; fi
echo
echo "setup: done. Clean documents: out/sample/kept-*.jsonl.zst (zstdcat out/sample/kept-*.jsonl.zst | head),"
echo "       rejected ones with their reason: out/sample/rejected-*.jsonl.zst, figures: out/sample/stats.json"
echo "       (\`$BUILD/winnow stats out/sample\` prints them again)."
