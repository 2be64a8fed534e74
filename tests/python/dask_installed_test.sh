#!/usr/bin/env bash
# The Dask test with the installed module (issue 14): `pip install
# --no-build-isolation --prefix TMP .` with Debian's /usr/bin/python3 (what a
# Dask worker machine runs), then test_dask.py's three-driver test (one
# process, two --task-count shares, winnow.dask on a local scheduler and two
# `dask worker` processes) from another folder, with the installed copy on
# PYTHONPATH (a --prefix install is not on sys.path by itself) and nothing of
# the build: the module, the workers and the `winnow` program (WINNOW_BIN =
# the installed winnow/bin/winnow) are the installed ones; conftest checks
# that `import winnow` is (WINNOW_EXPECT_MODULE_IN). Exit 77 (ctest: skipped)
# with a message when pip, setuptools, wheel or dask is missing.
# Usage: dask_installed_test.sh SOURCE_DIR CMAKE_BUILD_DIR PYTHON
set -euo pipefail
src=$1 build=$2 py=$3
. "$(dirname "$0")/pip_checks.sh"
need_pip "$py" "setuptools, wheel, distributed, pytest" "python3-setuptools python3-wheel python3-distributed python3-pytest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset PYTHONPATH WINNOW_BIN
# The CMake build the test runs from is reused (its targets are built), so the
# install only copies.
WINNOW_BUILD_DIR=$build "$py" -m pip install -q --no-index --no-build-isolation --no-cache-dir \
  --prefix "$tmp/prefix" "$src" 2>&1 | grep -v "^setup.py: " || true
init=$(find "$tmp/prefix" -path "*/winnow/__init__.py" | head -1)
[ -n "$init" ] || { echo "FAIL: pip install --prefix $tmp/prefix installed no winnow package"; exit 1; }
site=$(dirname "$(dirname "$init")")
echo "installed into $site"
ls "$site/winnow"

mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere"
# test_dask.py's driver test, with a copy of the tests (nothing is imported
# from the source tree but the test files themselves).
cp "$src/tests/python/conftest.py" "$src/tests/python/test_dask.py" .
PYTHONPATH=$site WINNOW_BIN=$site/winnow/bin/winnow WINNOW_EXPECT_MODULE_IN=$site PYTHONDONTWRITEBYTECODE=1 \
  "$py" -m pytest -q -p no:cacheprovider test_dask.py -k "single_split_and_dask" -rs
echo "OK: the Dask test passed with the module pip-installed into $tmp/prefix"
