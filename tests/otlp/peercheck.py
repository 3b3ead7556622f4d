#!/usr/bin/env python3
"""Helpers of test_peers.sh: makes the hand-made OTLP requests and reads them
back from each peer.

    peercheck.py sample DIR          writes traces.json, logs.json, ids.json
                                     (+ traces.pb, logs.pb with opentelemetry-proto)
    peercheck.py send URL FILE       POSTs FILE (json or pb by its name)
    peercheck.py otelcol ENV SAMPLE  reads back from the Collector's files
    peercheck.py jaeger ENV SAMPLE   reads back through Jaeger's query API
    peercheck.py phoenix ENV SAMPLE  reads back through Phoenix's REST API
    peercheck.py fake ENV SAMPLE DECODE_JS   checks scripted answers and storage

Exit status 0 when every check passed, 1 otherwise (with the reasons on stderr).
Only the standard library is needed, except for the .pb files (opentelemetry-proto).
"""

import base64
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

SERVICE = "spanlog-peers-selftest"
FAILS = []


def check(cond, what):
    if cond:
        print(f"  ok   {what}")
    else:
        print(f"  FAIL {what}", file=sys.stderr)
        FAILS.append(what)
    return cond


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


# ---- the sample requests ------------------------------------------------------

def kv(key, value):
    return {"key": key, "value": value}


EVERY_TYPE = [
    kv("t.str", {"stringValue": "héllo \"quoted\"\n"}),
    kv("t.empty", {"stringValue": ""}),
    kv("t.bool", {"boolValue": True}),
    kv("t.false", {"boolValue": False}),
    kv("t.int", {"intValue": "-42"}),
    kv("t.zero", {"intValue": "0"}),
    kv("t.big", {"intValue": "9007199254740993"}),
    kv("t.double", {"doubleValue": 3.25}),
    kv("t.bytes", {"bytesValue": base64.b64encode(b"\x00\x01\xfe").decode()}),
    kv("t.array", {"arrayValue": {"values": [
        {"stringValue": "a"}, {"intValue": "1"}, {"boolValue": False}, {"doubleValue": 0.5}]}}),
    kv("t.kvlist", {"kvlistValue": {"values": [
        kv("k1", {"stringValue": "v"}), kv("k2", {"intValue": "2"})]}}),
]
# what each attribute's value is, by its one key
TYPE_OF = {a["key"]: next(iter(a["value"])) for a in EVERY_TYPE}


def make_sample(d):
    os.makedirs(d, exist_ok=True)
    now = time.time_ns()
    trace = secrets.token_hex(16)
    root, child, grand = (secrets.token_hex(8) for _ in range(3))
    link_trace, link_span = secrets.token_hex(16), secrets.token_hex(8)
    ns = lambda ms: str(now - 5_000_000_000 + ms * 1_000_000)  # noqa: E731
    resource = {"attributes": [kv("service.name", {"stringValue": SERVICE}),
                               kv("telemetry.sdk.name", {"stringValue": "selftest"})]}
    scope = {"name": "spanlog-selftest", "version": "0.0.1"}
    spans = [
        {"traceId": trace, "spanId": root, "parentSpanId": "", "name": "invoke_agent demo", "kind": 1,
         "startTimeUnixNano": ns(0), "endTimeUnixNano": ns(900),
         "attributes": [kv("gen_ai.operation.name", {"stringValue": "invoke_agent"}),
                        kv("gen_ai.agent.name", {"stringValue": "demo"})] + EVERY_TYPE,
         "status": {"code": 1}, "flags": 257},
        {"traceId": trace, "spanId": child, "parentSpanId": root, "name": "chat gpt-4o-mini", "kind": 3,
         "startTimeUnixNano": ns(100), "endTimeUnixNano": ns(600),
         "attributes": [kv("gen_ai.operation.name", {"stringValue": "chat"}),
                        kv("gen_ai.provider.name", {"stringValue": "openai"}),
                        kv("gen_ai.request.model", {"stringValue": "gpt-4o-mini"}),
                        kv("gen_ai.usage.input_tokens", {"intValue": "12"}),
                        kv("gen_ai.usage.output_tokens", {"intValue": "34"})],
         "events": [{"timeUnixNano": ns(500), "name": "gen_ai.choice",
                     "attributes": [kv("index", {"intValue": "0"})]}],
         "flags": 769},
        {"traceId": trace, "spanId": grand, "parentSpanId": child, "name": "execute_tool search", "kind": 1,
         "startTimeUnixNano": ns(200), "endTimeUnixNano": ns(400),
         "attributes": [kv("gen_ai.operation.name", {"stringValue": "execute_tool"}),
                        kv("gen_ai.tool.name", {"stringValue": "search"})],
         "links": [{"traceId": link_trace, "spanId": link_span, "attributes": [kv("why", {"stringValue": "follows"})]}],
         "status": {"code": 2, "message": "tool failed"}, "droppedAttributesCount": 1},
    ]
    traces = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"scope": scope, "spans": spans}]}]}
    logs = {"resourceLogs": [{"resource": resource, "scopeLogs": [{"scope": scope, "logRecords": [
        {"timeUnixNano": ns(300), "observedTimeUnixNano": ns(301), "severityNumber": 9, "severityText": "INFO",
         "body": {"stringValue": "tool called"}, "attributes": EVERY_TYPE, "flags": 1,
         "traceId": trace, "spanId": grand, "eventName": "selftest.tool_called"},
        {"timeUnixNano": ns(700), "severityNumber": 17, "severityText": "ERROR",
         "body": {"kvlistValue": {"values": [kv("error", {"stringValue": "boom"})]}}},
    ]}]}]}
    ids = {"trace": trace, "root": root, "child": child, "grand": grand,
           "link_trace": link_trace, "link_span": link_span}
    for name, obj in (("traces.json", traces), ("logs.json", logs), ("ids.json", ids)):
        with open(os.path.join(d, name), "w") as f:
            json.dump(obj, f)
    try:
        for name, obj in (("traces.pb", traces), ("logs.pb", logs)):
            with open(os.path.join(d, name), "wb") as f:
                f.write(to_pb(obj))
    except ImportError:
        print("peercheck: opentelemetry-proto not importable: no .pb files", file=sys.stderr)
    return 0


def to_pb(obj):
    """An OTLP/JSON request (dict) as protobuf bytes, by opentelemetry-proto."""
    from google.protobuf import json_format
    from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    def b64ids(o):
        if isinstance(o, list):
            return [b64ids(x) for x in o]
        if isinstance(o, dict):
            return {k: (base64.b64encode(bytes.fromhex(v)).decode()
                        if k in ("traceId", "spanId", "parentSpanId") and isinstance(v, str) else b64ids(v))
                    for k, v in o.items()}
        return o
    cls = (logs_service_pb2.ExportLogsServiceRequest if "resourceLogs" in obj
           else trace_service_pb2.ExportTraceServiceRequest)
    return json_format.ParseDict(b64ids(obj), cls()).SerializeToString()


def load_sample(d):
    with open(os.path.join(d, "ids.json")) as f:
        ids = json.load(f)
    with open(os.path.join(d, "traces.json")) as f:
        traces = json.load(f)
    with open(os.path.join(d, "logs.json")) as f:
        logs = json.load(f)
    return ids, traces, logs


# ---- HTTP -----------------------------------------------------------------------

def post(url, body, ctype, headers=None, timeout=10):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        h = {"Content-Type": ctype}
        h.update(headers or {})
        c.request("POST", u.path or "/", body=body, headers=h)
        r = c.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        c.close()


def send(url, path):
    with open(path, "rb") as f:
        body = f.read()
    ctype = "application/json" if path.endswith(".json") else "application/x-protobuf"
    return post(url, body, ctype)


def get_json(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def poll(fn, secs, what):
    """Calls fn() until it returns something truthy or secs pass."""
    end = time.time() + secs
    err = None
    while True:
        try:
            got = fn()
            if got:
                return got
        except (OSError, ValueError, KeyError, http.client.HTTPException) as e:
            err = e
        if time.time() >= end:
            check(False, f"{what} within {secs} s" + (f" (last error: {err})" if err else ""))
            return None
        time.sleep(0.25)


# ---- Collector --------------------------------------------------------------------

def attr_map(attrs):
    return {a["key"]: a.get("value", {}) for a in attrs or []}


def norm_any(v):
    """An AnyValue in OTLP/JSON reduced to (type, python value), int64 as int."""
    if not v:
        return ("empty", None)
    (k, x), = v.items()
    if k == "intValue":
        return (k, int(x))
    if k == "doubleValue":
        return (k, float(x))
    if k == "arrayValue":
        return (k, [norm_any(e) for e in x.get("values", [])])
    if k == "kvlistValue":
        return (k, {e["key"]: norm_any(e.get("value")) for e in x.get("values", [])})
    return (k, x)


def check_attrs(got, want, label):
    g, w = attr_map(got), attr_map(want)
    for key, val in w.items():
        check(key in g and norm_any(g[key]) == norm_any(val),
              f"{label}: attribute {key} is {TYPE_OF.get(key, next(iter(val)))} {norm_any(val)[1]!r}"
              + ("" if key in g and norm_any(g[key]) == norm_any(val) else f" (got {g.get(key)!r})"))


def spans_of_lines(path, trace):
    out = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            req = json.loads(line)
            for rs in req.get("resourceSpans", []):
                svc = norm_any(attr_map(rs.get("resource", {}).get("attributes")).get("service.name"))[1]
                for ss in rs.get("scopeSpans", []):
                    for s in ss.get("spans", []):
                        if s.get("traceId", "").lower() == trace:
                            out.append((svc, ss.get("scope", {}), s))
    return out


def logs_of_lines(path, trace):
    out = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            req = json.loads(line)
            for rl in req.get("resourceLogs", []):
                for sl in rl.get("scopeLogs", []):
                    for r in sl.get("logRecords", []):
                        if r.get("traceId", "").lower() == trace or \
                                norm_any(attr_map(rl.get("resource", {}).get("attributes")).get("service.name"))[1] == SERVICE:
                            out.append(r)
    return out


def check_span_tree(got_spans, want_spans, label):
    by_id = {s["spanId"].lower(): s for s in got_spans}
    for w in want_spans:
        g = by_id.get(w["spanId"])
        if not check(g is not None, f"{label}: span {w['name']!r} ({w['spanId']}) arrived"):
            continue
        check((g.get("parentSpanId") or "").lower() == w["parentSpanId"],
              f"{label}: {w['name']!r} has parent {w['parentSpanId'] or '(none: root)'}")
        check(g.get("name") == w["name"] and g.get("kind") == w["kind"], f"{label}: {w['name']!r} name and kind {w['kind']}")
        check(str(g.get("startTimeUnixNano")) == w["startTimeUnixNano"] and
              str(g.get("endTimeUnixNano")) == w["endTimeUnixNano"], f"{label}: {w['name']!r} start/end times")
        check((g.get("status") or {}).get("code", 0) == (w.get("status") or {}).get("code", 0),
              f"{label}: {w['name']!r} status code {(w.get('status') or {}).get('code', 0)}")
        if "flags" in w:
            check(g.get("flags") == w["flags"], f"{label}: {w['name']!r} flags {w['flags']}")
        check_attrs(g.get("attributes"), w["attributes"], f"{label} {w['name']!r}")
        if w.get("events"):
            ge = g.get("events") or []
            check(len(ge) == 1 and ge[0].get("name") == w["events"][0]["name"], f"{label}: {w['name']!r} event")
        if w.get("links"):
            gl = g.get("links") or []
            check(len(gl) == 1 and gl[0].get("traceId", "").lower() == w["links"][0]["traceId"] and
                  gl[0].get("spanId", "").lower() == w["links"][0]["spanId"], f"{label}: {w['name']!r} link")


def do_otelcol(envf, json_dir, pb_dir):
    env = read_env(envf)
    base = env["OTELCOL_ENDPOINT"]
    # each encoding under a trace id of its own
    for enc, sub in (("json", json_dir), ("pb", pb_dir)):
        if not sub:
            continue
        print(f" collector, OTLP/{'JSON' if enc == 'json' else 'protobuf'}:")
        ids_e, traces_e, logs_e = load_sample(sub)
        status, _, body = send(base + "/v1/traces", os.path.join(sub, "traces." + enc))
        check(status == 200, f"POST /v1/traces ({enc}) -> {status} {body[:120]!r}")
        status, _, body = send(base + "/v1/logs", os.path.join(sub, "logs." + enc))
        check(status == 200, f"POST /v1/logs ({enc}) -> {status} {body[:120]!r}")
        want = traces_e["resourceSpans"][0]["scopeSpans"][0]["spans"]
        got = poll(lambda: (lambda x: x if len(x) >= 3 else None)(spans_of_lines(env["OTELCOL_TRACES_OUT"], ids_e["trace"])),
                   15, f"3 spans of trace {ids_e['trace']} in {os.path.basename(env['OTELCOL_TRACES_OUT'])}")
        if got:
            check(len(got) == 3, f"exactly 3 spans of the trace in the file (got {len(got)})")
            check(all(svc == SERVICE for svc, _, _ in got), f"resource service.name {SERVICE}")
            check(all(sc.get("name") == "spanlog-selftest" and sc.get("version") == "0.0.1" for _, sc, _ in got),
                  "scope name and version")
            check_span_tree([s for _, _, s in got], want, "file")
        recs = poll(lambda: (lambda x: x if len(x) >= 2 else None)(
            [r for r in logs_of_lines(env["OTELCOL_LOGS_OUT"], ids_e["trace"])
             if str(r.get("timeUnixNano")) in {w.get("timeUnixNano") for w in
                                               logs_e["resourceLogs"][0]["scopeLogs"][0]["logRecords"]}]),
            15, "2 log records in the logs file")
        if recs:
            wl = logs_e["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
            r0 = next((r for r in recs if r.get("traceId", "").lower() == ids_e["trace"]), None)
            if check(r0 is not None, "log record with the trace id"):
                check(r0.get("spanId", "").lower() == ids_e["grand"], "log record span id")
                check(r0.get("severityNumber") == 9 and r0.get("severityText") == "INFO", "log severity 9 INFO")
                check(r0.get("eventName") == "selftest.tool_called", "log eventName")
                check(norm_any(r0.get("body")) == ("stringValue", "tool called"), "log body")
                check_attrs(r0.get("attributes"), wl[0]["attributes"], "log")
            r1 = next((r for r in recs if not r.get("traceId")), None)
            if check(r1 is not None, "log record without trace context"):
                check(norm_any(r1.get("body")) == norm_any(wl[1]["body"]), "log kvlist body")
    with open(env["OTELCOL_OUT"]) as f:
        n = sum(1 for line in f if line.strip())
    check(n >= 2, f"the combined file {os.path.basename(env['OTELCOL_OUT'])} has the requests ({n} lines)")


# ---- Jaeger -----------------------------------------------------------------------

def do_jaeger(envf, sd, enc):
    env = read_env(envf)
    ids, traces, _ = load_sample(sd)
    status, _, body = send(env["JAEGER_ENDPOINT"] + "/v1/traces", os.path.join(sd, "traces." + enc))
    check(status == 200, f"POST /v1/traces ({enc}) -> {status} {body[:120]!r}")
    url = f"{env['JAEGER_QUERY_URL']}/api/traces/{ids['trace']}"

    def fetch():
        d = get_json(url)
        data = d.get("data") or []
        return d if data and len(data[0].get("spans", [])) >= 3 else None
    d = poll(fetch, 20, f"GET /api/traces/{ids['trace']} with 3 spans")
    if not d:
        return
    t = d["data"][0]
    check(t.get("traceID") == ids["trace"], "traceID")
    spans = {s["spanID"]: s for s in t["spans"]}
    check(set(spans) == {ids["root"], ids["child"], ids["grand"]}, "the three span ids")

    def parents(s):
        return [(r.get("refType"), r.get("spanID"), r.get("traceID")) for r in s.get("references", [])
                if r.get("refType") == "CHILD_OF"]
    if ids["root"] in spans:
        check(parents(spans[ids["root"]]) == [], "root has no CHILD_OF reference")
    if ids["child"] in spans:
        check(parents(spans[ids["child"]]) == [("CHILD_OF", ids["root"], ids["trace"])], "child CHILD_OF root")
    if ids["grand"] in spans:
        g = spans[ids["grand"]]
        check(parents(g) == [("CHILD_OF", ids["child"], ids["trace"])], "grandchild CHILD_OF child")
        tags = {x["key"]: x for x in g.get("tags", [])}
        check(tags.get("error", {}).get("value") is True, "error status -> tag error=true")
        check(any(r.get("refType") == "FOLLOWS_FROM" and r.get("spanID") == ids["link_span"]
                  for r in g.get("references", [])), "link -> FOLLOWS_FROM reference")
    if ids["root"] in spans:
        r = spans[ids["root"]]
        tags = {x["key"]: x for x in r.get("tags", [])}
        for key, typ, val in (("t.str", "string", "héllo \"quoted\"\n"), ("t.bool", "bool", True),
                              ("t.int", "int64", -42), ("t.big", "int64", 9007199254740993),
                              ("t.double", "float64", 3.25), ("t.zero", "int64", 0)):
            x = tags.get(key, {})
            got = x.get("value")
            if typ == "int64" and isinstance(got, str):  # past 2^53 Jaeger's API gives a string
                got = int(got) if got.lstrip("-").isdigit() else got
            check(x.get("type") == typ and got == val, f"tag {key} {typ} {val!r} (got {x})")
        check(all(k in tags for k in ("t.bytes", "t.array", "t.kvlist")), "tags t.bytes, t.array, t.kvlist present")
        procs = t.get("processes", {})
        check(procs.get(r.get("processID"), {}).get("serviceName") == SERVICE, f"serviceName {SERVICE}")
        check(r.get("operationName") == "invoke_agent demo", "operationName")
    svc = get_json(f"{env['JAEGER_QUERY_URL']}/api/services")
    check(SERVICE in (svc.get("data") or []), "/api/services lists the service")


# ---- Phoenix ----------------------------------------------------------------------

def do_phoenix(envf, sd):
    env = read_env(envf)
    ids, traces, _ = load_sample(sd)
    # Phoenix 20.26.1 answers 200 but drops a span that has a bytes-valued
    # attribute (its SQLite JSON column cannot hold bytes): leave those out.
    for ss in traces["resourceSpans"][0]["scopeSpans"]:
        for sp in ss["spans"]:
            sp["attributes"] = [a for a in sp.get("attributes", []) if "bytesValue" not in a.get("value", {})]
    status, _, body = post(env["PHOENIX_URL"] + "/v1/traces", to_pb(traces), "application/x-protobuf")
    check(status in (200, 202), f"POST /v1/traces (protobuf, no bytes attributes) -> {status} {body[:120]!r}")
    url = f"{env['PHOENIX_URL']}/v1/projects/default/spans?limit=1000"

    def fetch():
        d = get_json(url)
        mine = [s for s in d.get("data", []) if (s.get("context") or {}).get("trace_id") == ids["trace"]]
        return mine if len(mine) >= 3 else None
    mine = poll(fetch, 30, "3 spans of the trace in /v1/projects/default/spans")
    if not mine:
        return
    by = {s["context"]["span_id"]: s for s in mine}
    check(set(by) == {ids["root"], ids["child"], ids["grand"]}, "the three span ids")
    if set(by) != {ids["root"], ids["child"], ids["grand"]}:
        return
    check(not by[ids["root"]].get("parent_id"), "root has no parent_id")
    check(by[ids["child"]].get("parent_id") == ids["root"], "child parent_id = root")
    check(by[ids["grand"]].get("parent_id") == ids["child"], "grandchild parent_id = child")
    check(by[ids["child"]].get("span_kind") == "LLM", f"chat span is LLM (got {by[ids['child']].get('span_kind')})")
    check(by[ids["root"]].get("span_kind") == "AGENT", f"invoke_agent span is AGENT (got {by[ids['root']].get('span_kind')})")
    check(by[ids["grand"]].get("span_kind") == "TOOL", f"execute_tool span is TOOL (got {by[ids['grand']].get('span_kind')})")
    check(by[ids["grand"]].get("status_code") == "ERROR", "error status -> status_code ERROR")
    a = by[ids["child"]].get("attributes") or {}
    check(a.get("llm.model_name") == "gpt-4o-mini", f"llm.model_name (got {a.get('llm.model_name')!r})")
    check(a.get("llm.token_count.prompt") == 12 and a.get("llm.token_count.completion") == 34,
          f"llm.token_count.prompt/completion 12/34 (got {a.get('llm.token_count.prompt')!r}/{a.get('llm.token_count.completion')!r})")


# ---- fake receiver --------------------------------------------------------------------

def decode(decode_js, path):
    p = subprocess.run(["node", decode_js, path], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def do_fake(envf, sd, decode_js):
    """The receiver was started with --script 503,503,429,400,200 --retry-after 1."""
    env = read_env(envf)
    ids, _, _ = load_sample(sd)
    u = urllib.parse.urlsplit(env["FAKE_ENDPOINT"])
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    have_pb = os.path.exists(os.path.join(sd, "traces.pb"))
    body = open(os.path.join(sd, "traces.pb" if have_pb else "traces.json"), "rb").read()
    ctype = "application/x-protobuf" if have_pb else "application/json"
    got = []
    for i in range(6):
        c.request("POST", "/v1/traces", body=body, headers={"Content-Type": ctype})
        r = c.getresponse()
        rb = r.read()
        got.append((r.status, r.getheader("Retry-After"), rb))
    c.close()
    statuses = [g[0] for g in got]
    check(statuses == [503, 503, 429, 400, 200, 200], f"scripted statuses 503,503,429,400,200 then 200 (got {statuses})")
    check([g[1] for g in got] == ["1", "1", "1", None, None, None], "Retry-After: 1 on 503 and 429 only")
    with open(os.path.join(env["FAKE_OUT"], "requests.log")) as f:
        conns = [line.split()[1] for line in f]
    check(len(conns) == 6 and len(set(conns)) == 1, f"one keep-alive connection for all six requests ({conns})")
    check(got[3][2] != b"", "400 carries a google.rpc.Status body")
    # a gzip-encoded JSON logs request is stored gunzipped
    import gzip
    logs_json = open(os.path.join(sd, "logs.json"), "rb").read()
    st, _, _ = post(env["FAKE_ENDPOINT"] + "/v1/logs", gzip.compress(logs_json), "application/json",
                    {"Content-Encoding": "gzip"})
    check(st == 200, "gzip request answered 200")
    files = sorted(f for f in os.listdir(env["FAKE_OUT"]) if f.endswith(".http"))
    check(len(files) == 7, f"7 stored requests (got {len(files)})")
    if len(files) == 7 and not decode_js:
        print("  (decode.js not built: the stored requests are not decoded)")
    if len(files) == 7:
        raw = open(os.path.join(env["FAKE_OUT"], files[6]), "rb").read()
        check(raw.startswith(b"POST /v1/logs HTTP/1.1\r\n") and raw.endswith(logs_json),
              "stored request: request line, headers, gunzipped body")
    if len(files) == 7 and decode_js:
        rc, out, err = decode(decode_js, os.path.join(env["FAKE_OUT"], files[0]))
        ok = rc == 0 and json.loads(out)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceId"] == ids["trace"]
        check(ok, f"decode.js reads a stored request ({err.strip()[:200]})")
        rc, out, err = decode(decode_js, os.path.join(env["FAKE_OUT"], files[6]))
        check(rc == 0 and "resourceLogs" in out, f"decode.js reads the stored gzip logs request ({err.strip()[:200]})")


def do_fake_hang(envf):
    env = read_env(envf)
    u = urllib.parse.urlsplit(env["FAKE_ENDPOINT"])
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=1.0)
    t0 = time.time()
    try:
        c.request("POST", "/v1/traces", body=b"{}", headers={"Content-Type": "application/json"})
        c.getresponse()
        check(False, "--hang: no answer")
    except (socket.timeout, TimeoutError):
        check(0.9 <= time.time() - t0 < 5, "--hang: the client times out (1 s), no answer")
    finally:
        c.close()
    time.sleep(0.3)
    n = len([f for f in os.listdir(env["FAKE_OUT"]) if f.endswith(".http")])
    check(n == 1, f"--hang: the request was still stored ({n})")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    a = sys.argv[2:]
    if cmd == "sample":
        return make_sample(a[0])
    if cmd == "send":
        st, _, body = send(a[0], a[1])
        print(st, body[:200])
        return 0 if st == 200 else 1
    if cmd == "otelcol":
        do_otelcol(a[0], a[1], a[2] if len(a) > 2 else None)
    elif cmd == "jaeger":
        do_jaeger(a[0], a[1], a[2] if len(a) > 2 else "json")
    elif cmd == "phoenix":
        do_phoenix(a[0], a[1])
    elif cmd == "fake":
        do_fake(a[0], a[1], a[2])
    elif cmd == "fake-hang":
        do_fake_hang(a[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    if FAILS:
        print(f"peercheck {cmd}: {len(FAILS)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
