#!/usr/bin/env python3
"""W3C tracestate in OTLP export, end to end: tracestate_emit continues a trace from a
traceparent and a tracestate, makes a child, links with and without a tracestate, and a
trace of its own linked to the continued one; the exporters send it as protobuf to tests/otlp/fake_receiver.py and as
OTLP/JSON to a file, and the JS reference decoder (tests/otlp/decoder) reads both back.

    tracestate_test.py TRACESTATE_EMIT

Exit 0 pass, 1 fail, 77 skip (node or the decoder is not installed; with CI=true that
fails)."""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_test import Fail, Fake, Skip, base_env, check, decode, json_spans, otlp_env  # noqa: E402

# What tracestate_emit received and linked to (see there).
INCOMING = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"  # as sent on: no OWS, no empty members
LINKED = {"0af7651916cd43dd8448eb211c80319c": "vendor=linked,other=1",
          "11111111111111111111111111111111": ""}


def run(emitter, work):
    """Runs the emitter; returns its ids and the spans of both encodings, decoded."""
    if not shutil.which("node"):
        raise Skip("node is not installed")
    fake = Fake(work)
    out = os.path.join(work, "otlp.jsonl")
    try:
        env = otlp_env(fake.url, "http/protobuf", OTEL_TRACES_EXPORTER="otlp,otlp_file", SPANLOG_OTLP_FILE=out)
        p = subprocess.run([emitter], env=base_env(work, env), capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, "tracestate_emit failed: " + p.stderr)
        ids = json.loads(p.stdout)
        requests = sorted(glob.glob(os.path.join(fake.out, "*.http")))
    finally:
        fake.stop()
    pb = [s for f in requests for s in json_spans(decode(f))]
    js = []
    for i, line in enumerate(open(out) if os.path.exists(out) else []):
        path = os.path.join(work, "line%d.json" % i)
        open(path, "w").write(line)
        js.extend(json_spans(decode(path, "--format", "json")))
    return ids, pb, js


def check_spans(ids, spans, encoding):
    by_id = {s["spanId"]: s for s in spans}
    check(len(spans) == 3, "%s: %d spans exported, want 3" % (encoding, len(spans)))
    server, child, root = (by_id.get(ids[n]["span_id"], {}) for n in ("server", "child", "root"))
    # a span continued from a traceparent and tracestate carries the incoming tracestate
    check(server.get("traceState") == INCOMING, "%s: server traceState %r" % (encoding, server.get("traceState")))
    # its child inherits it
    check(child.get("traceState") == INCOMING, "%s: child traceState %r" % (encoding, child.get("traceState")))
    # a trace started here has none (an empty string is the field's default: left out)
    check(root and not root.get("traceState"), "%s: root traceState %r" % (encoding, root.get("traceState")))
    # a link to a span of this process carries that span's
    local = root.get("links", [])
    check(len(local) == 1 and local[0].get("traceState") == INCOMING and
          local[0].get("spanId") == ids["server"]["span_id"], "%s: root's link %r" % (encoding, local))
    # each link carries its own: given, none, or none because the one given was invalid
    links = server.get("links", [])
    check(len(links) == 3, "%s: %d links, want 3" % (encoding, len(links)))
    for link in links:
        kind = {a["key"]: a["value"].get("stringValue") for a in link.get("attributes", [])}.get("link.kind")
        want = LINKED[link["traceId"]] if kind != "invalid_state" else ""
        check(link.get("traceState", "") == want, "%s: link %s traceState %r, want %r" %
              (encoding, kind, link.get("traceState"), want))


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="otlp-tracestate-")
    try:
        ids, pb, js = run(sys.argv[1], work)
        check_spans(ids, pb, "protobuf")
        check_spans(ids, js, "json")
    except Skip as e:
        print("SKIP: %s" % e, file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else 77
    except Fail as e:
        print("FAIL: %s\n(work directory kept: %s)" % (e, work), file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
