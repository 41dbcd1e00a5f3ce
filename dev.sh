#!/usr/bin/env bash
# Set up a virtual environment and run the demo or the tests: `bash dev.sh demo|test`.
set -euo pipefail
cd "$(dirname "$0")"

python_311() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return
    fi
  done
  echo "ctesnap needs Python 3.11" >&2; exit 1
}

setup() {
  # $1: the extras, in one resolve (the tests add spark: they run the models on Spark too).
  [ -x .venv/bin/python ] || "$(python_311)" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[$1]"
}

install_java() {
  # Spark (the spark extra) runs on Java 17.
  command -v java >/dev/null && return
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null
}

install_chromium() {
  # The report test opens the HTML report in a real headless browser (Debian's Chromium).
  # (Named install_chromium: a function called chromium would make `command -v chromium` find itself.)
  command -v chromium >/dev/null && return
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

case "${1:-}" in
  demo) setup dev; .venv/bin/ctesnap demo ;;
  test) setup dev,spark; install_java; install_chromium; .venv/bin/ruff check .; .venv/bin/lint-imports; .venv/bin/python -m pytest -p no:cacheprovider --durations=25 -n 2 --no-loadscope-reorder ;;
  *) echo "usage: bash dev.sh demo|test" >&2; exit 2 ;;
esac
