#!/bin/sh
# Runs a build's unit tests under valgrind memcheck: any memory error, and any definitely
# or indirectly lost block, fails the test that caused it.
#
#   tests/valgrind.sh [BUILD_DIR] [TEST_NAME...]
#
# BUILD_DIR defaults to build-vg (set up and built here if missing: a plain build without
# sanitizers, which valgrind cannot run under). TEST_NAMEs restrict the run to those tests;
# without them every test of the 'unit' suite runs but those in VALGRIND_SKIP, by default:
#   alloc    counts allocations by replacing malloc itself, which valgrind's own malloc
#            bypasses (it skips itself under ASan and TSan for the same reason);
#   numfmt   3 million number conversions checked against snprintf, pure arithmetic on the
#            stack: about 15 minutes under valgrind (ASan and UBSan cover it);
#   pow10_table_as_defined   a Python script, not spanlog's code.
# Prints one summary line and exits 1 if any test failed. VALGRIND_TIMEOUT_MULTIPLIER
# (default 10) scales meson's timeouts.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-build-vg}
[ $# -gt 0 ] && shift

command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 2; }

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src" -Dbench=false -Dexamples=false >/dev/null
fi
ninja -C "$build" >/dev/null

# "Still reachable" and "possibly lost" blocks are not errors: the library keeps its
# settings, loggers and per-thread queues for the life of the process on purpose.
wrap="valgrind --tool=memcheck --error-exitcode=1 --leak-check=full"
wrap="$wrap --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
wrap="$wrap --track-origins=yes --num-callers=30 --suppressions=$here/valgrind.supp"

if [ $# -gt 0 ]; then
  select="$*"
else
  skip=" ${VALGRIND_SKIP-alloc numfmt pow10_table_as_defined} "
  select=""
  for t in $(meson test -C "$build" --no-rebuild --list --suite unit 2>/dev/null | sed -n 's|^.*:unit / ||p'); do
    case $skip in *" $t "*) continue ;; esac
    select="$select $t"
  done
fi

start=$(date +%s)
status=0
# shellcheck disable=SC2086 # $select is a word list on purpose
meson test -C "$build" --no-rebuild --print-errorlogs \
  --timeout-multiplier "${VALGRIND_TIMEOUT_MULTIPLIER:-10}" \
  --wrap="$wrap" $select >"$build/valgrind-summary.txt" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$build/valgrind-summary.txt")
fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$build/valgrind-summary.txt")
skip=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$build/valgrind-summary.txt")
timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$build/valgrind-summary.txt")
if [ "$status" -ne 0 ]; then
  grep -E '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT|ERROR)' "$build/valgrind-summary.txt" >&2 || true
  echo "valgrind: see $build/meson-logs/testlog-valgrind.txt or testlog.txt for the reports" >&2
fi
echo "valgrind memcheck: ${ok:-0} ok, ${fail:-0} failed, ${timeout:-0} timed out," \
  "${skip:-0} skipped in ${elapsed}s ($build)"
[ "$status" -eq 0 ]
