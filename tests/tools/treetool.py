"""Helpers shared by the spanlog-tree tests: running the tool and reading its output."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fixture(name):
    return os.path.join(HERE, name)


def run(tool, *args, stdin=None, env_extra=None, timeout=60):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    if env_extra:
        env.update(env_extra)
    return subprocess.run([tool, *args], input=stdin, capture_output=True, timeout=timeout, env=env)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def input_records(path):
    """Spans and log records (with a trace id) of a fixture, spanlog and OTLP lines alike."""
    spans, logs = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if "start_time" in o:
                spans.append((o["trace_id"], o["span_id"]))
            elif "resourceSpans" in o:
                for rs in o["resourceSpans"]:
                    for ss in rs["scopeSpans"]:
                        spans += [(s["traceId"].lower(), s["spanId"]) for s in ss["spans"]]
            elif "resourceLogs" in o:
                for rl in o["resourceLogs"]:
                    for sl in rl["scopeLogs"]:
                        logs += [(r["traceId"].lower(), r.get("spanId")) for r in sl["logRecords"]]
            elif o.get("trace_id"):
                logs.append((o["trace_id"], o.get("span_id")))
    return spans, logs


def walk(nodes):
    for n in nodes:
        yield n
        yield from walk(n["children"])
