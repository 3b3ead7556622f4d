#!/usr/bin/env python3
"""A small loopback OTLP/HTTP receiver for spanlog's fault tests.

Standard library only; HTTP/1.1 with keep-alive. Every request is stored in
--out DIR as one file, NNNNNN.http, numbered from 000001 in arrival order:

    POST /v1/traces HTTP/1.1\\r\\n
    Header: value\\r\\n            (as received)
    \\r\\n
    <body>                         (gunzipped when Content-Encoding: gzip)

A file appears whole (written aside, then renamed), so counting *.http counts
deliveries; `node decoder/decode.js DIR/000001.http` decodes one. DIR/requests.log
gets a line per request: "N conn=C answer=STEP METHOD PATH" (C numbers the
TCP connections, to see keep-alive at work).

Answers, in order of the requests: --script 503,503,200 gives each request its
status (then 200 for the rest). Besides status codes a step may be `hang`
(accept, read the request, never answer) or `close` (read the request, close
the connection without an answer). 429 and 503 carry --retry-after when given.
An error body is --body TEXT (text/plain) or else a google.rpc.Status in the
request's encoding; a 200 is an empty Export*ServiceResponse in the request's
encoding, or one with partial_success when --partial-rejected/--partial-message
are given.

    fake_receiver.py --port 0 --out DIR [--host 127.0.0.1] [--script LIST]
        [--retry-after VALUE] [--body TEXT] [--hang] [--delay-ms N]
        [--partial-rejected N] [--partial-message TEXT]

With --port 0 the first line on stdout is the chosen port. SIGTERM or SIGINT
stops it cleanly (exit 0).
"""

import argparse
import gzip
import http.server
import json
import os
import signal
import socket
import sys
import threading
import time
import zlib

MAX_BODY = 64 * 1024 * 1024 + 1024 * 1024  # the spec's request limit, with slack


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb_field(num, wire, payload):
    tag = varint((num << 3) | wire)
    if wire == 2:
        return tag + varint(len(payload)) + payload
    return tag + payload  # wire 0: payload is an encoded varint


REASONS = {
    200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    408: "Request Timeout", 413: "Payload Too Large", 415: "Unsupported Media Type",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.count = 0
        self.conns = 0
        self.script = [s.strip().lower() for s in args.script.split(",") if s.strip()] if args.script else []
        for s in self.script:
            if s not in ("hang", "close") and not (s.isdigit() and 100 <= int(s) <= 599):
                raise SystemExit(f"fake_receiver: bad --script step {s!r}")
        self.stop = threading.Event()

    def next(self):
        """Numbers a request and picks its answer."""
        with self.lock:
            self.count += 1
            n = self.count
        if self.args.hang:
            step = "hang"
        elif n <= len(self.script):
            step = self.script[n - 1]
        else:
            step = "200"
        return n, step


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "spanlog-fake-otlp/1"
    sys_version = ""

    def log_message(self, fmt, *a):  # quiet; stderr is for real problems
        pass

    def setup(self):
        super().setup()
        with self.server.state.lock:
            self.server.state.conns += 1
            self.conn_no = self.server.state.conns

    def note(self, n, step):
        """One line per request in DIR/requests.log: number, connection, answer, path."""
        out = self.server.state.args.out
        if out:
            with self.server.state.lock, open(os.path.join(out, "requests.log"), "a") as f:
                f.write(f"{n} conn={self.conn_no} answer={step} {self.command} {self.path}\n")

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ConnectionError("eof in chunked body")
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            raise ValueError("body too large")
        data = self.rfile.read(n) if n else b""
        if len(data) != n:
            raise ConnectionError("eof in body")
        return data

    def store(self, n, body):
        out = self.server.state.args.out
        if not out:
            return
        head = [f"{self.command} {self.path} {self.request_version}"]
        head += [f"{k}: {v}" for k, v in self.headers.items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1", "replace") + body
        final = os.path.join(out, f"{n:06d}.http")
        tmp = os.path.join(out, f".{n:06d}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, final)

    def answer(self, status, body, ctype, extra=()):
        self.send_response(status, REASONS.get(status))
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def handle_any(self):
        st = self.server.state
        args = st.args
        try:
            raw = self.read_body()
        except (ValueError, ConnectionError, OSError) as e:
            self.close_connection = True
            if isinstance(e, ValueError):
                try:
                    self.answer(413, b"request body too large", "text/plain")
                except OSError:
                    pass
            return
        body = raw
        enc = (self.headers.get("Content-Encoding") or "").strip().lower()
        bad_gzip = False
        if enc == "gzip":
            try:
                body = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error):
                bad_gzip = True
        elif enc == "deflate":
            try:
                body = zlib.decompress(raw)
            except zlib.error:
                bad_gzip = True
        n, step = st.next()
        self.store(n, body)
        self.note(n, step)
        if args.delay_ms:
            if st.stop.wait(args.delay_ms / 1000.0):
                self.close_connection = True
                return
        if step == "hang":
            self.close_connection = True
            st.stop.wait()
            return
        if step == "close":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status = int(step)
        if bad_gzip and status == 200:
            status = 400
        ctype_in = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        json_req = ctype_in == "application/json"
        extra = []
        if status in (429, 503) and args.retry_after is not None:
            extra.append(("Retry-After", args.retry_after))
        if status == 200:
            if self.command != "POST":
                self.answer(200, b"", "text/plain")
                return
            logs = self.path.rstrip("/").endswith("/v1/logs")
            body_out = b""
            if args.partial_rejected is not None or args.partial_message is not None:
                rej = args.partial_rejected or 0
                msg = args.partial_message or ""
                if json_req:
                    ps = {"rejectedLogRecords" if logs else "rejectedSpans": str(rej)}
                    if msg:
                        ps["errorMessage"] = msg
                    body_out = json.dumps({"partialSuccess": ps}).encode()
                else:
                    inner = (pb_field(1, 0, varint(rej)) if rej else b"") + \
                        (pb_field(2, 2, msg.encode()) if msg else b"")
                    body_out = pb_field(1, 2, inner)
            elif json_req:
                body_out = b"{}"
            self.answer(200, body_out, "application/json" if json_req else "application/x-protobuf", extra)
            return
        if args.body is not None:
            self.answer(status, args.body.encode(), "text/plain; charset=utf-8", extra)
            return
        msg = "bad gzip body" if bad_gzip else f"fake receiver: scripted status {status}"
        # google.rpc.Code: RESOURCE_EXHAUSTED, UNAVAILABLE, INVALID_ARGUMENT
        code = 8 if status == 429 else 14 if status >= 500 else 3
        if json_req:
            self.answer(status, json.dumps({"code": code, "message": msg}).encode(), "application/json", extra)
        else:
            self.answer(status, pb_field(1, 0, varint(code)) + pb_field(2, 2, msg.encode()),
                        "application/x-protobuf", extra)

    do_POST = handle_any
    do_PUT = handle_any
    do_GET = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    ap = argparse.ArgumentParser(description="Loopback OTLP/HTTP receiver for fault tests")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--out", help="directory for one file per request")
    ap.add_argument("--script", default="", help="statuses in order, e.g. 503,503,200 (then 200); also hang, close")
    ap.add_argument("--retry-after", help="Retry-After value sent with 429 and 503")
    ap.add_argument("--body", help="body of error responses (text/plain)")
    ap.add_argument("--hang", action="store_true", help="accept and never answer")
    ap.add_argument("--delay-ms", type=int, default=0, help="wait before answering")
    ap.add_argument("--partial-rejected", type=int, help="partial_success.rejected_* in a 200")
    ap.add_argument("--partial-message", help="partial_success.error_message in a 200")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost") and not args.host.startswith("127."):
        raise SystemExit("fake_receiver: binds only loopback addresses")
    if args.out:
        os.makedirs(args.out, exist_ok=True)

    class S(Server):
        address_family = socket.AF_INET6 if ":" in args.host else socket.AF_INET

    srv = S((args.host, args.port), Handler)
    srv.state = State(args)
    print(srv.server_address[1], flush=True)

    def on_signal(signum, frame):
        srv.state.stop.set()
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        srv.serve_forever(poll_interval=0.1)
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
