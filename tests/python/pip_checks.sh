# Sourced by the pip-install tests: `need_pip PY MODULES APT_PACKAGES` exits 77
# (ctest: skipped) with what to install when PY has no pip or cannot import
# one of MODULES (comma-separated Python imports).
need_pip() {
  local py=$1 modules=$2 packages=$3
  if ! "$py" -m pip --version >/dev/null 2>&1; then
    echo "SKIPPED: $py has no pip (apt-get install python3-pip $packages)"; exit 77
  fi
  if ! "$py" -c "import $modules" >/dev/null 2>&1; then
    echo "SKIPPED: $py cannot import $modules (apt-get install $packages)"; exit 77
  fi
}
