#!/usr/bin/env python3
"""W3C Trace Context conformance of spanlog, over HTTP.

Starts the test service (service.c), plays the part of the caller and of the called
service, and judges the traceparent and tracestate headers the service sends on.
Standard library only.

For every request the harness POSTs to the service a JSON array of
{"url": ..., "arguments": []} whose urls point back at the harness's own HTTP server; the
service calls each of them carrying the trace headers of its current span, and the
harness reads those headers. Headers are written to the service byte for byte
("name:value", nothing trimmed) so that tabs, spaces, odd names and repeated lines reach
spanlog as the case means them.

The cases cover every check of the W3C's test suite (github w3c/trace-context,
test/test.py): level 1 (TraceContextTest, AdvancedTest, with STRICT_LEVEL 2) and level 2
(TraceContext2Test). They are split so that each case checks one thing and is named
after it; `origin` names the suite's test it comes from. Where the suite's assertion is
weaker than the spec's rule, the case checks the rule:

- where a header must be ignored, the outgoing trace id must be one never seen before
  in the run (not only "not the one sent") and no tracestate may go out (the
  processing model: a new traceparent, the tracestate deleted);
- every such case first sends a request that continues a valid trace with a
  tracestate, so that a service that carries one request's trace into the next fails;
- every outgoing traceparent must be a well-formed version 00 header, alone, with
  unknown flag bits cleared, and every outgoing tracestate must parse.

Cases marked `extra` check rules of the spec that the suite does not test.

Usage: harness.py --service PATH [--mode thread-per-request|one-thread]
                  [--level 1|2] [--only SUBSTRING] [--list] [--verbose]
Exit status: 0 when every case passed, 1 otherwise, 2 when the service would not run.
"""

import argparse
import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import uuid

IO_TIMEOUT = 10.0  # seconds, each socket operation of the harness
START_TIMEOUT = 15.0  # seconds for the service to say where it listens
STOP_TIMEOUT = 20.0  # seconds for the service to exit once told to

TRACE_ID = "12345678901234567890123456789012"
PARENT_ID = "1234567890123456"

# ---------------------------------------------------------------------------------------
# The grammar, as the spec writes it


TRACEPARENT_00 = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
TS_KEY = r"[a-z0-9][_0-9a-z\-*/@]{0,255}"
TS_VALUE = r"[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]"
TS_MEMBER = re.compile(r"^(%s)=(%s)$" % (TS_KEY, TS_VALUE))
TS_SPLIT = re.compile(r"[ \t]*,[ \t]*")


class CaseFailure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise CaseFailure(message)


class Outgoing:
    """The trace headers of one call the service made back to the harness."""

    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers  # [(name, raw value after the colon)]
        self.body = body
        tps = [v for n, v in headers if n.lower() == "traceparent"]
        check(len(tps) == 1, "expected one traceparent header on the call, got %d: %r" % (len(tps), tps))
        value = tps[0].strip(" \t")
        m = TRACEPARENT_00.match(value)
        check(m, "the traceparent sent is not a version 00 traceparent: %r" % value)
        self.traceparent = value
        self.trace_id, self.parent_id = m.group(1), m.group(2)
        self.flags = int(m.group(3), 16)
        check(self.trace_id != "0" * 32, "the traceparent sent has an all-zero trace id: %r" % value)
        check(self.parent_id != "0" * 16, "the traceparent sent has an all-zero parent id: %r" % value)
        check(self.flags & ~0x03 == 0,
              "the traceparent sent has flag bits this version does not define (must be 0): %r" % value)
        # tracestate: every line joined with "," (RFC 9110), members split on OWS "," OWS,
        # empty members skipped; a repeated key keeps its first value, as the suite's parser does.
        self.tracestate_lines = [v for n, v in headers if n.lower() == "tracestate"]
        # The service writes "tracestate: " then spanlog's value: what follows the one
        # space is spanlog's text, byte for byte.
        self.tracestate_sent = [v[1:] if v.startswith(" ") else v for v in self.tracestate_lines]
        self.tracestate = []
        seen = set()
        joined = ",".join(v.strip(" \t") for v in self.tracestate_lines)
        for member in TS_SPLIT.split(joined) if joined else []:
            if not member:
                continue
            mm = TS_MEMBER.match(member)
            check(mm, "the tracestate sent does not parse: member %r of %r" % (member, self.tracestate_lines))
            if mm.group(1) not in seen:
                seen.add(mm.group(1))
                self.tracestate.append((mm.group(1), mm.group(2)))

    @property
    def sampled(self):
        return bool(self.flags & 0x01)

    @property
    def random(self):
        return bool(self.flags & 0x02)

    def ts(self, key):
        for k, v in self.tracestate:
            if k == key:
                return v
        return None

    def ts_keys(self):
        return [k for k, _ in self.tracestate]

    def ts_text(self):
        return ",".join("%s=%s" % kv for kv in self.tracestate)

    def __repr__(self):
        return "traceparent %r, tracestate %r" % (self.traceparent, self.tracestate_lines)


# ---------------------------------------------------------------------------------------
# The harness's own HTTP server: the urls the service calls


class CallbackStore:
    def __init__(self):
        self.lock = threading.Condition()
        self.calls = {}  # path -> (headers, body)

    def put(self, path, headers, body):
        with self.lock:
            self.calls[path] = (headers, body)
            self.lock.notify_all()

    def take(self, path):
        with self.lock:
            return self.calls.pop(path, None)


class CallbackHandler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(IO_TIMEOUT)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
                if len(data) > 1 << 20:
                    return
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
            headers = []
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers.append((name, value))
                if name.lower() == "content-length":
                    length = int(value.strip())
            while len(rest) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
            self.server.store.put(path, headers, rest[:length])
            body = b"{}"
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(body), body))
        except (OSError, ValueError):
            pass


class CallbackServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), CallbackHandler)
        self.store = CallbackStore()


# ---------------------------------------------------------------------------------------
# The service under test


class Service:
    def __init__(self, path, mode, workdir):
        env = dict(os.environ)
        # A known starting point: no trace from the environment, the default sampler
        # (parentbased_always_on), the span lines in a file of ours.
        for name in ("TRACEPARENT", "TRACESTATE", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
                     "OTEL_SDK_DISABLED", "SPANLOG_FORMAT", "SPANLOG_LEVEL"):
            env.pop(name, None)
        self.spans_path = os.path.join(workdir, "spans.jsonl")
        self.stderr_path = os.path.join(workdir, "service.stderr")
        env["SPANLOG_OUTPUT"] = self.spans_path
        env["SPANLOG_FORMAT"] = "json"
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([path, "--mode", mode, "--max-seconds", "280"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        self.port = None
        line = [None]

        def read_line():
            line[0] = self.proc.stdout.readline()

        t = threading.Thread(target=read_line, daemon=True)
        t.start()
        t.join(START_TIMEOUT)
        m = re.match(rb"^listening 127\.0\.0\.1:(\d+)\s*$", line[0] or b"")
        if not m:
            self.stop()
            raise RuntimeError("the service did not say where it listens (got %r); stderr:\n%s"
                               % (line[0], self.stderr_text()))
        self.port = int(m.group(1))
        # Keep its stdout drained so that it can never block on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """Closes its stdin (its signal to stop), then waits; SIGTERM and SIGKILL if it
        does not exit in time. Returns its exit status."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            rc = self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                rc = self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait(5)
        self.stderr.close()
        return rc


# ---------------------------------------------------------------------------------------
# A run: sends requests, keeps what every case needs to judge


class Run:
    def __init__(self, service, callbacks, verbose=False):
        self.service = service
        self.callbacks = callbacks
        self.verbose = verbose
        self.cb_port = callbacks.server_address[1]
        # Every trace id the harness has sent, or seen go out: a new trace must not be one.
        self.known_trace_ids = set()
        self.sent_trace_ids = set()
        # For the span-line check: (client span id, trace id, expected parent of the server
        # span, or None for a new trace), for each sampled call.
        self.expectations = []
        self.log = []

    def note(self, text):
        self.log.append(text)

    def request(self, headers, count=1, expect_parent=None):
        """Sends one request with the given header lines; returns the calls the service
        made, in order. expect_parent: the parent id the server span should have, or None
        for a new trace (used by the span-line check)."""
        for name, value in headers:
            if name.lower() == "traceparent":
                m = re.match(r"^[ \t]*[0-9a-z.]+-([0-9a-f.]{31,33})-", value)
                if m:
                    self.known_trace_ids.add(m.group(1))
                    self.sent_trace_ids.add(m.group(1))
        scope = uuid.uuid4().hex
        paths = ["/%s.%d" % (scope, i) for i in range(count)]
        body = json.dumps([{"url": "http://127.0.0.1:%d%s" % (self.cb_port, p), "arguments": []}
                           for p in paths]).encode()
        lines = ["POST /test HTTP/1.1", "Host: 127.0.0.1:%d" % self.service.port, "Accept: application/json",
                 "Content-Type: application/json", "Content-Length: %d" % len(body), "Connection: close"]
        lines += ["%s:%s" % (n, v) for n, v in headers]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        self.note("request %r (%d call%s)" % (headers, count, "" if count == 1 else "s"))
        with socket.create_connection(("127.0.0.1", self.service.port), timeout=IO_TIMEOUT) as s:
            s.sendall(raw)
            answer = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        status = answer.split(b"\r\n", 1)[0]
        check(status.startswith(b"HTTP/1.1 200"), "the service answered %r" % answer[:300])
        result = json.loads(answer.partition(b"\r\n\r\n")[2] or b"null")
        check(isinstance(result, dict) and result.get("failed") == 0 and result.get("callbacks") == count,
              "the service could not make its calls: %r (stderr: %s)" % (result, self.service.stderr_text()[-500:]))
        out = []
        for p in paths:
            got = self.callbacks.store.take(p)
            check(got is not None, "the service made no call to %s" % p)
            o = Outgoing(p, got[0], got[1])
            self.note("  call: %r" % o)
            check(o.body.strip() == b"[]", "the call's body is not the request's arguments: %r" % o.body)
            out.append(o)
            if o.sampled:
                self.expectations.append((o.parent_id, o.trace_id, expect_parent))
        for o in out:
            self.known_trace_ids.add(o.trace_id)
        return out

    def one(self, headers, expect_parent=None):
        return self.request(headers, 1, expect_parent)[0]

    def prime(self):
        """A request that continues a valid trace with a tracestate: what a service keeps
        from it must not show in the next request."""
        trace_id = uuid.uuid4().hex
        self.request([("traceparent", "00-%s-%s-01" % (trace_id, PARENT_ID)),
                      ("tracestate", "primed=1,left=over")], 1, PARENT_ID)

    def new_trace(self, headers, what):
        """Sends headers that must be ignored (after a priming request) and checks that a
        new trace started: a trace id never seen before, no tracestate."""
        self.prime()
        before = set(self.known_trace_ids)
        o = self.one(headers, None)
        check(o.trace_id not in before,
              "%s: expected a new trace, but the call continues trace %s, which %s" % (
                  what, o.trace_id, "the harness sent" if o.trace_id in self.sent_trace_ids else
                  "an earlier request used"))
        check(not o.tracestate and not any(v.strip(" \t") for v in o.tracestate_lines),
              "%s: a new trace must go out without tracestate, got %r" % (what, o.tracestate_lines))
        return o

    def continued(self, headers, trace_id=TRACE_ID, parent_id=PARENT_ID, what=""):
        o = self.one(headers, parent_id)
        check(o.trace_id == trace_id, "%s: expected trace %s to continue, got %r" % (what, trace_id, o))
        check(o.parent_id != parent_id, "%s: the parent id must be the service's own span, not the caller's: %r"
              % (what, o))
        return o


# ---------------------------------------------------------------------------------------
# The cases


class Case:
    def __init__(self, fn, level, origin, extra):
        self.fn = fn
        self.name = fn.__name__
        self.level = level
        self.origin = origin
        self.extra = extra


CASES = []

def case(level, origin, extra=False):
    def deco(fn):
        CASES.append(Case(fn, level, origin, extra))
        return fn
    return deco


def suite(name):
    return "test.py " + name


# ---- level 1: traceparent ----

@case(1, suite("TraceContextTest.test_both_traceparent_and_tracestate_missing"))
def no_trace_headers_start_a_new_trace(run):
    run.new_trace([], "no headers")


@case(1, suite("TraceContextTest.test_traceparent_included_tracestate_missing"))
def valid_traceparent_continues_the_trace_with_a_new_parent_id(run):
    o = run.continued([("traceparent", "00-%s-%s-01" % (TRACE_ID, PARENT_ID))], what="valid traceparent")
    check(not o.tracestate, "no tracestate was sent, none may go out: %r" % o)


@case(1, suite("TraceContextTest.test_traceparent_duplicated"))
def two_traceparent_headers_start_a_new_trace(run):
    run.new_trace([("traceparent", "00-12345678901234567890123456789011-1234567890123456-01"),
                   ("traceparent", "00-12345678901234567890123456789012-1234567890123456-01")],
                  "two traceparent headers")


@case(1, suite("TraceContextTest.test_traceparent_header_name"))
def traceparent_under_another_name_is_ignored(run):
    for name in ("trace-parent", "trace.parent"):
        run.new_trace([(name, "00-%s-%s-01" % (TRACE_ID, PARENT_ID))], "header named %r" % name)


@case(1, suite("TraceContextTest.test_traceparent_header_name_valid_casing"))
def traceparent_header_name_is_case_insensitive(run):
    for name in ("TraceParent", "TrAcEpArEnT", "TRACEPARENT"):
        run.continued([(name, "00-%s-%s-01" % (TRACE_ID, PARENT_ID))], what="header named %r" % name)


@case(1, suite("TraceContextTest.test_traceparent_version_0x00"))
def version_00_with_anything_after_the_flags_is_rejected(run):
    for v in ("00-%s-%s-01." % (TRACE_ID, PARENT_ID),
              "00-%s-%s-01-what-the-future-will-be-like" % (TRACE_ID, PARENT_ID)):
        run.new_trace([("traceparent", v)], "traceparent %r" % v)


@case(1, suite("TraceContextTest.test_traceparent_version_0xcc"))
def future_version_is_continued_and_sent_on_as_version_00(run):
    for v in ("cc-%s-%s-01" % (TRACE_ID, PARENT_ID),
              "cc-%s-%s-01-what-the-future-will-be-like" % (TRACE_ID, PARENT_ID)):
        run.continued([("traceparent", v)], what="traceparent %r" % v)  # Outgoing checks version 00


@case(1, suite("TraceContextTest.test_traceparent_version_0xcc"))
def future_version_with_text_glued_to_the_flags_is_rejected(run):
    v = "cc-%s-%s-01.what-the-future-will-be-like" % (TRACE_ID, PARENT_ID)
    run.new_trace([("traceparent", v)], "traceparent %r" % v)


@case(1, suite("TraceContextTest.test_traceparent_version_0xff"))
def version_ff_is_rejected(run):
    run.new_trace([("traceparent", "ff-%s-%s-01" % (TRACE_ID, PARENT_ID))], "version ff")


@case(1, suite("TraceContextTest.test_traceparent_version_illegal_characters"))
def version_with_illegal_characters_is_rejected(run):
    for ver in (".0", "0."):
        run.new_trace([("traceparent", "%s-%s-%s-01" % (ver, TRACE_ID, PARENT_ID))], "version %r" % ver)


@case(1, suite("TraceContextTest.test_traceparent_version_too_long"))
def version_longer_than_2_digits_is_rejected(run):
    for ver in ("000", "0000"):
        run.new_trace([("traceparent", "%s-%s-%s-01" % (ver, TRACE_ID, PARENT_ID))], "version %r" % ver)


@case(1, suite("TraceContextTest.test_traceparent_version_too_short"))
def version_shorter_than_2_digits_is_rejected(run):
    run.new_trace([("traceparent", "0-%s-%s-01" % (TRACE_ID, PARENT_ID))], "version '0'")


@case(1, suite("TraceContextTest.test_traceparent_trace_id_all_zero"))
def all_zero_trace_id_is_rejected(run):
    run.new_trace([("traceparent", "00-%s-%s-01" % ("0" * 32, PARENT_ID))], "all-zero trace id")


@case(1, suite("TraceContextTest.test_traceparent_trace_id_illegal_characters"))
def trace_id_with_illegal_characters_is_rejected(run):
    for tid in (".2345678901234567890123456789012", "1234567890123456789012345678901."):
        run.new_trace([("traceparent", "00-%s-%s-01" % (tid, PARENT_ID))], "trace id %r" % tid)


@case(1, suite("TraceContextTest.test_traceparent_trace_id_too_long"))
def trace_id_longer_than_32_digits_is_rejected(run):
    o = run.new_trace([("traceparent", "00-123456789012345678901234567890123-%s-01" % PARENT_ID)],
                      "33-digit trace id")
    check(o.trace_id not in (TRACE_ID, "23456789012345678901234567890123"),
          "a 32-digit part of the 33-digit trace id was continued: %r" % o)


@case(1, suite("TraceContextTest.test_traceparent_trace_id_too_short"))
def trace_id_shorter_than_32_digits_is_rejected(run):
    run.new_trace([("traceparent", "00-1234567890123456789012345678901-%s-01" % PARENT_ID)], "31-digit trace id")


@case(1, suite("TraceContextTest.test_traceparent_parent_id_all_zero"))
def all_zero_parent_id_is_rejected(run):
    run.new_trace([("traceparent", "00-%s-%s-01" % (TRACE_ID, "0" * 16))], "all-zero parent id")


@case(1, suite("TraceContextTest.test_traceparent_parent_id_illegal_characters"))
def parent_id_with_illegal_characters_is_rejected(run):
    for pid in (".234567890123456", "123456789012345."):
        run.new_trace([("traceparent", "00-%s-%s-01" % (TRACE_ID, pid))], "parent id %r" % pid)


@case(1, suite("TraceContextTest.test_traceparent_parent_id_too_long"))
def parent_id_longer_than_16_digits_is_rejected(run):
    run.new_trace([("traceparent", "00-%s-12345678901234567-01" % TRACE_ID)], "17-digit parent id")


@case(1, suite("TraceContextTest.test_traceparent_parent_id_too_short"))
def parent_id_shorter_than_16_digits_is_rejected(run):
    run.new_trace([("traceparent", "00-%s-123456789012345-01" % TRACE_ID)], "15-digit parent id")


@case(1, suite("TraceContextTest.test_traceparent_trace_flags_illegal_characters"))
def trace_flags_with_illegal_characters_are_rejected(run):
    for flags in (".0", "0."):
        run.new_trace([("traceparent", "00-%s-%s-%s" % (TRACE_ID, PARENT_ID, flags))], "flags %r" % flags)


@case(1, suite("TraceContextTest.test_traceparent_trace_flags_too_long"))
def trace_flags_longer_than_2_digits_are_rejected(run):
    run.new_trace([("traceparent", "00-%s-%s-001" % (TRACE_ID, PARENT_ID))], "flags '001'")


@case(1, suite("TraceContextTest.test_traceparent_trace_flags_too_short"))
def trace_flags_shorter_than_2_digits_are_rejected(run):
    run.new_trace([("traceparent", "00-%s-%s-1" % (TRACE_ID, PARENT_ID))], "flags '1'")


@case(1, suite("TraceContextTest.test_traceparent_ows_handling"))
def spaces_and_tabs_around_the_traceparent_are_accepted(run):
    tp = "00-%s-%s-01" % (TRACE_ID, PARENT_ID)
    for v in (" " + tp, "\t" + tp, tp + " ", tp + "\t", "\t " + tp + " \t"):
        run.continued([("traceparent", v)], what="traceparent %r" % v)


# ---- level 1: tracestate ----

TP00 = ("traceparent", "00-%s-%s-00" % (TRACE_ID, PARENT_ID))


def continued_ts(run, tracestate_lines, what):
    return run.continued([TP00] + [("tracestate", v) for v in tracestate_lines], what=what)


@case(1, suite("TraceContextTest.test_tracestate_included_traceparent_missing"))
def tracestate_without_traceparent_is_discarded(run):
    for ts in ("foo=1", "foo=1,bar=2"):
        run.new_trace([("tracestate", ts)], "tracestate %r without traceparent" % ts)


@case(1, suite("TraceContextTest.test_tracestate_included_traceparent_included"))
def tracestate_goes_on_with_the_continued_trace(run):
    o = continued_ts(run, ["foo=1,bar=2"], "tracestate 'foo=1,bar=2'")
    check(o.ts("foo") == "1" and o.ts("bar") == "2", "expected foo=1 and bar=2 in the tracestate: %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_header_name"))
def tracestate_under_another_name_is_ignored(run):
    for name in ("trace-state", "trace.state"):
        o = run.continued([TP00, (name, "foo=1")], what="header named %r" % name)
        check(o.ts("foo") is None, "a header named %r was taken for tracestate: %r" % (name, o))


@case(1, suite("TraceContextTest.test_tracestate_header_name_valid_casing"))
def tracestate_header_name_is_case_insensitive(run):
    for name in ("TraceState", "TrAcEsTaTe", "TRACESTATE"):
        o = run.continued([TP00, (name, "foo=1")], what="header named %r" % name)
        check(o.ts("foo") == "1", "tracestate under the name %r was lost: %r" % (name, o))


@case(1, suite("TraceContextTest.test_tracestate_empty_header"))
def empty_tracestate_header_is_accepted(run):
    o = continued_ts(run, [""], "an empty tracestate")
    check(not o.tracestate, "an empty tracestate came back with members: %r" % o)
    check(not o.tracestate_lines, "an empty tracestate header was sent on (the spec: avoid sending them): %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_empty_header"))
def empty_tracestate_line_beside_a_full_one_is_accepted(run):
    for lines in (["foo=1", ""], ["", "foo=1"]):
        o = continued_ts(run, lines, "tracestate lines %r" % lines)
        check(o.ts("foo") == "1", "foo=1 was lost: %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_multiple_headers_different_keys"))
def tracestate_lines_are_combined_in_order(run):
    o = continued_ts(run, ["foo=1,bar=2", "rojo=1,congo=2", "baz=3"], "three tracestate lines")
    check(o.tracestate == [("foo", "1"), ("bar", "2"), ("rojo", "1"), ("congo", "2"), ("baz", "3")],
          "expected foo=1,bar=2,rojo=1,congo=2,baz=3 in that order: %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_duplicated_keys (strict)"))
def tracestate_duplicate_keys_are_kept_or_one_is_dropped(run):
    for lines, allowed in ((["foo=1,foo=1"], ("1",)), (["foo=1,foo=2"], ("1", "2")),
                           (["foo=1", "foo=1"], ("1",)), (["foo=1", "foo=2"], ("1", "2"))):
        o = continued_ts(run, lines, "tracestate %r" % lines)
        check(o.ts("foo") in allowed, "expected foo with one of %r: %r" % (allowed, o))


@case(1, suite("TraceContextTest.test_tracestate_all_allowed_characters"))
def tracestate_of_every_allowed_character_goes_on_unchanged(run):
    key = "".join(chr(c) for c in range(0x61, 0x7b)) + "0123456789_-*/"
    value = "".join(chr(c) for c in list(range(0x20, 0x2c)) + list(range(0x2d, 0x3d)) + list(range(0x3e, 0x7f)))
    for k in (key, key + "@a-z0-9_-*/"):
        o = continued_ts(run, ["%s=%s" % (k, value)], "key %r" % k)
        check(o.ts(k) == value, "the member with key %r did not come back unchanged: %r" % (k, o))


@case(1, suite("TraceContextTest.test_tracestate_ows_handling"))
def spaces_and_tabs_around_tracestate_members_are_accepted(run):
    for ts in ("foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3"):
        o = continued_ts(run, [ts], "tracestate %r" % ts)
        check(o.tracestate == [("foo", "1"), ("bar", "2"), ("baz", "3")], "expected foo=1,bar=2,baz=3: %r" % o)
    for ts in (" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"):
        o = continued_ts(run, [ts], "tracestate %r" % ts)
        check(o.tracestate == [("foo", "1")], "expected foo=1: %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_key_illegal_characters (strict)"))
def tracestate_with_an_illegal_key_is_discarded(run):
    for ts in ("foo =1", "FOO=1", "foo.bar=1"):
        o = continued_ts(run, [ts], "tracestate %r" % ts)
        check(not o.tracestate, "tracestate %r must be discarded, got %r" % (ts, o))


@case(1, suite("TraceContextTest.test_tracestate_key_illegal_vendor_format (strict)"))
def tracestate_keys_with_inner_at_signs_are_kept(run):
    for key in ("foo@", "foo@@bar", "foo@bar@baz"):
        o = continued_ts(run, ["%s=1,bar=2" % key], "key %r" % key)
        check(o.ts(key) == "1" and o.ts("bar") == "2", "expected %s=1 and bar=2: %r" % (key, o))


@case(1, suite("TraceContextTest.test_tracestate_key_illegal_vendor_format (strict)"))
def tracestate_with_a_key_starting_with_an_at_sign_is_discarded(run):
    o = continued_ts(run, ["@foo=1,bar=2"], "key '@foo'")
    check(not o.tracestate, "the whole tracestate must be discarded, got %r" % o)


BAR32 = ["bar01=01,bar02=02,bar03=03,bar04=04,bar05=05,bar06=06,bar07=07,bar08=08,bar09=09,bar10=10",
         "bar11=11,bar12=12,bar13=13,bar14=14,bar15=15,bar16=16,bar17=17,bar18=18,bar19=19,bar20=20",
         "bar21=21,bar22=22,bar23=23,bar24=24,bar25=25,bar26=26,bar27=27,bar28=28,bar29=29,bar30=30"]


@case(1, suite("TraceContextTest.test_tracestate_member_count_limit (strict)"))
def tracestate_of_32_members_goes_on_whole(run):
    o = continued_ts(run, BAR32 + ["bar31=31,bar32=32"], "32 members")
    check(len(o.tracestate) == 32 and o.ts("bar01") == "01" and o.ts("bar32") == "32",
          "expected all 32 members: %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_member_count_limit (strict)"))
def tracestate_of_33_members_is_discarded(run):
    o = continued_ts(run, BAR32 + ["bar31=31,bar32=32,bar33=33"], "33 members")
    check(not o.tracestate, "a 33-member tracestate must be discarded, got %d members" % len(o.tracestate))


@case(1, suite("TraceContextTest.test_tracestate_key_length_limit (strict)"))
def tracestate_key_of_256_characters_is_kept(run):
    key = "z" * 256
    o = continued_ts(run, ["foo=1", key + "=1"], "a 256-character key")
    check(o.ts("foo") == "1" and o.ts(key) == "1", "expected foo=1 and the 256-character key: %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_key_length_limit (strict)"))
def tracestate_with_a_key_of_257_characters_is_discarded(run):
    o = continued_ts(run, ["foo=1", "z" * 257 + "=1"], "a 257-character key")
    check(not o.tracestate, "the whole tracestate must be discarded, got %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_key_length_limit (strict)"))
def tracestate_keys_with_at_signs_up_to_256_characters_are_kept(run):
    for key in ("t" * 241 + "@" + "v" * 14, "t" * 242 + "@v", "t@" + "v" * 15):
        o = continued_ts(run, ["foo=1", key + "=1"], "key of %d characters" % len(key))
        check(o.ts("foo") == "1" and o.ts(key) == "1", "expected foo=1 and %r=1: %r" % (key, o))


@case(1, suite("TraceContextTest.test_tracestate_value_illegal_characters (strict)"))
def tracestate_value_with_an_equals_sign_is_discarded(run):
    o = continued_ts(run, ["foo=bar=baz"], "value 'bar=baz'")
    check(not o.tracestate, "tracestate 'foo=bar=baz' must be discarded, got %r" % o)


@case(1, suite("TraceContextTest.test_tracestate_value_illegal_characters (strict)"))
def tracestate_with_an_empty_value_is_discarded(run):
    o = continued_ts(run, ["foo=,bar=3"], "an empty value")
    check(not o.tracestate, "tracestate 'foo=,bar=3' must be discarded whole, got %r" % o)


# ---- level 1: several calls from one request ----

@case(1, suite("AdvancedTest.test_multiple_requests_with_valid_traceparent"))
def calls_of_a_continued_trace_share_it_with_distinct_parent_ids(run):
    outs = run.request([("traceparent", "00-%s-%s-01" % (TRACE_ID, PARENT_ID))], 3, PARENT_ID)
    check({o.trace_id for o in outs} == {TRACE_ID}, "every call must continue %s: %r" % (TRACE_ID, outs))
    check(len({o.parent_id for o in outs}) == 3, "three calls need three parent ids: %r" % outs)


@case(1, suite("AdvancedTest.test_multiple_requests_without_traceparent"))
def calls_of_a_new_trace_share_it_with_distinct_parent_ids(run):
    run.prime()
    before = set(run.known_trace_ids)
    outs = run.request([], 3, None)
    check(len({o.parent_id for o in outs}) == 3, "three calls need three parent ids: %r" % outs)
    check(len({o.trace_id for o in outs}) == 1, "the calls of one request are one trace: %r" % outs)
    check(outs[0].trace_id not in before, "expected a new trace, got a known one: %r" % outs)


@case(1, suite("AdvancedTest.test_multiple_requests_with_illegal_traceparent"))
def calls_after_an_invalid_traceparent_share_one_new_trace(run):
    run.prime()
    before = set(run.known_trace_ids)
    outs = run.request([("traceparent", "00-%s-%s-01" % ("0" * 32, PARENT_ID))], 3, None)
    check(len({o.parent_id for o in outs}) == 3, "three calls need three parent ids: %r" % outs)
    check(len({o.trace_id for o in outs}) == 1, "the calls of one request are one trace: %r" % outs)
    check(outs[0].trace_id not in before, "expected a new trace, got a known one: %r" % outs)


# ---- level 1: beyond the suite ----

@case(1, "extra: a request's trace must not leak into the next one served by the same thread", extra=True)
def request_after_a_continued_one_starts_its_own_trace(run):
    for headers, what in (([], "no traceparent"), ([("traceparent", "garbage")], "an invalid traceparent"),
                          ([("tracestate", "foo=1")], "a tracestate alone")):
        run.new_trace(headers, what + " right after a continued trace")


@case(1, "extra: spec §tracestate, OWS: 'SHOULD generate the optional whitespace as a single space; "
         "otherwise SHOULD NOT generate' it; empty members are tolerated on receipt", extra=True)
def tracestate_goes_out_without_tabs_runs_of_spaces_or_empty_members(run):
    for lines in (["foo=1 \t , \t bar=2, \t baz=3"], ["\t foo=1 \t"], ["foo=1,,bar=2, ,"], ["foo=1", ""]):
        o = continued_ts(run, lines, "tracestate %r" % lines)
        for sent in o.tracestate_sent:
            members = sent.split(",")
            check("\t" not in sent, "a tab went out in the tracestate %r (from %r)" % (sent, lines))
            check(all(m.strip(" ") for m in members), "an empty member went out in %r (from %r)" % (sent, lines))
            check(sent == sent.strip(" ") and all(not m.startswith("  ") and not m.endswith("  ") for m in members),
                  "spaces other than a single one beside a comma went out in %r (from %r)" % (sent, lines))


@case(1, "extra: spec §value: 'All leading spaces MUST be preserved as part of the value'", extra=True)
def tracestate_value_keeps_its_leading_spaces(run):
    o = continued_ts(run, ["foo=  x,bar=2"], "value '  x'")
    check(o.ts("foo") == "  x" and o.ts("bar") == "2", "expected foo='  x' and bar=2: %r" % o)


@case(1, "extra: spec §combined header value: 'SHOULD propagate at least 512 characters'", extra=True)
def tracestate_of_512_characters_goes_on_whole(run):
    text = ",".join("k%d=%s" % (i, chr(ord("a") + i) * 60) for i in range(7))
    text += ",z=" + "y" * (512 - len(text) - 3)
    check(len(text) == 512, "the harness built %d characters" % len(text))
    o = continued_ts(run, [text], "512 characters")
    check(o.ts_text() == text, "the 512-character tracestate did not go on whole: %r" % o)


@case(1, "extra: spec §sampled flag, with spanlog's default sampler (parentbased_always_on)", extra=True)
def sampled_flag_follows_the_caller(run):
    for flags, sampled in (("01", True), ("00", False)):
        o = run.continued([("traceparent", "00-%s-%s-%s" % (TRACE_ID, PARENT_ID, flags))], what="flags " + flags)
        check(o.sampled == sampled, "caller flags %s: expected sampled=%s, got %r" % (flags, sampled, o))


@case(1, "extra: processing model: 'Vendors will set all unparsed / unknown trace-flags to 0'", extra=True)
def unknown_trace_flags_are_not_sent_on(run):
    for flags in ("ff", "fd", "05"):
        o = run.continued([("traceparent", "00-%s-%s-%s" % (TRACE_ID, PARENT_ID, flags))], what="flags " + flags)
        check(o.sampled == bool(int(flags, 16) & 1), "the sampled bit of %s was not followed: %r" % (flags, o))
        # Outgoing already checks that bits 2..7 are 0.


@case(1, "extra: concurrent requests each keep their own trace and tracestate", extra=True)
def concurrent_requests_keep_their_own_traces(run):
    results, errors = {}, []

    def one(i):
        tid = uuid.uuid4().hex
        try:
            outs = run.request([("traceparent", "00-%s-%s-01" % (tid, PARENT_ID)), ("tracestate", "req=r%d" % i)],
                               2, PARENT_ID)
            results[i] = (tid, outs)
        except Exception as e:  # reported below
            errors.append("request %d: %s" % (i, e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(IO_TIMEOUT * 3)
    check(not errors, "; ".join(errors))
    check(len(results) == 8, "only %d of 8 requests finished" % len(results))
    for i, (tid, outs) in results.items():
        for o in outs:
            check(o.trace_id == tid and o.tracestate == [("req", "r%d" % i)],
                  "request %d (trace %s, req=r%d) sent %r" % (i, tid, i, o))


# ---- level 2 ----

@case(2, suite("TraceContext2Test.test_propagates_random_flag"))
def random_flag_of_the_caller_is_kept(run):
    for flags in ("02", "03"):
        o = run.continued([("traceparent", "00-%s-%s-%s" % (TRACE_ID, PARENT_ID, flags))], what="flags " + flags)
        check(o.random, "the caller's random flag (flags %s) was dropped: %r" % (flags, o))


@case(2, "extra: spec §random trace id flag: 'If the flag is unset in the incoming traceparent header, it "
         "MUST also be unset in any outgoing traceparent headers which use the same trace-id'", extra=True)
def random_flag_is_not_set_on_a_caller_trace_without_it(run):
    for flags in ("00", "01"):
        o = run.continued([("traceparent", "00-%s-%s-%s" % (TRACE_ID, PARENT_ID, flags))], what="flags " + flags)
        check(not o.random, "the random flag was set on a trace whose caller did not set it: %r" % o)


@case(2, "extra: spec §random trace id flag: a new trace id random in at least its right-most 7 bytes "
         "'SHOULD' carry the flag (spanlog's trace ids are random in all 16 bytes)", extra=True)
def new_trace_sets_the_random_flag(run):
    for headers, what in (([], "no traceparent"), ([("traceparent", "ff-%s-%s-01" % (TRACE_ID, PARENT_ID))],
                                                     "an invalid traceparent")):
        outs = run.request(headers, 2, None)
        for o in outs:
            check(o.random, "a new trace (%s) went out without the random flag: %r" % (what, o))


@case(2, "extra: the random flag of the caller is kept on every call of the request",
      extra=True)
def random_flag_is_kept_on_every_call(run):
    outs = run.request([("traceparent", "00-%s-%s-02" % (TRACE_ID, PARENT_ID))], 3, PARENT_ID)
    for o in outs:
        check(o.random and o.trace_id == TRACE_ID, "a call dropped the random flag: %r" % o)


# ---- after the run: the span lines agree with what went on the wire ----

SPAN_LINES_CHECK = "span_lines_agree_with_the_propagated_headers"


def check_span_lines(run):
    """After the run, once the service has exited: each sampled call's client span is in the span lines, in the right trace, a child of
    the request's server span, whose parent is the caller's span (or none: a new trace)."""
    spans = {}
    with open(run.service.spans_path, "rb") as f:
        for n, line in enumerate(f, 1):
            try:
                rec = json.loads(line)
            except ValueError:
                raise CaseFailure("line %d of the service's output is not JSON: %r" % (n, line[:200]))
            if "span_id" in rec and "kind" in rec:
                spans[rec["span_id"]] = rec
    problems = []
    for client_id, trace_id, expect_parent in run.expectations:
        c = spans.get(client_id)
        if not c:
            problems.append("no span line for the client span %s" % client_id)
            continue
        s = spans.get(c.get("parent_span_id"))
        if c.get("trace_id") != trace_id or c.get("kind") != "client" or not s or s.get("kind") != "server":
            problems.append("client span %s: trace %s, kind %s, parent %s" % (
                client_id, c.get("trace_id"), c.get("kind"), c.get("parent_span_id")))
            continue
        if s.get("trace_id") != trace_id or s.get("parent_span_id") != expect_parent:
            problems.append("server span %s of trace %s has parent %s; expected %s" % (
                s["span_id"], s.get("trace_id"), s.get("parent_span_id"), expect_parent or "none (a new trace)"))
    check(not problems, "%d of %d calls: %s" % (len(problems), len(run.expectations), "; ".join(problems[:5])))


# ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--service", help="the test service's executable")
    ap.add_argument("--mode", default="thread-per-request", choices=("thread-per-request", "one-thread"))
    ap.add_argument("--level", type=int, choices=(1, 2), help="run this level's cases only")
    ap.add_argument("--only", help="run the cases whose name contains this")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--verbose", action="store_true", help="print every request and call")
    args = ap.parse_args()

    cases = [c for c in CASES if (not args.level or c.level == args.level) and (not args.only or args.only in c.name)]
    if args.list:
        for c in cases:
            print("level %d  %-66s %s" % (c.level, c.name, c.origin))
        print("after the run  %-59s %s" % (SPAN_LINES_CHECK, "extra: the service's span lines (its "
                                                                 "SPANLOG_OUTPUT) say what its headers said"))
        for lvl in (1, 2):
            sel = [c for c in cases if c.level == lvl]
            print("level %d: %d cases (%d from the suite, %d extra)" % (
                lvl, len(sel), sum(not c.extra for c in sel), sum(c.extra for c in sel)))
        return 0
    if not args.service:
        ap.error("--service is required")

    print("W3C Trace Context over HTTP: service %s, mode %s" % (os.path.basename(args.service), args.mode))
    callbacks = CallbackServer()
    cb_thread = threading.Thread(target=callbacks.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    cb_thread.start()
    with tempfile.TemporaryDirectory(prefix="spanlog-w3c-") as workdir:
        try:
            service = Service(args.service, args.mode, workdir)
        except (OSError, RuntimeError) as e:
            print("ERROR: %s" % e)
            callbacks.shutdown()
            callbacks.server_close()
            return 2
        run = Run(service, callbacks, args.verbose)
        results = []  # (case, error or None)
        try:
            for c in cases:
                run.log = []
                error = None
                try:
                    c.fn(run)
                except CaseFailure as e:
                    error = str(e)
                except (OSError, ValueError) as e:
                    error = "%s: %s" % (type(e).__name__, e)
                if not service.alive():
                    error = (error or "") + " [the service exited with status %s; stderr:\n%s]" % (
                        service.proc.returncode, service.stderr_text())
                results.append((c, error))
                report(c, error, args.mode, run.log if (error or args.verbose) else [])
                if not service.alive():
                    break
        finally:
            rc = service.stop()
            callbacks.shutdown()
            callbacks.server_close()

        status_error = None if rc == 0 else "the service exited with status %s; stderr:\n%s" % (
            rc, service.stderr_text())
        span_error = None
        if status_error is None and results and len(results) == len(cases):
            try:
                check_span_lines(run)
            except (CaseFailure, OSError) as e:
                span_error = str(e)

    print()
    failed = [(c, e) for c, e in results if e]
    for lvl in (1, 2):
        sel = [(c, e) for c, e in results if c.level == lvl]
        if sel:
            print("level %d: %d of %d cases passed" % (lvl, sum(not e for _, e in sel), len(sel)))
    if failed:
        print("failed: %d" % len(failed))
    if span_error:
        print("FAIL %s: %s" % (SPAN_LINES_CHECK, span_error))
    elif status_error is None and results and len(results) == len(cases):
        print("PASS %s" % SPAN_LINES_CHECK)
    if status_error:
        print("FAIL %s" % status_error)
    return 0 if not failed and not span_error and not status_error else 1


def report(c, error, mode, log):
    tag = "PASS" if not error else "FAIL"
    print("%s level %d %s" % (tag, c.level, c.name))
    if error:
        print("     %s" % error)
        print("     (%s)" % c.origin)
    for line in log:
        print("       " + line)


if __name__ == "__main__":
    sys.exit(main())
