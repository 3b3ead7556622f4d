"""Field check of one peer's output file, run by bench/compare.sh on the first round.

usage: python3 check.py FILE N SPAN_LINES USER:TRACE[,USER:TRACE...]
Checks that the file holds N records and SPAN_LINES span lines (spanlog writes the span
open around each thread's loop when it ends), that every record is a JSON object with
every field of the workload record and its value, trace_id of 32 lowercase hex digits and
span_id of 16, and that the records of user k, N/#users of them, carry user k's trace_id.
A field is taken at top level, else from "span" (Rust tracing puts the fields of the
current span there); timestamp, logger and event also go by their peers' other names.
Prints "ok" or "FAIL: ..." and exits 0 or 1.
"""
import json
import re
import sys
from collections import Counter

path, n, span_lines, expect = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
want = dict(p.split(":") for p in expect.split(","))
HEX32 = re.compile(r"[0-9a-f]{32}\Z")
HEX16 = re.compile(r"[0-9a-f]{16}\Z")
# ISO-8601 UTC; the fraction may be missing: Python's isoformat() (structlog's TimeStamper)
# omits it when the microsecond is 0
TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3,9})?(Z|\+00:00)\Z")
ALIASES = {"timestamp": ("timestamp", "time"), "logger": ("logger", "target"),
           "event": ("event", "message", "msg")}


def get(rec, key):
    for scope in (rec, rec.get("span") or {}):
        for k in ALIASES.get(key, (key,)):
            if k in scope:
                return scope[k]
    raise KeyError(key)


per_user, spans, records, nbad, bad = Counter(), 0, 0, 0, []
with open(path, "rb") as f:
    for lineno, line in enumerate(f, 1):
        try:
            rec = json.loads(line)
            if "start_time" in rec:
                spans += 1
                continue
            records += 1
            assert TS.match(get(rec, "timestamp")), "timestamp"
            assert str(get(rec, "level")).lower() == "info", "level"
            assert get(rec, "logger") == "agent", "logger"
            assert get(rec, "event") == "searching", "event"
            assert get(rec, "query") == "Q3 invoices", "query"
            assert get(rec, "top_k") == 5 and type(get(rec, "top_k")) is int, "top_k"
            assert get(rec, "score") == 0.87, "score"
            assert get(rec, "agent") == "research-assistant", "agent"
            uid, tid, sid = get(rec, "user_id"), get(rec, "trace_id"), get(rec, "span_id")
            assert HEX32.match(tid) and HEX16.match(sid), "ids"
            assert want.get(uid) == tid, f"user {uid} with trace {tid}"
            per_user[uid] += 1
        except Exception as e:  # noqa: BLE001
            nbad += 1
            if len(bad) < 2:
                bad.append(f"line {lineno}: {type(e).__name__} {e}")

problems = ([f"{nbad} bad lines"] if nbad else []) + bad
if records != n or spans != span_lines:
    problems.append(f"{records} records and {spans} span lines, want {n} and {span_lines}")
for u in want:
    if per_user[u] != n // len(want):
        problems.append(f"user {u}: {per_user[u]} records, want {n // len(want)}")
print("FAIL: " + "; ".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
