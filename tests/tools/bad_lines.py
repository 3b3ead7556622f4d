"""Malformed, truncated and non-UTF-8 lines are skipped and counted on stderr (exactly
"spanlog-tree: skipped N lines"), the rest is read, the exit status is 0, never a crash."""
import json
import sys

from treetool import check, fixture, run

tool = sys.argv[1]
good = open(fixture("fixture.jsonl"), "rb").read().splitlines()
span = good[2]  # a chat span line
bad = [
    b'{"name":"chat","trace_id":',                       # truncated
    span[: len(span) // 2],                               # cut in the middle of a string
    span.replace(b"claude-sonnet-4-5", b"claude-\xff-4-5", 1),   # invalid UTF-8
    span.replace(b"claude-sonnet-4-5", b"claude-\xc0\xaf-4-5", 1),  # overlong encoding
    span.replace(b"claude-sonnet-4-5", b"claude-\xed\xa0\x80-4-5", 1),  # an encoded surrogate
    span.replace(b"claude-sonnet-4-5", b"claude-\\ud800-4-5", 1),  # a lone surrogate escape
    span.replace(b'"ok"', b"'ok'", 1),                   # not JSON quotes
    span + b" x",                                         # garbage after the object
    b'{"a":NaN}',                                         # not a JSON literal
    b'{"a":01}',                                          # leading zero
    b'{"a":"tab\there"}',                                 # raw control character
    b"[" * 100000 + b"]" * 100000,                        # nesting beyond any limit
    b'{"foo":1}',                                         # JSON, but no record
    b"\x00\x01\x02",
    b'{"name":"x","trace_id":"zz","span_id":"1","start_time":"2026-03-14T10:42:13Z"}',  # bad ids
    b'{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000000"}]}]}]}',
]
data = b"\n".join(good[:6] + bad[:8] + good[6:] + bad[8:]) + b"\n" + span[:40]  # last line truncated, no newline
r = run(tool, "--json", stdin=data)
check(r.returncode == 0, f"exit {r.returncode}")
check(r.stderr == b"spanlog-tree: skipped %d lines\n" % (len(bad) + 1), f"stderr {r.stderr!r}")
traces = [json.loads(l) for l in r.stdout.decode().splitlines()]
check(sorted(t["spans"] for t in traces) == [2, 6], f"the good lines were read: {[t['spans'] for t in traces]}")

r = run(tool, stdin=b"")
check(r.returncode == 0 and r.stdout == b"" and r.stderr == b"", "empty input")
r = run(tool, "--summary", stdin=b"\n\n  \n" + good[2] + b"\r\n")
check(r.returncode == 0 and r.stderr == b"", f"blank lines and CRLF are not errors: {r.stderr!r}")
print("ok")
