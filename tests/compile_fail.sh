#!/bin/sh
# Usage: compile_fail.sh SOURCE EXPECTED-REGEX INCLUDE-DIR COMPILER [ARGS...]
# Passes if SOURCE fails to compile with a diagnostic matching EXPECTED-REGEX, while
# the same file with -DCONTROL (the correct call beside the wrong one) compiles: so the
# failure comes from the construct under test, not from a broken test.
src=$1 expected=$2 inc=$3
shift 3
out=$("$@" -I"$inc" -fsyntax-only "$src" 2>&1)
if [ $? -eq 0 ]; then
  echo "FAIL: $src compiled, but must not"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq "$expected"; then
  echo "FAIL: $src failed to compile, but not with a diagnostic matching: $expected"
  printf '%s\n' "$out" | head -20
  exit 1
fi
if ! "$@" -I"$inc" -fsyntax-only -DCONTROL "$src"; then
  echo "FAIL: the control version of $src does not compile"
  exit 1
fi
echo "ok: $src does not compile: $(printf '%s\n' "$out" | grep -Em1 "$expected")"
