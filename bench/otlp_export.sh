#!/usr/bin/env bash
# The OTLP export benchmark (bench/README.md, "OTLP export"), in one run:
#   1. the caller's cost of a span (start + 4 attributes + end) and of the workload record,
#      exporter off and on (to a null receiver), in bursts so the caller has room;
#   2. spans/s delivered to a null receiver and to a loopback OpenTelemetry Collector,
#      1 and 2 producers, beside the OpenTelemetry Go SDK and Python SDK sending the same
#      spans to the same receivers;
#   3. RSS while the collector is down.
# Needs a build (BUILD, default build) and, for the peers, tests/otlp/peers.sh build
# otelcol gosdk pyotel (each missing one is said and skipped).
#   bench/otlp_export.sh [BUILD] [SPANS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
N=${2:-100000}
PEERS=$ROOT/tests/otlp/peers.sh
WORK=$(mktemp -d)
NULL_PID=
cleanup() {
  [ -n "$NULL_PID" ] && kill "$NULL_PID" 2>/dev/null || true
  "$PEERS" stop "$WORK" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BENCH=$BUILD/bench/bench_otlp_export
WORKLOAD=$BUILD/bench/bench_workload
export SPANLOG_OUTPUT=/dev/null
unset OTEL_TRACES_EXPORTER OTEL_LOGS_EXPORTER OTEL_EXPORTER_OTLP_ENDPOINT || true

coproc NULLRX { exec "$BUILD/bench/otlp_null_receiver" 0; }
NULL_PID=$NULLRX_PID
read -r NULL_PORT <&"${NULLRX[0]}"
NULL_URL=http://127.0.0.1:$NULL_PORT
null_spans() { curl -s "$NULL_URL/stats" | sed 's/.*"spans":\([0-9]*\).*/\1/'; }
null_reset() { curl -s "$NULL_URL/reset" >/dev/null; }

on() { env OTEL_TRACES_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT="$1" "${@:2}"; }

echo "## 1. caller's cost, exporter off vs on (null receiver), bursts of 1000, $N each, interleaved"
for round in 1 2 3; do
  echo "round $round"
  echo "  span off: $("$BENCH" -n "$N" -b 1000 | grep -o 'caller_ns=[0-9.]*')"
  echo "  span on:  $(on "$NULL_URL" "$BENCH" -n "$N" -b 1000 | grep -o 'caller_ns=[0-9.]*')"
  echo "  record off: $("$WORKLOAD" -n "$N" -t 1 -o /dev/null -b 1000 | grep -o 'call_ns=[0-9.]*')"
  echo "  record on:  $(on "$NULL_URL" "$WORKLOAD" -n "$N" -t 1 -o /dev/null -b 1000 | grep -o 'call_ns=[0-9.]*')"
done

delivered() { # LABEL RECEIVER_URL COUNT_FN
  local label=$1 url=$2
  for t in 1 2; do
    null_reset
    local line; line=$(on "$url" "$BENCH" -n "$N" -t "$t")
    echo "  spanlog $label producers=$t: $line" | sed 's/peer=spanlog //'
    line=$(on "$url" env SPANLOG_OTLP_QUEUE_FULL=block "$BENCH" -n "$N" -t "$t")
    echo "  spanlog $label producers=$t queue-full=block: $line" | sed 's/peer=spanlog //'
  done
}

echo "## 2. spans/s delivered"
delivered "null" "$NULL_URL"
GOSDK=$("$PEERS" path gosdk 2>/dev/null || true)
PYOTEL=$("$PEERS" path pyotel 2>/dev/null || true)
for t in 1 2; do
  if [ -x "$GOSDK" ]; then
    null_reset
    out=$("$GOSDK" -endpoint "$NULL_URL" -spans "$N" -producers "$t")
    echo "  go-sdk null producers=$t: $out received=$(null_spans)"
  else echo "  go-sdk: not built (tests/otlp/peers.sh build gosdk)"; fi
done
if [ -x "$PYOTEL/bin/python" ]; then
  null_reset
  out=$("$PYOTEL/bin/python" "$ROOT/bench/otlp_export_pysdk.py" "$NULL_URL" "$N")
  echo "  python-sdk null producers=1: $out received=$(null_spans)"
else echo "  python-sdk: not built (tests/otlp/peers.sh build pyotel)"; fi

if "$PEERS" start otelcol "$WORK" >/dev/null 2>&1; then
  # shellcheck disable=SC1091
  . "$WORK/otelcol.env"
  delivered "collector" "$OTELCOL_ENDPOINT"
  for t in 1 2; do
    [ -x "$GOSDK" ] && echo "  go-sdk collector producers=$t: $("$GOSDK" -endpoint "$OTELCOL_ENDPOINT" -spans "$N" -producers "$t")"
  done
  [ -x "$PYOTEL/bin/python" ] && echo "  python-sdk collector: $("$PYOTEL/bin/python" "$ROOT/bench/otlp_export_pysdk.py" "$OTELCOL_ENDPOINT" "$N")"
  "$PEERS" stop "$WORK" >/dev/null 2>&1 || true
else echo "  collector: cannot start (tests/otlp/peers.sh build otelcol)"; fi

echo "## 3. RSS with the collector down (nothing listening), $N spans x 5"
DEAD=http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for i in 1 2 3 4 5; do
  on "$DEAD" env OTEL_EXPORTER_OTLP_TIMEOUT=1000 "$BENCH" -n "$N" | grep -o 'caller_ns=[0-9.]*\|dropped=[0-9]*\|failed=[0-9]*\|rss_kb=[0-9]*' | tr '\n' ' '
  echo
done
