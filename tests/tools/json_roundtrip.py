"""--json gives back every span and every log record of the input: counted and compared by
id, with children in start-time order and the orphan span as a root."""
import datetime
import json
import sys

from treetool import check, fixture, input_records, run, walk

tool = sys.argv[1]
path = fixture("fixture.jsonl")
r = run(tool, "--json", path)
check(r.returncode == 0 and r.stderr == b"", f"exit {r.returncode}, stderr {r.stderr!r}")
traces = [json.loads(line) for line in r.stdout.decode().splitlines()]
want_spans, want_logs = input_records(path)

got_spans, got_logs = [], []
for t in traces:
    check(set(t) == {"trace_id", "start_time", "duration_ms", "spans", "errors", "input_tokens",
                     "output_tokens", "cost_usd", "roots"}, f"trace keys {sorted(t)}")
    nodes = list(walk(t["roots"]))
    real = [n for n in nodes if n["kind"] is not None]
    check(t["spans"] == len(real), f"spans {t['spans']} != {len(real)} nodes")
    check(t["errors"] == sum(n["status"]["code"] == "error" for n in real), "error count")
    for n in nodes:
        check(set(n) == {"name", "span_id", "parent_span_id", "kind", "start_time", "duration_ms", "status",
                         "attributes", "logs", "children"}, f"node keys {sorted(n)}")
        starts = [c["start_time"] for c in n["children"]]
        check(starts == sorted(starts), f"children of {n['span_id']} not in start order")
        stamps = [l.get("timestamp") for l in n["logs"]]
        check(stamps == sorted(stamps), f"records of {n['span_id']} not in time order")
        for l in n["logs"]:
            check(l["trace_id"] == t["trace_id"], "record under the wrong trace")
            check(l.get("span_id") == n["span_id"], "record under the wrong span")
            got_logs.append((l["trace_id"], l.get("span_id")))
    got_spans += [(t["trace_id"], n["span_id"]) for n in real]

check(sorted(got_spans) == sorted(want_spans), f"spans differ:\n{sorted(got_spans)}\n{sorted(want_spans)}")
check(sorted(got_logs) == sorted(want_logs), f"records differ:\n{sorted(got_logs)}\n{sorted(want_logs)}")
check(len(got_spans) == 8 and len(got_logs) == 6, f"{len(got_spans)} spans, {len(got_logs)} records")

by_id = {t["trace_id"]: t for t in traces}
a = by_id["4bf92f3577b34da6a3ce929d0e0e4736"]
roots = {n["span_id"]: n for n in a["roots"]}
check(set(roots) == {"1000000000000001", "1000000000000006", "dddddddddddddddd"}, f"roots {sorted(roots)}")
check(roots["1000000000000006"]["parent_span_id"] == "ffffffffffff0001", "the orphan keeps its parent id")
check([c["span_id"][-1] for c in roots["1000000000000001"]["children"]] == list("2345"), "children order")
check(a["input_tokens"] == 1800 and a["output_tokens"] == 400, "an aggregate agent span is not counted twice")
check(a["duration_ms"] == 2500 and a["cost_usd"] is None, "duration, or a cost without a table")
fetch = roots["1000000000000001"]["children"][2]
check(fetch["status"] == {"code": "error", "message": "fetch_doc did not answer in 1 s"}, f"status {fetch['status']}")
check(fetch["attributes"]["error.type"] == "timeout", "attributes kept")

b = by_id["0af7651916cd43dd8448eb211c80319c"]  # the OTLP/JSON trace, upper-case ids on input
otlp_root = b["roots"][0]
check(otlp_root["kind"] == "server" and otlp_root["status"] == {"code": "unset"}, "OTLP kind and status")
chat = otlp_root["children"][0]
check(chat["attributes"]["gen_ai.usage.input_tokens"] == 500, "intValue strings become numbers")
check(chat["attributes"]["gen_ai.response.finish_reasons"] == ["stop"], "arrayValue becomes an array")
check(chat["duration_ms"] == 750 and chat["logs"][0]["event"] == "model.request", "OTLP timing and record")
start = datetime.datetime.fromtimestamp(1773485000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
check(b["start_time"] == start, f"{b['start_time']} != {start}")
print("ok")
