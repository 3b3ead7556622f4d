#!/bin/sh
# Runs a generator that writes files into a fresh directory, then the Python checker that
# reads them back. usage: run_check.sh GENERATOR CHECKER.py venv|python3
#   venv: the checker needs opentelemetry-proto (setup.sh installs it);
#   python3: the system python3 is enough.
# Exit 77 (skip) when python is missing, 1 instead when CI=true.
set -u
gen=$1 check=$2 which=$3
here=$(cd "$(dirname "$0")" && pwd)
if [ "$which" = venv ]; then
  py=$("$here/setup.sh") || exit $? # 77, or 1 in CI: setup.sh has said why
else
  py=$(command -v python3) || {
    echo "run_check.sh: python3 not found" >&2
    [ "${CI:-}" = true ] && exit 1
    exit 77
  }
fi
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
"$gen" "$dir" || exit 1
"$py" "$check" "$dir"
