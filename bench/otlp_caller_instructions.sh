#!/usr/bin/env bash
# The caller's instructions with the OTLP exporter off and on (to bench/otlp_null_receiver),
# counted by callgrind: per workload record (sl__emit) and per span with 4 attributes
# (sl__span_start, sl__span_set, sl_span_end), as 60,000 minus 20,000 calls in bursts of
# 1000 so that start-up is left out. Deterministic where ns on a shared machine are not.
#   bench/otlp_caller_instructions.sh [BUILD]     (default build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$ROOT/build}/bench
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
coproc NULLRX { exec "$B/otlp_null_receiver" 0; }
trap 'kill $NULLRX_PID 2>/dev/null || true' EXIT
read -r PORT <&"${NULLRX[0]}"
export SPANLOG_OUTPUT=/dev/null
OUT=$(mktemp)

# instructions N TOGGLES PROGRAM ARGS... (the exporter's variables come from the environment)
instructions() {
  local n=$1 toggles=$2; shift 2
  local opts=()
  for t in $toggles; do opts+=("--toggle-collect=$t"); done
  valgrind --tool=callgrind --callgrind-out-file="$OUT" "${opts[@]}" "$@" -n "$n" -b 1000 >/dev/null 2>&1
  awk '/^(summary|totals):/ {print $2; exit}' "$OUT"
}
per_call() { # LABEL TOGGLES PROGRAM ARGS...
  local label=$1 toggles=$2; shift 2
  local a b
  a=$(instructions 20000 "$toggles" "$@")
  b=$(instructions 60000 "$toggles" "$@")
  echo "$label: $(((b - a) / 40000)) instructions per call"
}
for mode in off on; do
  if [ $mode = on ]; then
    export OTEL_TRACES_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$PORT
  fi
  per_call "record, exporter $mode" "sl__emit" "$B/bench_workload" -t 1 -o /dev/null
  per_call "span, exporter $mode" "sl__span_start sl__span_set sl_span_end" "$B/bench_otlp_export"
done
rm -f "$OUT"
