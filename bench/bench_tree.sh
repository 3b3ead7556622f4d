#!/bin/sh
# spanlog-tree --summary over a generated file of N lines (default 1 000 000): 100 000
# agent traces of 10 lines each (a root, two chat spans, two tool spans, five records),
# in spanlog's line format. Prints each run and the median wall time.
# usage: bench/bench_tree.sh [BUILD_DIR] [LINES] [RUNS]   (run from the source root)
set -eu
build=${1:-build-tree}
lines=${2:-1000000}
runs=${3:-5}
tool=${SPANLOG_TREE:-$build/tools/spanlog-tree}  # SPANLOG_TREE: another binary
[ -x "$tool" ] || { echo "bench_tree: $tool not built (meson compile -C $build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
input=$work/traces.jsonl

awk -v lines="$lines" 'BEGIN {
  ts = "2026-03-14T10:42:13."
  for (t = 0; t * 10 < lines; t++) {
    tid = sprintf("%016x%016x", t + 1, 7777)
    root = sprintf("%016x", t * 16 + 1)
    for (k = 2; k <= 5; k++) {
      sid = sprintf("%016x", t * 16 + k)
      chat = k <= 3
      printf "{\"timestamp\":\"%s%06dZ\",\"level\":\"info\",\"logger\":\"agent\",\"event\":\"%s\",\"query\":\"Q3 invoices\",\"user_id\":\"u_%d\",\"trace_id\":\"%s\",\"span_id\":\"%s\"}\n", ts, k * 1000, chat ? "model.request" : "tool.call", t % 997, tid, sid
      if (chat)
        printf "{\"name\":\"chat claude-sonnet-4-5\",\"trace_id\":\"%s\",\"span_id\":\"%s\",\"parent_span_id\":\"%s\",\"kind\":\"client\",\"start_time\":\"%s%06dZ\",\"end_time\":\"%s%06dZ\",\"duration_ms\":%d.1,\"status\":{\"code\":\"ok\"},\"attributes\":{\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"claude-sonnet-4-5\",\"gen_ai.usage.input_tokens\":%d,\"gen_ai.usage.output_tokens\":%d},\"events\":[],\"links\":[]}\n", tid, sid, root, ts, k * 1000, ts, k * 1000 + 500 + t % 300, (500 + t % 300) / 1000, 800 + t % 50, 120 + t % 7
      else
        printf "{\"name\":\"execute_tool search_docs\",\"trace_id\":\"%s\",\"span_id\":\"%s\",\"parent_span_id\":\"%s\",\"kind\":\"internal\",\"start_time\":\"%s%06dZ\",\"end_time\":\"%s%06dZ\",\"duration_ms\":%d.2,\"status\":{\"code\":\"%s\"},\"attributes\":{\"gen_ai.operation.name\":\"execute_tool\",\"gen_ai.tool.name\":\"search_docs\"},\"events\":[],\"links\":[]}\n", tid, sid, root, ts, k * 1000, ts, k * 1000 + 90, t % 90, t % 50 == 0 ? "error" : "ok"
    }
    printf "{\"timestamp\":\"%s%06dZ\",\"level\":\"info\",\"logger\":\"agent\",\"event\":\"answer\",\"trace_id\":\"%s\",\"span_id\":\"%s\"}\n", ts, 9000, tid, root
    printf "{\"name\":\"invoke_agent research-assistant\",\"trace_id\":\"%s\",\"span_id\":\"%s\",\"parent_span_id\":null,\"kind\":\"internal\",\"start_time\":\"%s000000Z\",\"end_time\":\"%s010000Z\",\"duration_ms\":10.0,\"status\":{\"code\":\"ok\"},\"attributes\":{\"gen_ai.operation.name\":\"invoke_agent\",\"gen_ai.agent.name\":\"research-assistant\"},\"events\":[],\"links\":[]}\n", tid, root, ts, ts
  }
}' > "$input"
echo "input: $(wc -l < "$input") lines, $(du -m "$input" | cut -f1) MB"

times=""
i=0
while [ "$i" -lt "$runs" ]; do
  start=$(date +%s%N)
  "$tool" --summary "$input" > "$work/out.txt"
  end=$(date +%s%N)
  t=$(awk -v ns="$((end - start))" 'BEGIN { printf "%.3f", ns / 1e9 }')
  echo "run $((i + 1)): ${t} s, $(wc -l < "$work/out.txt") traces"
  times="$times $t"
  i=$((i + 1))
done
median=$(printf '%s\n' $times | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "spanlog-tree --summary, $lines lines: median ${median} s over $runs runs"
