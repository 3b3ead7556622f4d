"""Reads back what test_otlp_encode wrote: the protobuf with the OpenTelemetry protobuf
classes (opentelemetry-proto), the JSON with Python's json, and checks every field
against the expectations below, written from the fixtures' inputs and the OTLP rules
(SPEC-NOTES §3), not from the encoder.

usage: check_otlp.py DIR"""
import json
import math
import re
import sys

from google.protobuf.unknown_fields import UnknownFieldSet
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord
from opentelemetry.proto.trace.v1.trace_pb2 import Span

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


# ---- values, normalized the same way from both encodings ----
def S(s): return ("s", s)
def I(i): return ("i", i)
def D(d): return ("d", repr(float(d)))
def B(b): return ("b", b)
def A(xs): return ("a", list(xs))
def KV(pairs): return ("kv", list(pairs))


NAN, INF = float("nan"), float("inf")
INT64 = (-2**63, 2**63 - 1)


def av_pb(v):
    which = v.WhichOneof("value")
    if which is None:
        return None
    if which == "string_value":
        return S(v.string_value)
    if which == "bool_value":
        return B(v.bool_value)
    if which == "int_value":
        return I(v.int_value)
    if which == "double_value":
        return D(v.double_value)
    if which == "array_value":
        return A(av_pb(x) for x in v.array_value.values)
    if which == "kvlist_value":
        return KV((kv.key, av_pb(kv.value)) for kv in v.kvlist_value.values)
    raise AssertionError("unexpected AnyValue member " + which)


def av_json(v, where):
    check(isinstance(v, dict) and len(v) <= 1, f"{where}: AnyValue is an object of one member: {v!r}")
    if not v:
        return None
    (k, x), = v.items()
    if k == "stringValue":
        check(isinstance(x, str), f"{where}: stringValue is a string")
        return S(x)
    if k == "boolValue":
        check(isinstance(x, bool), f"{where}: boolValue is a bool")
        return B(x)
    if k == "intValue":
        # int64 is a decimal string in OTLP/JSON
        check(isinstance(x, str) and re.fullmatch(r"-?(0|[1-9][0-9]*)", x), f"{where}: intValue {x!r} is a decimal string")
        return I(int(x))
    if k == "doubleValue":
        ok = (isinstance(x, (int, float)) and not isinstance(x, bool)) or x in ("NaN", "Infinity", "-Infinity")
        check(ok, f"{where}: doubleValue {x!r} is a number or NaN/Infinity/-Infinity")
        return D(float(x))
    if k == "arrayValue":
        check(set(x) <= {"values"}, f"{where}: arrayValue has values only")
        return A(av_json(e, where + "[]") for e in x.get("values", []))
    if k == "kvlistValue":
        check(set(x) <= {"values"}, f"{where}: kvlistValue has values only")
        return KV(kv_json(e, where + "{}") for e in x.get("values", []))
    raise AssertionError(f"{where}: unexpected AnyValue member {k}")


def kv_json(e, where):
    check(set(e) == {"key", "value"}, f"{where}: KeyValue has key and value: {e!r}")
    return (e["key"], av_json(e["value"], where + "." + e["key"]))


def attrs_pb(kvs):
    return [(kv.key, av_pb(kv.value)) for kv in kvs]


def attrs_json(lst, where):
    return [kv_json(e, where) for e in lst]


def hexid(b):
    return b.hex()


def json_id(o, key, n, where):
    if key not in o:
        return ""
    v = o[key]
    check(isinstance(v, str) and re.fullmatch("[0-9a-f]{%d}" % (2 * n), v), f"{where}: {key} {v!r} is {n} bytes of lower-case hex")
    return v


def json_nanos(o, key, where):
    v = o.get(key, "0")
    check(isinstance(v, str) and re.fullmatch(r"[0-9]+", v), f"{where}: {key} {v!r} is a decimal string")
    return int(v)


def json_u32(o, key, where):
    v = o.get(key, 0)
    check(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**32, f"{where}: {key} {v!r} is a JSON number")
    return v


def keys_ok(o, allowed, where):
    extra = set(o) - set(allowed)
    check(not extra, f"{where}: unexpected keys {sorted(extra)}")


# ---- spans ----
SPAN_KEYS = ["traceId", "spanId", "traceState", "parentSpanId", "flags", "name", "kind", "startTimeUnixNano",
             "endTimeUnixNano", "attributes", "droppedAttributesCount", "events", "droppedEventsCount", "links",
             "droppedLinksCount", "status"]


def span_pb(s):
    return {
        "trace_id": hexid(s.trace_id), "span_id": hexid(s.span_id), "trace_state": s.trace_state,
        "parent": hexid(s.parent_span_id), "flags": s.flags, "name": s.name, "kind": s.kind,
        "start": s.start_time_unix_nano, "end": s.end_time_unix_nano, "attrs": attrs_pb(s.attributes),
        "dropped_attrs": s.dropped_attributes_count,
        "events": [(e.time_unix_nano, e.name, attrs_pb(e.attributes), e.dropped_attributes_count) for e in s.events],
        "dropped_events": s.dropped_events_count,
        "links": [(hexid(l.trace_id), hexid(l.span_id), l.trace_state, attrs_pb(l.attributes), l.dropped_attributes_count, l.flags)
                  for l in s.links],
        "dropped_links": s.dropped_links_count,
        "status": (s.status.code, s.status.message),
    }


def span_json(s, where):
    keys_ok(s, SPAN_KEYS, where)
    events, links = [], []
    for e in s.get("events", []):
        keys_ok(e, ["timeUnixNano", "name", "attributes", "droppedAttributesCount"], where + ".event")
        events.append((json_nanos(e, "timeUnixNano", where), e.get("name", ""), attrs_json(e.get("attributes", []), where),
                       json_u32(e, "droppedAttributesCount", where)))
    for l in s.get("links", []):
        keys_ok(l, ["traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags"], where + ".link")
        links.append((json_id(l, "traceId", 16, where), json_id(l, "spanId", 8, where), l.get("traceState", ""),
                      attrs_json(l.get("attributes", []), where), json_u32(l, "droppedAttributesCount", where), json_u32(l, "flags", where)))
    st = s.get("status", {})
    keys_ok(st, ["code", "message"], where + ".status")
    return {
        "trace_id": json_id(s, "traceId", 16, where), "span_id": json_id(s, "spanId", 8, where),
        "trace_state": s.get("traceState", ""), "parent": json_id(s, "parentSpanId", 8, where),
        "flags": json_u32(s, "flags", where), "name": s.get("name", ""), "kind": json_u32(s, "kind", where),
        "start": json_nanos(s, "startTimeUnixNano", where), "end": json_nanos(s, "endTimeUnixNano", where),
        "attrs": attrs_json(s.get("attributes", []), where), "dropped_attrs": json_u32(s, "droppedAttributesCount", where),
        "events": events, "dropped_events": json_u32(s, "droppedEventsCount", where),
        "links": links, "dropped_links": json_u32(s, "droppedLinksCount", where),
        "status": (json_u32(st, "code", where), st.get("message", "")),
    }


T0 = 1700000000123456789
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
SPAN = "00f067aa0ba902b7"
PARENT = "0102030405060708"


def bad_utf8(b):  # what any conforming decoder makes of invalid UTF-8: U+FFFD per maximal subpart
    return b.decode("utf-8", "replace")


def span_base(**kw):
    s = {"trace_id": TRACE, "span_id": PARENT, "trace_state": "", "parent": "", "flags": 1, "name": "", "kind": 1,
         "start": T0 - 5000, "end": T0 + 2000000000, "attrs": [], "dropped_attrs": 0, "events": [], "dropped_events": 0,
         "links": [], "dropped_links": 0, "status": (0, "")}
    s.update(kw)
    return s


def deep_kv(k):
    return I(1) if k == 0 else KV([("a", deep_kv(k - 1))])


def nested(k):
    return A([]) if k == 1 else A([nested(k - 1)])


SPAN_FULL_ATTRS = [
    ("gen_ai.operation.name", S("chat")), ("i64.neg", I(-42)), ("i64.min", I(-2**63)), ("i64.zero", I(0)),
    ("u64.small", I(7)), ("u64.max63", I(2**63 - 1)),
    ("u64.big", S("18446744073709551615")), ("u64.2e63", S("9223372036854775808")),  # above int64: exact digits
    ("f64", D(0.5)), ("f64.nan", D(NAN)), ("f64.inf", D(INF)), ("f64.ninf", D(-INF)), ("f64.negzero", D(-0.0)),
    ("f64.tiny", D(5e-324)), ("bool.t", B(True)), ("bool.f", B(False)), ("str.empty", S("")),
    ("str.utf8", S("héllo ✓ 😀")), ("str.bad", S(bad_utf8(b"a\xffb\xe2\x82"))), ("strn.nul", S("a\x00b")),
    ("str.ctl", S('tab\tnl\n"q"\\')), ("null", None),
    ("strs", A([S("a"), None, S(""), S("é")])), ("ints", A([I(1), I(-1), I(2**63 - 1)])),
    ("doubles", A([D(1.5), D(NAN), D(-INF)])), ("bools", A([B(True), B(False)])), ("ints.empty", A([])),
    (bad_utf8(b"k\xff"), S("bad key")), ("str.long", S("x" * 300)),
    ("raw.obj", KV([("a", I(1)), ("b", A([B(True), None, S("x")])), ("c", KV([("d", D(-2500.0))])), ("e", S("é😀\n"))])),
]

SPANS = {
    "span_full": span_base(
        span_id=SPAN, parent=PARENT, name="chat claude-sonnet-4-5", kind=3,  # client: OTLP CLIENT = 3
        start=T0, end=T0 + 1500000000, attrs=SPAN_FULL_ATTRS, dropped_attrs=3,
        events=[(T0 + 1000, "gen_ai.choice", [("index", I(0)), ("finish_reason", S("stop")), ("raw.deep", deep_kv(30))], 0),
                (T0 + 2000, "exception", [], 0)],
        dropped_events=1,
        links=[("aa" + TRACE[2:], "bb" + PARENT[2:], "", [("link.kind", S("follows"))], 0, 0)],
        status=(2, bad_utf8("rate limited ✓ ".encode() + b"\xff"))),
    "span_root": span_base(name="root", kind=1),
    "span_ok": span_base(name="consume", kind=5, status=(1, "")),
    "span_odd": span_base(name="", kind=1, status=(0, "")),
}


LOG_FULL_ATTRS = [
    ("user_id", S("u-1")),
    ("raw.arr", A([I(1), D(2.0), I(0), D(100.0), D(12345678901234567890.0), S("s"), B(False), None, A([]), KV([])])),
    ("raw.bad", S('{"a":}')), ("raw.trailing", S("1 2")), ("raw.lone", S('"\\ud800"')),
    ("raw.ws", KV([("k", S("v"))])), ("raw.deep_ok", nested(30)), ("raw.deep_bad", S("[" * 31 + "]" * 31)),
    ("raw.int_min", I(-2**63)), ("raw.int_over", D(9223372036854775808.0)), ("raw.str", S("plain")),
    ("raw.true", B(True)), ("raw.null", None), ("raw.escapes", S('"\\/\b\f\n\r\tA')),
    ("raw.dupkeys", KV([("a", I(1)), ("a", I(2))])), ("raw.empty", S("")),
    ("raw.nested", KV([("msgs", A([KV([("role", S("user")), ("parts", A([KV([("type", S("text")), ("content", S("hi"))])]))])]))])),
    ("attempt", I(3)),
]


def log_base(**kw):
    l = {"time": 0, "observed": 0, "severity": 0, "text": "", "body": None, "attrs": [], "dropped": 0, "flags": 0,
         "trace_id": "", "span_id": "", "event_name": ""}
    l.update(kw)
    return l


LOGS = {
    "log_full": log_base(time=T0, observed=T0 + 5000, severity=13, text="warning", body=S("tool failed ✓"),
                         attrs=LOG_FULL_ATTRS, flags=1, trace_id=TRACE, span_id=SPAN, event_name="gen_ai.evaluation.result"),
    "log_min": log_base(time=T0 + 1, observed=T0 + 1, severity=9),  # level 25: INFO's range, no text, no event
    "log_debug": log_base(time=T0 + 2, observed=T0 + 2, severity=5, text="debug", body=S("")),
    "log_crit": log_base(time=T0 + 3, observed=T0 + 3, severity=21, text="critical", body=S("down")),
}

LOG_KEYS = ["timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body", "attributes",
            "droppedAttributesCount", "flags", "traceId", "spanId", "eventName"]


def log_pb(l):
    return {"time": l.time_unix_nano, "observed": l.observed_time_unix_nano, "severity": l.severity_number,
            "text": l.severity_text, "body": av_pb(l.body) if l.HasField("body") else None, "attrs": attrs_pb(l.attributes),
            "dropped": l.dropped_attributes_count, "flags": l.flags, "trace_id": hexid(l.trace_id),
            "span_id": hexid(l.span_id), "event_name": l.event_name}


def log_json(l, where):
    keys_ok(l, LOG_KEYS, where)
    return {"time": json_nanos(l, "timeUnixNano", where), "observed": json_nanos(l, "observedTimeUnixNano", where),
            "severity": json_u32(l, "severityNumber", where), "text": l.get("severityText", ""),
            "body": av_json(l["body"], where + ".body") if "body" in l else None,
            "attrs": attrs_json(l.get("attributes", []), where), "dropped": json_u32(l, "droppedAttributesCount", where),
            "flags": json_u32(l, "flags", where), "trace_id": json_id(l, "traceId", 16, where),
            "span_id": json_id(l, "spanId", 8, where), "event_name": l.get("eventName", "")}


# ---- reading ----
def no_unknown_fields(msg, where):
    check(len(UnknownFieldSet(msg)) == 0, f"{where}: unknown fields in {type(msg).__name__}")
    for fd, value in msg.ListFields():
        if fd.message_type is None:
            continue
        for i, sub in enumerate(value if fd.is_repeated else [value]):
            no_unknown_fields(sub, f"{where}.{fd.name}[{i}]")


def read_pb(path, cls):
    data = open(path, "rb").read()
    msg = cls.FromString(data)
    no_unknown_fields(msg, path)
    # field order, minimal varints, proto3 defaults left out: as protobuf itself writes it
    check(msg.SerializeToString() == data, f"{path}: bytes differ from protobuf's own serialization")
    return msg


def strict_constant(name):
    raise ValueError("bare " + name + " is not JSON")


def read_json(path):
    text = open(path, "rb").read().decode("utf-8")  # strict: invalid UTF-8 raises
    check("\n" not in text, f"{path}: one line")
    doc = json.loads(text, parse_constant=strict_constant)

    def camel(o, where):
        if isinstance(o, dict):
            for k, v in o.items():
                check(re.fullmatch(r"[a-z][a-zA-Z]*", k) is not None, f"{where}: key {k!r} is lowerCamelCase")
                camel(v, where)
        elif isinstance(o, list):
            for v in o:
                camel(v, where)
    camel(doc, path)
    return doc


def compare(got, want, where):
    if got == want:
        return
    for k in want:
        if got.get(k) != want[k]:
            check(False, f"{where}: {k}:\n   got  {got.get(k)!r}\n   want {want[k]!r}")


def check_items(d):
    for name, want in SPANS.items():
        compare(span_pb(read_pb(f"{d}/{name}.pb", Span)), want, name + ".pb")
        compare(span_json(read_json(f"{d}/{name}.json"), name + ".json"), want, name + ".json")
    for name, want in LOGS.items():
        compare(log_pb(read_pb(f"{d}/{name}.pb", LogRecord)), want, name + ".pb")
        compare(log_json(read_json(f"{d}/{name}.json"), name + ".json"), want, name + ".json")


RESOURCE = [("service.name", S("checkout")), ("team", S("agents,ml")), ("bad", S("\ufffd")),
            ("telemetry.sdk.name", S("spanlog"))]
TRACE_SCOPES = [("spanlog", "0.1.0", ["span_full", "span_root", "span_ok", "span_odd"])]
# log records grouped by logger (the scope), in the order of each logger's first record
LOG_SCOPES = [("agent", "", ["log_full", "log_crit"]), ("spanlog", "0.1.0", ["log_min"]),
              ("agent.tools", "", ["log_debug"])]


def check_request_pb(path, cls, rx_name, sx_name, items_name, scopes, expected, conv):
    req = read_pb(path, cls)
    rxs = getattr(req, rx_name)
    check(len(rxs) == 1, f"{path}: one {rx_name}")
    rx = rxs[0]
    check(attrs_pb(rx.resource.attributes) == RESOURCE, f"{path}: resource {attrs_pb(rx.resource.attributes)!r}")
    sxs = getattr(rx, sx_name)
    check([(s.scope.name, s.scope.version, len(getattr(s, items_name))) for s in sxs] ==
          [(n, v, len(i)) for n, v, i in scopes], f"{path}: scopes")
    for s, (_, _, names) in zip(sxs, scopes):
        for item, name in zip(getattr(s, items_name), names):
            compare(conv(item), expected[name], f"{path}: {name}")


def check_request_json(path, rx_key, sx_key, items_key, scopes, expected, conv):
    doc = read_json(path)
    keys_ok(doc, [rx_key], path)
    rxs = doc[rx_key]
    check(len(rxs) == 1, f"{path}: one {rx_key}")
    rx = rxs[0]
    keys_ok(rx, ["resource", sx_key, "schemaUrl"], path)
    check(attrs_json(rx["resource"]["attributes"], path) == RESOURCE, f"{path}: resource")
    got = [(s["scope"].get("name", ""), s["scope"].get("version", ""), len(s[items_key])) for s in rx[sx_key]]
    check(got == [(n, v, len(i)) for n, v, i in scopes], f"{path}: scopes {got!r}")
    for s, (_, _, names) in zip(rx[sx_key], scopes):
        keys_ok(s, ["scope", items_key, "schemaUrl"], path)
        for item, name in zip(s[items_key], names):
            compare(conv(item, f"{path}: {name}"), expected[name], f"{path}: {name}")


def main():
    d = sys.argv[1]
    check_items(d)
    check_request_pb(f"{d}/traces.pb", ExportTraceServiceRequest, "resource_spans", "scope_spans", "spans",
                     TRACE_SCOPES, SPANS, span_pb)
    check_request_pb(f"{d}/logs.pb", ExportLogsServiceRequest, "resource_logs", "scope_logs", "log_records",
                     LOG_SCOPES, LOGS, log_pb)
    check_request_json(f"{d}/traces.json", "resourceSpans", "scopeSpans", "spans", TRACE_SCOPES, SPANS, span_json)
    check_request_json(f"{d}/logs.json", "resourceLogs", "scopeLogs", "logRecords", LOG_SCOPES, LOGS, log_json)
    checked = len(SPANS) + len(LOGS)
    print(f"check_otlp: {2 * checked} items and 4 requests read back, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
