#!/bin/sh
# The soak test, outside CI: spanlog under steady load for a long time.
#
#   bench/soak.sh [SECONDS] [BUILD_DIR]
#
# SECONDS defaults to 600. BUILD_DIR (default build-soak, set up here if missing, a
# release build) provides bench/soak (bench/soak.c says what it does). Its JSON lines go
# through a pipe straight into the checker, so nothing is stored but the RSS samples and
# the expected counts, kept in BUILD_DIR/soak/. SOAK_RATE sets each producer's records per
# second (default 3000), SOAK_CHURN the churn slots (default 2). Prints one line, the verdict, and exits 0 if it is PASS.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
build=${2:-build-soak}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src" --buildtype=release -Dtests=false -Dexamples=false >/dev/null
fi
ninja -C "$build" bench/soak >"$build/soak-build.log" 2>&1 || { tail -30 "$build/soak-build.log" >&2; exit 2; }

out="$build/soak"
mkdir -p "$out"
rm -f "$out/rss.txt" "$out/expected.txt"
# Inherited settings would change what is logged and how.
env -u SPANLOG_OUTPUT -u SPANLOG_FORMAT -u SPANLOG_LEVEL -u SPANLOG_OVERFLOW -u SPANLOG_REDACT \
  -u OTEL_TRACES_SAMPLER -u OTEL_TRACES_EXPORTER -u OTEL_LOGS_EXPORTER \
  "$build/bench/soak" run -s "$seconds" -p "${SOAK_RATE:-3000}" -c "${SOAK_CHURN:-2}" -r "$out/rss.txt" -e "$out/expected.txt" |
  "$build/bench/soak" check -r "$out/rss.txt" -e "$out/expected.txt" | tee "$out/verdict.txt"
grep -q ': PASS$' "$out/verdict.txt"
