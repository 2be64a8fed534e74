#!/usr/bin/env bash
# `pip install --no-build-isolation .` into a fresh venv (--system-site-packages,
# offline: --no-index), then from another folder and without PYTHONPATH:
# `import winnow` works and is the installed copy, the native module runs, and
# `python3 -m winnow` runs the CLI's commands. Exit 77 (ctest: skipped) with a
# message when pip or venv is missing.
# Usage: install_test.sh SOURCE_DIR CMAKE_BUILD_DIR PYTHON
set -euo pipefail
src=$1 build=$2 py=$3
. "$(dirname "$0")/pip_checks.sh"
need_pip "$py" "ensurepip, venv, setuptools, wheel" "python3-venv python3-setuptools python3-wheel"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset PYTHONPATH
"$py" -m venv --system-site-packages "$tmp/venv"
# The CMake build the test runs from is reused (its targets are built), so the
# install only copies; setuptools' own temporary files go under $tmp.
WINNOW_BUILD_DIR=$build "$tmp/venv/bin/python" -m pip install -q --no-index --no-build-isolation \
  --no-cache-dir "$src" 2>&1 | grep -v "^setup.py: " || true
"$tmp/venv/bin/python" -m pip show -f winnow | grep -E "^(Name|Version):|winnow/(_winnow|bin/winnow|__main__)" 

mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere"
"$tmp/venv/bin/python" - "$tmp/venv" <<'PY'
import os, sys
import winnow
venv = sys.argv[1]
assert winnow.__file__.startswith(venv), f"imported {winnow.__file__}, not the copy in {venv}"
assert os.path.isfile(os.path.join(os.path.dirname(winnow.__file__), "bin", "winnow"))
r = winnow.extract("<html><body><article><h1>Title</h1><p>" + "Some words of a real paragraph. " * 8
                   + "</p></article></body></html>")
assert "Some words of a real paragraph." in r["text"], r
assert winnow.identify_language("Le président a proposé un sommet dans un pays tiers.")["lang"] == "fr"
print("import winnow from", os.getcwd(), "->", winnow.__file__)
PY
out=$("$tmp/venv/bin/python" -m winnow --help)
echo "$out" | grep -q "clean" || { echo "FAIL: python3 -m winnow --help lists no clean command:"; echo "$out"; exit 1; }
printf '<html><body><article><p>%s</p></article></body></html>' \
  "$(for i in 1 2 3 4 5 6; do printf 'A sentence of the installed test page number %d. ' $i; done)" > page.html
text=$("$tmp/venv/bin/python" -m winnow extract page.html)
echo "$text" | grep -q "installed test page number 6" || { echo "FAIL: python3 -m winnow extract printed: $text"; exit 1; }
set +e
"$tmp/venv/bin/python" -m winnow clean --no-such-flag >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -ne 0 ] || { echo "FAIL: a bad flag exited 0 through python3 -m winnow"; exit 1; }
echo "OK: pip install, import winnow from another folder, python3 -m winnow (exit $rc on a bad flag)"
