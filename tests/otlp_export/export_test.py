#!/usr/bin/env python3
"""spanlog's OTLP export, end to end: otlp_emit (the public API, exporters set up from
the environment) against tests/otlp/fake_receiver.py for the fault cases, and against
the real peers tests/otlp/peers.sh starts (OpenTelemetry Collector, Jaeger, Arize
Phoenix) and the JS reference decoder.

    export_test.py CASE OTLP_EMIT

Exit 0 pass, 1 fail, 77 skip (a peer that cannot be had; with CI=true that fails).
Every process started here binds 127.0.0.1 and is stopped by its id."""

import email.utils
import glob
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
OTLP = os.path.join(os.path.dirname(HERE), "otlp")
PEERS = os.path.join(OTLP, "peers.sh")
FAKE = os.path.join(OTLP, "fake_receiver.py")
DECODER = os.path.join(OTLP, "decoder", "decode.js")


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


# ---- processes ----------------------------------------------------------------

class Fake:
    """fake_receiver.py on a free port (or the given one), storing requests in out."""

    def __init__(self, work, *args, port=0):
        self.out = os.path.join(work, "fake-%d" % time.monotonic_ns())
        self.proc = subprocess.Popen([sys.executable, FAKE, "--port", str(port), "--out", self.out, *args],
                                     stdout=subprocess.PIPE, start_new_session=True)
        line = self.proc.stdout.readline().strip()
        check(line.isdigit(), "fake_receiver did not start")
        self.port = int(line)
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def requests(self):
        """[(head lines, body bytes, mtime ns)] in arrival order."""
        out = []
        for f in sorted(glob.glob(os.path.join(self.out, "*.http"))):
            data = open(f, "rb").read()
            head, _, body = data.partition(b"\r\n\r\n")
            out.append((head.decode("latin-1").split("\r\n"), body, os.stat(f).st_mtime_ns))
        return out

    def answers(self):
        p = os.path.join(self.out, "requests.log")
        return [l.split()[2].split("=")[1] for l in open(p)] if os.path.exists(p) else []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def base_env(work, extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "SPANLOG_", "TRACEPARENT"))}
    env["SPANLOG_OUTPUT"] = os.path.join(work, "local.jsonl")
    env.update(extra)
    return env


def emit(emitter, work, env, *args, timeout=120):
    """Runs otlp_emit; returns (rc, stats dict, stderr text, stdout text, seconds)."""
    t0 = time.monotonic()
    p = subprocess.run([emitter, *map(str, args)], env=base_env(work, env), capture_output=True,
                       timeout=timeout, text=True)
    secs = time.monotonic() - t0
    stats = [json.loads(l[6:]) for l in p.stderr.splitlines() if l.startswith("STATS ")]
    return p.returncode, stats, p.stderr, p.stdout, secs


def local_records(work):
    p = os.path.join(work, "local.jsonl")
    return [json.loads(l) for l in open(p)] if os.path.exists(p) else []


# ---- reading requests ------------------------------------------------------------

def pb_fields(b):
    """(field, wire, value) of one protobuf message: enough to count spans."""
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 1:
            v, i = b[i:i + 8], i + 8
        elif w == 5:
            v, i = b[i:i + 4], i + 4
        elif w == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise Fail("bad wire type %d" % w)
        out.append((f, w, v))
    return out


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def pb_span_ids(body):
    """The span ids (hex) of a protobuf ExportTraceServiceRequest."""
    ids = []
    for f, _, rs in pb_fields(body):
        for f2, _, ss in pb_fields(rs) if f == 1 else []:
            for f3, _, sp in pb_fields(ss) if f2 == 2 else []:
                if f3 == 2:
                    ids += [v.hex() for f4, _, v in pb_fields(sp) if f4 == 2]
    return ids


def json_spans(req):
    return [s for rs in req.get("resourceSpans", []) for ss in rs.get("scopeSpans", []) for s in ss.get("spans", [])]


def json_logs(req):
    out = []
    for rl in req.get("resourceLogs", []):
        for sl in rl.get("scopeLogs", []):
            for r in sl.get("logRecords", []):
                out.append((sl.get("scope", {}).get("name"), r))
    return out


def spans_of(fake):
    """Every span of every request (JSON bodies), with the request's number."""
    return [(i, s) for i, (_, body, _) in enumerate(fake.requests()) for s in json_spans(json.loads(body))]


def attrs(obj):
    return {kv["key"]: kv.get("value", {}) for kv in obj.get("attributes", [])}


def wait_for(pred, secs, what):
    until = time.monotonic() + secs
    while time.monotonic() < until:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise Fail("timed out waiting for " + what)


def otlp_env(url, proto="http/json", **kw):
    env = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": url,
           "OTEL_EXPORTER_OTLP_PROTOCOL": proto, "OTEL_BSP_SCHEDULE_DELAY": "50",
           "OTEL_SERVICE_NAME": "otlp-export-test"}
    env.update(kw)
    return env


# ---- fault cases against the fake receiver ---------------------------------------

def case_retry_503(emitter, work):
    fake = Fake(work, "--script", "503,503")
    try:
        rc, st, err, _, _ = emit(emitter, work, otlp_env(fake.url), "wait", 100, 20000)
        time.sleep(0.5)
        reqs, answers = fake.requests(), fake.answers()
    finally:
        fake.stop()
    check(rc == 0, "not all spans exported: " + err)
    check(answers == ["503", "503", "200"], "answers: %s" % answers)
    check(reqs[0][1] == reqs[1][1] == reqs[2][1], "the retries did not resend the same body")
    ids = [s["spanId"] for s in json_spans(json.loads(reqs[2][1]))]
    check(len(ids) == 100 and len(set(ids)) == 100, "delivered %d spans" % len(ids))
    t = st[-1]["traces"]
    check(t["exported"] == 100 and t["retries"] == 2 and t["failed"] == 0 and t["requests"] == 3, "stats %s" % t)


def case_permanent_400(emitter, work):
    fake = Fake(work, "--script", "400")
    try:
        rc, st, err, _, _ = emit(emitter, work, otlp_env(fake.url), "spans", 10)
        answers = fake.answers()
    finally:
        fake.stop()
    check(answers == ["400"], "answers: %s (a 400 must not be retried)" % answers)
    lines = [l for l in err.splitlines() if "HTTP 400" in l]
    check(len(lines) == 1 and "scripted status 400" in lines[0], "the 400 was not reported once: " + err)
    t = st[-1]["traces"]
    check(t["failed"] == 10 and t["exported"] == 0 and t["retries"] == 0, "stats %s" % t)
    drops = [r for r in local_records(work) if r.get("event") == "spanlog.export.dropped"]
    check(sum(r["count"] for r in drops) == 10 and all(r["reason"] == "export_failed" and r["signal"] == "traces"
                                                        for r in drops), "drop records: %s" % drops)


def case_retry_after(emitter, work):
    for value in ("2", None):  # seconds, then an HTTP-date
        date_at = time.time() + 3
        ra = value or email.utils.formatdate(date_at, usegmt=True)
        fake = Fake(work, "--script", "503", "--retry-after", ra)
        try:
            rc, _, err, _, _ = emit(emitter, work, otlp_env(fake.url), "wait", 10, 20000)
            reqs = fake.requests()
        finally:
            fake.stop()
        check(rc == 0 and len(reqs) >= 2 and fake.answers()[:2] == ["503", "200"], "Retry-After: %s" % err)
        gap = (reqs[1][2] - reqs[0][2]) / 1e9
        want = 2.0 if value else int(date_at) - reqs[0][2] / 1e9
        check(gap >= want - 0.05, "Retry-After %s: retried after %.2f s" % (ra, gap))


def case_partial(emitter, work):
    fake = Fake(work, "--partial-rejected", "3", "--partial-message", "bad attribute")
    try:
        rc, st, err, _, _ = emit(emitter, work, otlp_env(fake.url), "spans", 10)
        n = len(fake.requests())
    finally:
        fake.stop()
    check(n == 1, "a partial success was retried")
    check("3 of 10 spans rejected: bad attribute" in err, "partial success not reported: " + err)
    t = st[-1]["traces"]
    check(t["rejected"] == 3 and t["exported"] == 7, "stats %s" % t)


def case_gzip(emitter, work):
    fake = Fake(work)
    try:
        env = otlp_env(fake.url, "http/protobuf", OTEL_EXPORTER_OTLP_COMPRESSION="gzip")
        rc, st, err, _, _ = emit(emitter, work, env, "spans", 50)
        reqs, answers = fake.requests(), fake.answers()
    finally:
        fake.stop()
    check(rc == 0 and answers and all(a == "200" for a in answers), "answers %s: %s" % (answers, err))
    check(all("Content-Encoding: gzip" in r[0] for r in reqs), "not gzipped")
    ids = [i for r in reqs for i in pb_span_ids(r[1])]
    check(len(ids) == 50 and len(set(ids)) == 50, "decoded %d spans" % len(ids))


def case_hang_exit(emitter, work):
    fake = Fake(work, "--hang")
    try:
        env = otlp_env(fake.url, OTEL_EXPORTER_OTLP_TIMEOUT="2000", OTEL_BSP_SCHEDULE_DELAY="5000")
        rc, _, err, _, secs = emit(emitter, work, env, "exit", 10, timeout=60)
    finally:
        fake.stop()
    check(rc == 0, "exit status %d: %s" % (rc, err))
    check(secs < 2.0 + 3.0, "exit took %.1f s with a 2 s export timeout" % secs)
    check("timeout" in err, "the timeout was not reported: " + err)


def case_absent_10s(emitter, work):
    port = free_port()
    marker = os.path.join(work, "receiver-back")
    env = otlp_env("http://127.0.0.1:%d" % port, OTEL_EXPORTER_OTLP_TIMEOUT="2000", OTEL_BSP_SCHEDULE_DELAY="100")
    p = subprocess.Popen([emitter, "outage", "100000", "10", marker], env=base_env(work, env),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    fake = None
    try:
        time.sleep(10.5)
        fake = Fake(work, port=port)
        open(marker, "w").close()
        _, err = p.communicate(timeout=90)
        names = [s["name"] for _, s in spans_of(fake)]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        if fake:
            fake.stop()
    st = [json.loads(l[6:]) for l in err.splitlines() if l.startswith("STATS ")]
    check(p.returncode == 0 and st, "export did not resume: " + err[-2000:])
    check(names.count("after") == 1000, "%d of the 1000 spans made after the outage arrived" % names.count("after"))
    s, t = st[-1], st[-1]["traces"]
    grew = s["rss_after_kb"] - s["rss_before_kb"]
    check(grew < 48 * 1024 or s["sanitized"], "RSS grew by %d kB while the receiver was away" % grew)
    # every span accounted for (the counters are read one by one while a request may be
    # settling: one request's worth of slack)
    settled = t["exported"] + t["dropped"] + t["failed"] + t["queue_length"]
    check(t["dropped"] + t["failed"] > 0 and abs(settled - t["queued"]) <= 512, "stats %s" % t)
    drops = [r for r in local_records(work) if r.get("event") == "spanlog.export.dropped"]
    check(drops and sum(r["count"] for r in drops) == t["dropped"] + t["failed"], "drop records %d vs stats %s" %
          (sum(r["count"] for r in drops), t))
    print("outage: %.0f ms to make 100000 spans over 10 s; RSS %d -> %d kB; %s" %
          (s["ms"], s["rss_before_kb"], s["rss_after_kb"], t))


def case_exit_flush(emitter, work):
    fake = Fake(work)
    try:
        env = otlp_env(fake.url, OTEL_BSP_SCHEDULE_DELAY="60000")
        rc, _, err, _, _ = emit(emitter, work, env, "exit", 500)
        ids = [s["spanId"] for _, s in spans_of(fake)]
    finally:
        fake.stop()
    check(rc == 0 and len(ids) == 500 and len(set(ids)) == 500, "%d spans arrived after exit: %s" % (len(ids), err))


def case_fork(emitter, work):
    fake = Fake(work)
    try:
        env = otlp_env(fake.url, OTEL_BSP_SCHEDULE_DELAY="5000")
        rc, st, err, _, _ = emit(emitter, work, env, "fork", 20)
        ids = [s["spanId"] for _, s in spans_of(fake)]
    finally:
        fake.stop()
    check(rc == 0 and len(st) == 2, "fork run failed: " + err)
    check(len(set(ids)) == 60, "%d distinct spans, want 60 (20 before fork, 20 + 20 after)" % len(set(ids)))
    check(len(ids) == 60, "%d spans sent twice" % (len(ids) - len(set(ids))))
    child = [s for s in st if s["traces"]["exported"] == 20]
    check(len(child) >= 1, "the child did not export its own: %s" % st)


def case_queue_block(emitter, work):
    fake = Fake(work, "--delay-ms", "20")
    try:
        env = otlp_env(fake.url, SPANLOG_OTLP_QUEUE_FULL="block", OTEL_BSP_MAX_QUEUE_SIZE="64",
                       OTEL_BSP_MAX_EXPORT_BATCH_SIZE="32")
        rc, st, err, _, _ = emit(emitter, work, env, "spans", 2000)
        ids = [s["spanId"] for _, s in spans_of(fake)]
    finally:
        fake.stop()
    t = st[-1]["traces"]
    check(rc == 0 and t["dropped"] == 0 and len(set(ids)) == 2000, "block lost spans: %s, %d arrived" % (t, len(ids)))


def case_console_file(emitter, work):
    out = os.path.join(work, "otlp.jsonl")
    env = {"OTEL_TRACES_EXPORTER": "console,otlp_file", "OTEL_LOGS_EXPORTER": "otlp_file",
           "SPANLOG_OTLP_FILE": out}
    rc, st, err, stdout, _ = emit(emitter, work, env, "agent", os.path.join(work, "manifest.json"))
    check(rc == 0, err)
    console = [json.loads(l) for l in stdout.splitlines() if l.strip()]
    check(sum(len(json_spans(r)) for r in console) == 4, "console: %s" % stdout[:500])
    lines = [json.loads(l) for l in open(out)]
    check(sum(len(json_spans(r)) for r in lines) == 4, "file spans")
    check(sum(len(json_logs(r)) for r in lines) == 5, "file log records: %d" % sum(len(json_logs(r)) for r in lines))
    check(all(("resourceSpans" in r) != ("resourceLogs" in r) for r in lines), "one request per line")


def case_refused_settings(emitter, work):
    cases = [({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "gRPC is not built into spanlog"),
             ({"OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example:4318"}, "https"),
             ({"OTEL_EXPORTER_OTLP_HEADERS": "bad header=x"}, "OTEL_EXPORTER_OTLP_HEADERS")]
    for extra, want in cases:
        env = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}
        env.update(extra)
        if os.path.exists(os.path.join(work, "local.jsonl")):
            os.unlink(os.path.join(work, "local.jsonl"))
        rc, st, err, _, _ = emit(emitter, work, env, "agent", os.path.join(work, "m.json"))
        check(rc == 0 and want in err, "%s: no clear message: %s" % (extra, err))
        check(st[-1]["traces"]["requests"] == 0, "%s: exported anyway" % extra)
        check(len(local_records(work)) >= 9, "%s: the local log suffered" % extra)


def case_profile(emitter, work):
    for profile, want in (("openinference", {"openinference.span.kind": "LLM", "llm.model_name":
                                              "claude-sonnet-4-5-20250929", "llm.token_count.total": "1545",
                                              "session.id": "conv-7"}),
                          ("langfuse", {"langfuse.observation.type": "generation", "session.id": "conv-7",
                                        "langfuse.observation.model.name": "claude-sonnet-4-5-20250929"})):
        fake = Fake(work)
        try:
            env = otlp_env(fake.url, SPANLOG_OTLP_PROFILE=profile)
            rc, _, err, _, _ = emit(emitter, work, env, "agent", os.path.join(work, "m.json"))
            spans = {s["name"]: s for _, s in spans_of(fake)}
        finally:
            fake.stop()
        check(rc == 0 and "chat claude-sonnet-4-5" in spans, err)
        got = {k: list(v.values())[0] for k, v in attrs(spans["chat claude-sonnet-4-5"]).items()}
        for k, v in want.items():
            check(str(got.get(k)) == v, "%s: %s is %r" % (profile, k, got.get(k)))
        tool = attrs(spans["execute_tool search"])
        check("input.value" not in got, "content without capture")
        kind = tool.get("openinference.span.kind", tool.get("langfuse.observation.type"))
        check(kind and list(kind.values())[0] in ("TOOL", "tool"), "tool kind %s" % kind)


# ---- real peers ---------------------------------------------------------------------

def start_peer(name, work):
    d = os.path.join(work, "peers")
    os.makedirs(d, exist_ok=True)
    p = subprocess.run([PEERS, "start", name, d], capture_output=True, text=True, timeout=400)
    if p.returncode:
        raise Skip("cannot start %s (tests/otlp/setup.sh builds it): %s" % (name, p.stderr.strip()[-800:]))
    env = {}
    for line in open(os.path.join(d, name + ".env")):
        k, _, v = line.strip().partition("=")
        env[k] = v
    return env


def stop_peers(work):
    d = os.path.join(work, "peers")
    if os.path.isdir(d):
        subprocess.run([PEERS, "stop", d], capture_output=True, timeout=60)


def agent_run(emitter, work, env, tag, copies=1):
    """The agent run, exported by `copies` exporters per signal; returns its manifest."""
    manifest = os.path.join(work, "manifest-%s.json" % tag.replace("/", "-"))
    rc, st, err, _, _ = emit(emitter, work, env, "agent", manifest)
    check(rc == 0, "agent run: " + err)
    t, l = st[-1]["traces"], st[-1]["logs"]
    check(t["exported"] == 4 * copies and t["failed"] == 0, "%s: traces %s: %s" % (tag, t, err))
    if "OTEL_LOGS_EXPORTER" in env:
        check(l["exported"] == 5 * copies and l["failed"] == 0, "%s: logs %s: %s" % (tag, l, err))
    return json.load(open(manifest))


def json_lines(path):
    return [json.loads(l) for l in open(path) if l.strip()] if os.path.exists(path) else []


def av(v):
    """An AnyValue as (type, python value)."""
    (k, x), = v.items() if v else (("empty", None),)
    if k == "arrayValue":
        return k, [av(e) for e in x.get("values", [])]
    if k == "kvlistValue":
        return k, {kv["key"]: av(kv.get("value", {})) for kv in x.get("values", [])}
    return k, x


ROOT_ATTRS = {
    "str": ("stringValue", "text"), "int": ("intValue", "-42"), "big": ("stringValue", "18446744073709551615"),
    "dbl": ("doubleValue", 3.5), "bool": ("boolValue", True),
    "strs": ("arrayValue", [("stringValue", "alpha"), ("stringValue", "beta")]),
    "ints": ("arrayValue", [("intValue", "1"), ("intValue", "-2"), ("intValue", "3000000000")]),
    "dbls": ("arrayValue", [("doubleValue", 0.5), ("doubleValue", -1.25)]),
    "bools": ("arrayValue", [("boolValue", True), ("boolValue", False)]),
    "obj": ("kvlistValue", {"a": ("arrayValue", [("intValue", "1"), ("stringValue", "x"), ("empty", None)]),
                            "b": ("boolValue", True)}),
}


def check_spans(m, spans, tag):
    by_id = {s["spanId"]: s for s in spans if s["traceId"] == m["trace_id"]}
    check(len(by_id) == 4, "%s: %d spans of the trace in the Collector's output" % (tag, len(by_id)))
    for want in m["spans"]:
        s = by_id.get(want["span_id"])
        check(s and s["name"] == want["name"], "%s: span %s" % (tag, want))
        check(s.get("parentSpanId", "") == want["parent"], "%s: parent of %s" % (tag, want["name"]))
    root = by_id[m["spans"][0]["span_id"]]
    got = {k: av(v) for k, v in attrs(root).items()}
    for k, v in ROOT_ATTRS.items():
        check(got.get(k) == v, "%s: attribute %s is %r, want %r" % (tag, k, got.get(k), v))
    check(root.get("kind") == 1 and [e["name"] for e in root.get("events", [])] == ["agent.done"], "root")
    chat = by_id[m["spans"][1]["span_id"]]
    ca = {k: av(v) for k, v in attrs(chat).items()}
    check(chat["kind"] == 3 and ca["gen_ai.usage.input_tokens"] == ("intValue", "1200"), "chat span %s" % ca)
    tool = by_id[m["spans"][2]["span_id"]]
    check(tool["status"].get("code") == 2 and tool["status"].get("message") == "search timed out", "tool status")
    link = tool.get("links", [{}])[0]
    check(link.get("spanId") == m["spans"][1]["span_id"] and link.get("traceId") == m["trace_id"], "link")
    check(all(s.get("flags", 0) & 0x101 == 0x101 for s in by_id.values()), "span flags")


def check_logs(m, records, tag):
    mine = [(sc, r) for sc, r in records if attrs(r).get("request_id") == {"stringValue": "req-42"}
            and r.get("traceId", m["trace_id"]) in (m["trace_id"], "")]
    bodies = {r.get("body", {}).get("stringValue"): (sc, r) for sc, r in mine}
    check(len(mine) == 5, "%s: %d of 5 log records" % (tag, len(mine)))
    ids = {s["name"]: s["span_id"] for s in m["spans"]}
    for body, span, sev in (("model answered", "chat claude-sonnet-4-5", 9), ("upstream slow", "GET /search", 13),
                            ("tool failed", "execute_tool search", 17), ("request received", None, 9)):
        sc, r = bodies[body]
        check(r["severityNumber"] == sev and sc == "app", "%s: %s severity/scope" % (tag, body))
        check(r.get("spanId", "") == (ids[span] if span else ""), "%s: %s span id" % (tag, body))
        check(not span or r.get("traceId") == m["trace_id"], "%s: %s trace id" % (tag, body))
        check(not span or r.get("flags", 0) & 1, "%s: %s flags" % (tag, body))
        check(r.get("timeUnixNano") and r.get("observedTimeUnixNano"), "%s: times" % tag)
    a = {k: av(v) for k, v in attrs(bodies["upstream slow"][1]).items()}
    check(a["latency_ms"] == ("doubleValue", 812.5) and a["retry"] == ("boolValue", True) and
          a["user.id"] == ("stringValue", "u-1"), "%s: log attributes %s" % (tag, a))
    ev = bodies["gen_ai.evaluation.result"][1]
    check(ev.get("eventName") == "gen_ai.evaluation.result" and attrs(ev)["phase"] == {"stringValue": "done"},
          "%s: event record" % tag)


def case_collector(emitter, work):
    try:
        peer = start_peer("otelcol", work)
        for proto in ("http/protobuf", "http/json"):
            env = otlp_env(peer["OTELCOL_ENDPOINT"], proto, OTEL_LOGS_EXPORTER="otlp")
            m = agent_run(emitter, work, env, proto)
            spans = wait_for(lambda: [s for r in json_lines(peer["OTELCOL_TRACES_OUT"]) for s in json_spans(r)
                                      if s["traceId"] == m["trace_id"]] if True else None, 15, "the Collector's spans")
            wait_for(lambda: len([s for r in json_lines(peer["OTELCOL_TRACES_OUT"]) for s in json_spans(r)
                                  if s["traceId"] == m["trace_id"]]) >= 4, 15, "all 4 spans")
            spans = [s for r in json_lines(peer["OTELCOL_TRACES_OUT"]) for s in json_spans(r)]
            check_spans(m, spans, proto)
            wait_for(lambda: len([1 for r in json_lines(peer["OTELCOL_LOGS_OUT"]) for _, x in json_logs(r)
                                  if x.get("traceId") == m["trace_id"]]) >= 3, 15, "the Collector's log records")
            time.sleep(0.3)
            lines = json_lines(peer["OTELCOL_LOGS_OUT"])
            res = [rl["resource"] for r in lines for rl in r["resourceLogs"]]
            check(any(attrs(x).get("service.name") == {"stringValue": "otlp-export-test"} for x in res), "resource")
            recs = [x for r in lines for x in json_logs(r)]
            # each run has its own request_id scope: keep this run's (after the spans' trace)
            check_logs(m, recs[-5:] if proto == "http/json" else recs[:5], proto)
    finally:
        stop_peers(work)


def case_jaeger(emitter, work):
    try:
        peer = start_peer("jaeger", work)
        m = agent_run(emitter, work, otlp_env(peer["JAEGER_ENDPOINT"], "http/protobuf"), "jaeger")
        url = "%s/api/traces/%s" % (peer["JAEGER_QUERY_URL"], m["trace_id"])

        def fetch():
            try:
                d = json.load(urllib.request.urlopen(url, timeout=5))
                return d if d.get("data") and len(d["data"][0]["spans"]) >= 4 else None
            except OSError:
                return None
        d = wait_for(fetch, 30, "the trace in Jaeger")
        spans = {s["spanID"]: s for s in d["data"][0]["spans"]}
        for want in m["spans"]:
            s = spans.get(want["span_id"])
            check(s and s["operationName"] == want["name"], "jaeger: %s" % want)
            refs = [(r["refType"], r["spanID"]) for r in s.get("references", []) if r["refType"] == "CHILD_OF"]
            check(refs == ([("CHILD_OF", want["parent"])] if want["parent"] else []), "jaeger: parent of %s: %s" %
                  (want["name"], refs))
        tool = spans[m["spans"][2]["span_id"]]
        check(any(t["key"] == "error" and t["value"] is True for t in tool["tags"]), "jaeger: error tag")
    finally:
        stop_peers(work)


def case_phoenix(emitter, work):
    try:
        peer = start_peer("phoenix", work)
        m = agent_run(emitter, work, otlp_env(peer["PHOENIX_ENDPOINT"], "http/protobuf"), "phoenix")
        url = "%s/v1/projects/default/spans?limit=1000" % peer["PHOENIX_URL"]

        def fetch():
            try:
                d = json.load(urllib.request.urlopen(url, timeout=5))["data"]
            except OSError:
                return None
            mine = [s for s in d if s["context"]["trace_id"] == m["trace_id"]]
            return mine if len(mine) >= 4 else None
        spans = {s["context"]["span_id"]: s for s in wait_for(fetch, 60, "the spans in Phoenix")}
        chat = spans[m["spans"][1]["span_id"]]
        a = chat["attributes"]
        check(chat["span_kind"] == "LLM", "phoenix: chat kind %s" % chat["span_kind"])
        check(a.get("llm.model_name") in ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"), "model %s" % a)
        check(a.get("llm.token_count.prompt") == 1200 and a.get("llm.token_count.completion") == 345, "tokens %s" % a)
        check(spans[m["spans"][0]["span_id"]]["span_kind"] == "AGENT", "phoenix: agent kind")
        check(spans[m["spans"][2]["span_id"]]["span_kind"] == "TOOL", "phoenix: tool kind")
        check(spans[m["spans"][2]["span_id"]]["parent_id"] == m["spans"][0]["span_id"], "phoenix: parent")
    finally:
        stop_peers(work)


def decode(path, *args):
    p = subprocess.run(["node", DECODER, *args, path], capture_output=True, text=True, timeout=60)
    if p.returncode == 2:
        raise Skip("the reference decoder is not installed (tests/otlp/peers.sh build decoder): " + p.stderr)
    check(p.returncode == 0, "decode.js rejected %s: %s" % (path, p.stderr))
    return json.loads(p.stdout)


def case_decoder(emitter, work):
    if not shutil.which("node"):
        raise Skip("node is not installed")
    fake = Fake(work)
    out = os.path.join(work, "otlp.jsonl")
    try:
        env = otlp_env(fake.url, "http/protobuf", OTEL_TRACES_EXPORTER="otlp,otlp_file",
                       OTEL_LOGS_EXPORTER="otlp,otlp_file", SPANLOG_OTLP_FILE=out)
        agent_run(emitter, work, env, "decoder", copies=2)
        files = sorted(glob.glob(os.path.join(fake.out, "*.http")))
    finally:
        fake.stop()
    pb = [decode(f) for f in files]
    js = []
    for i, line in enumerate(open(out)):
        p = os.path.join(work, "line%d.json" % i)
        open(p, "w").write(line)
        js.append(decode(p, "--format", "json"))

    def canonical(span):  # an unset status: JSON writes {}, protobuf leaves it out
        return {k: v for k, v in span.items() if not (k == "status" and v == {})}

    def items(reqs):
        spans = sorted(json.dumps(canonical(s), sort_keys=True) for r in reqs for s in json_spans(r))
        # each exporter notes when it observed a record: the times differ by microseconds
        logs = sorted(json.dumps([sc, {k: v for k, v in r.items() if k != "observedTimeUnixNano"}], sort_keys=True)
                      for q in reqs for sc, r in json_logs(q) if r.get("observedTimeUnixNano"))
        return spans, logs
    (ps, pl), (jsn, jl) = items(pb), items(js)
    check(len(ps) == 4 and len(pl) == 5, "protobuf: %d spans, %d log records" % (len(ps), len(pl)))
    check(ps == jsn, "spans differ between protobuf and JSON:\n%s\n%s" % (ps, jsn))
    check(pl == jl, "log records differ between protobuf and JSON")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    case, emitter = sys.argv[1], sys.argv[2]
    fn = globals().get("case_" + case)
    if not fn:
        print("unknown case " + case, file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="otlp-export-")
    try:
        fn(emitter, work)
    except Skip as e:
        print("SKIP %s: %s" % (case, e), file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else 77
    except Fail as e:
        print("FAIL %s: %s" % (case, e), file=sys.stderr)
        print("(work directory kept: %s)" % work, file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("ok %s" % case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
