#!/usr/bin/env bash
# Runs the workload benchmark REPS times (default 5) for each configuration, checks every
# output file, and prints the median with min-max of the caller's cost and of records/s.
# Usage: bench/run.sh [REPS] [N]   (from the project root; builds into build-bench)
set -eu
cd "$(dirname "$0")/.."
reps=${1:-5}
n=${2:-1000000}
. bench/workload.sh

configs=("1 file" "2 file" "1 null" "2 null")
declare -A call rps
for ((r = 0; r < reps; r++)); do
  for c in "${configs[@]}"; do # interleaved: every configuration once per round
    set -- $c
    out=$tmp/out.jsonl
    [ "$2" = null ] && out=/dev/null
    line=$("$bin" -n "$n" -t "$1" -o "$out")
    if [ "$2" = file ]; then
      got=$(grep -c '"event":"searching"' "$out")   # plus one span line per thread
      [ "$got" -eq "$n" ] || { echo "bad output: $got records, want $n" >&2; exit 1; }
      [ "$(wc -l <"$out")" -eq $((n + $1)) ] || { echo "bad output: unexpected lines" >&2; exit 1; }
      if command -v jq >/dev/null; then jq -c . "$out" >/dev/null || { echo "invalid JSON" >&2; exit 1; }; fi
      for ((k = 0; k < $1; k++)); do
        u=$(echo "$line" | field "user$k"); t=$(echo "$line" | field "trace$k")
        m=$(grep -c "\"user_id\":\"$u\",\"agent\":\"research-assistant\",\"trace_id\":\"$t\"" "$out")
        [ "$m" -eq $((n / $1)) ] || { echo "thread $k: $m records with its own user_id and trace_id" >&2; exit 1; }
      done
    fi
    call[$c]+="$(echo "$line" | field call_ns) "
    rps[$c]+="$(echo "$line" | field e2e_rps) "
  done
done
echo "spanlog, N=$n, $reps rounds, medians (min-max); $(nproc) CPUs, $(date -u +%Y-%m-%d)"
printf '%-10s %-8s %-28s %s\n' threads output "caller ns/record" "end-to-end records/s"
for c in "${configs[@]}"; do
  set -- $c
  printf '%-10s %-8s %-28s %s\n' "$1" "$2" "$(echo ${call[$c]} | tr ' ' '\n' | stats)" "$(echo ${rps[$c]} | tr ' ' '\n' | stats)"
done
