"""Runs the test-mode program several times and compares what it wrote, byte for byte.

seeded_ids_repeat_across_runs: with SPANLOG_ID_SEED and the program's fake clock, two
runs write identical bytes (a forked child included, whose ids differ from its parent's);
another seed gives other ids (and only other ids: the same lines otherwise); without a
seed, two runs give other ids.
"""
import json
import os
import subprocess
import sys
import tempfile

PROGRAM = sys.argv[1]
failures = []


def run(tmp, name, seed, *args):
    path = os.path.join(tmp, name + ".jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPANLOG_", "OTEL_", "TRACE"))}
    env["SPANLOG_OUTPUT"] = path
    if seed is not None:
        env["SPANLOG_ID_SEED"] = seed
    subprocess.run([PROGRAM, *args], env=env, check=True, timeout=60)
    with open(path, "rb") as f:
        return f.read()


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAILED:", what, file=sys.stderr)


def ids_of(recs):
    """Every trace and span id of the records, in order."""
    return [r[k] for r in recs for k in ("trace_id", "span_id", "parent_span_id") if r.get(k)]


def ids(data):
    return ids_of(json.loads(line) for line in data.decode().splitlines())


def without_ids(data):
    recs = [json.loads(line) for line in data.decode().splitlines()]
    for rec in recs:
        for k in ("trace_id", "span_id", "parent_span_id"):
            rec.pop(k, None)
    return recs


with tempfile.TemporaryDirectory(prefix="spanlog-testmode-") as tmp:
    sanitized = os.environ.get("SPANLOG_TEST_NO_FORK") == "1"
    extra = [] if sanitized else ["fork"]
    a = run(tmp, "a", "42", *extra)
    b = run(tmp, "b", "42", *extra)
    check(len(a.splitlines()) >= 12, "the program wrote its lines")
    check(a == b, "two runs with SPANLOG_ID_SEED=42 and a fake clock write identical bytes")
    every = ids(a)
    check(all(i.strip("0") for i in every), "no id is all zero")

    c = run(tmp, "c", "43", *extra)
    check(a != c, "another seed writes other bytes")
    check(set(ids(a)).isdisjoint(ids(c)), "another seed gives other ids, none shared")
    check(without_ids(a) == without_ids(c), "another seed changes the ids only")

    d = run(tmp, "d", None)
    e = run(tmp, "e", None)
    check(set(ids(d)).isdisjoint(ids(e)), "without a seed, ids are random")
    check(without_ids(d) == without_ids(e), "without a seed, the fake clock still fixes the rest")

    if extra:
        recs = [json.loads(line) for line in a.decode().splitlines()]
        child_traces = {r["trace_id"] for r in recs if r.get("request_id") == 10}
        child = [r for r in recs if r.get("trace_id") in child_traces]
        parent = [r for r in recs if r not in child]
        child_ids, parent_ids = set(ids_of(child)), set(ids_of(parent))
        check(len(child) == 4, "the forked child wrote its two spans and two records")
        check(child_ids.isdisjoint(parent_ids), "a seeded child's ids are none of its parent's")

sys.exit(1 if failures else 0)
