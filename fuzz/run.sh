#!/bin/sh
# Fuzzes every target of fuzz/ with libFuzzer for a bounded time each.
#
#   fuzz/run.sh [SECONDS] [BUILD_DIR] [TARGET...]
#
# SECONDS per target (default 30); BUILD_DIR (default .ci-build/fuzz under the source
# tree) is set up with clang, AddressSanitizer and UndefinedBehaviorSanitizer (any report
# is a crash), and libFuzzer's coverage over the whole library, not only the target file.
# Without TARGETs every fuzz/*_fuzz.c is run. The seed corpus fuzz/corpus/<name> is only
# read: new inputs go to BUILD_DIR/fuzz-corpus/<name>, kept between runs, and a crash, leak
# or hang is saved as BUILD_DIR/fuzz-crashes/<name>-<kind>-<sha1>, to replay with
#   BUILD_DIR/fuzz/fuzz_<name> FILE
# Prints one line per target and exits 1 if any target failed.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
build=${2:-$src/.ci-build/fuzz}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift

case $seconds in
  ''|*[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] [BUILD_DIR] [TARGET...]" >&2; exit 2 ;;
esac
command -v clang >/dev/null || { echo "fuzz/run.sh: clang is required" >&2; exit 2; }

if [ $# -gt 0 ]; then
  targets="$*"
else
  targets=""
  for f in "$src"/fuzz/*_fuzz.c; do
    f=${f##*/}
    targets="$targets ${f%_fuzz.c}"
  done
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer' \
    -Dbench=false -Dexamples=false >"$build.setup.log" 2>&1 ||
    { cat "$build.setup.log" >&2; exit 2; }
fi
# Only the libFuzzer binaries: nothing else of this build is used.
ninja_targets=""
for t in $targets; do ninja_targets="$ninja_targets fuzz/fuzz_$t"; done
# shellcheck disable=SC2086 # a list of targets
ninja -C "$build" $ninja_targets >"$build/fuzz-build.log" 2>&1 ||
  { tail -40 "$build/fuzz-build.log" >&2; exit 2; }

mkdir -p "$build/fuzz-crashes" "$build/fuzz-logs"
failed=0
for t in $targets; do
  work="$build/fuzz-corpus/$t"
  log="$build/fuzz-logs/$t.log"
  mkdir -p "$work"
  set +e
  # -timeout: one input running 10 s is a hang; -rss_limit_mb: a runaway allocation.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-crashes/$t-" \
    "$work" "$src/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
  corp=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -1 | sed 's/corp: //')
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    failed=1
    saved=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    result="FAILED (exit $rc; input: ${saved:-none saved}; log: $log)"
  fi
  printf '%-14s %10s execs  cov %-5s corpus %-10s %s\n' "$t" "${execs:-?}" "${cov:-?}" "${corp:-?}" "$result"
done
exit $failed
