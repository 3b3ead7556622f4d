#!/usr/bin/env bash
# Redaction's cost, side by side in one run: the workload record with the default
# redaction (key rules and credential scrubbers, on the backend thread) and with
# SPANLOG_REDACT=off, interleaved round by round. Prints medians (min-max) of the
# end-to-end records/s to a file and of the caller's ns/record (bursts that fit the queue).
# Usage: bench/redaction.sh [ROUNDS] [N]   (from the project root; builds into build-bench)
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-5}
n=${2:-1000000}
. bench/workload.sh

declare -A rps call
for ((r = 0; r < rounds; r++)); do
  for mode in default off; do
    redact=""
    [ "$mode" = off ] && redact=off
    line=$(SPANLOG_REDACT=$redact "$bin" -n "$n" -t 1 -o "$tmp/out.jsonl")
    [ "$(grep -c '"event":"searching"' "$tmp/out.jsonl")" -eq "$n" ] || { echo "bad output" >&2; exit 1; }
    rps[$mode]+="$(echo "$line" | field e2e_rps) "
    line=$(SPANLOG_REDACT=$redact "$bin" -n "$n" -t 1 -o "$tmp/out.jsonl" -b 500)
    call[$mode]+="$(echo "$line" | field call_ns) "
  done
done
echo "redaction, N=$n, $rounds rounds, medians (min-max); $(nproc) CPUs, $(date -u +%Y-%m-%d)"
printf '%-10s %-30s %s\n' redaction "end-to-end records/s (file)" "caller ns/record (bursts)"
for mode in default off; do
  printf '%-10s %-30s %s\n' "$mode" "$(echo ${rps[$mode]} | tr ' ' '\n' | stats)" "$(echo ${call[$mode]} | tr ' ' '\n' | stats)"
done
