"""structlog peer of bench/compare.sh (Debian's python3-structlog).

usage: /usr/bin/python3 bench_structlog.py -n N -t THREADS -o PATH
Prints the peer line of bench/peers/c/common.h:
  peer=structlog threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=..

Configured as structlog's documentation recommends for fast production JSON:
merge_contextvars, add_log_level, TimeStamper(fmt="iso", utc=True), a trace-id processor,
JSONRenderer, BytesLoggerFactory, a filtering bound logger, cache_logger_on_first_use.
orjson (the serializer the documentation pairs with BytesLoggerFactory) is not packaged
by Debian 12, so JSONRenderer's serializer is the standard json module, encoded to bytes.
Per-request context (user_id, agent) is bound with bind_contextvars; the current span's
ids live in a ContextVar, as OpenTelemetry keeps them (Debian does not package
opentelemetry for Python).
"""
import contextvars
import json
import logging
import secrets
import sys
import threading
import time

import structlog

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
N, T, OUT = int(args.get("-n", 1000000)), int(args.get("-t", 1)), args.get("-o", "/dev/null")

current_span = contextvars.ContextVar("current_span", default=None)  # (trace_id, span_id)


def add_trace_ids(logger, method_name, event_dict):
    span = current_span.get()
    if span is not None:
        event_dict["trace_id"], event_dict["span_id"] = span
    return event_dict


def dumps(obj, **kw):
    return json.dumps(obj, **kw).encode()


out = open(OUT, "wb")  # BytesLogger writes and flushes each record
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_trace_ids,
        structlog.processors.JSONRenderer(serializer=dumps),
    ],
    wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
    logger_factory=structlog.BytesLoggerFactory(file=out),
    cache_logger_on_first_use=True,
)
# a non-stdlib logger factory has no logger name for add_logger_name: bind it once
log = structlog.get_logger().bind(logger="agent")

results = [None] * T  # per thread: (t0, t1, count, user_id, trace_id)
start = threading.Barrier(T)


def request(k):
    """one request: bind its context once, open a span, log its share of the records"""
    user_id = "u_8821" if T == 1 else f"u_{k + 1}"
    structlog.contextvars.bind_contextvars(user_id=user_id, agent="research-assistant")
    span = (secrets.token_hex(16), secrets.token_hex(8))
    current_span.set(span)
    n = N // T
    info = log.info
    start.wait()
    t0 = time.perf_counter_ns()  # CLOCK_MONOTONIC, shared by the threads
    for _ in range(n):
        info("searching", query="Q3 invoices", top_k=5, score=0.87)
    results[k] = (t0, time.perf_counter_ns(), n, user_id, span[0])


threads = [threading.Thread(target=request, args=(k,)) for k in range(T)]
for th in threads:
    th.start()
for th in threads:
    th.join()
out.close()
t_end = time.perf_counter_ns()
first = min(r[0] for r in results)
calls = [(r[1] - r[0]) / r[2] for r in results]
e2e = (t_end - first) / 1e9
ids = " ".join(f"user{k}={r[3]} trace{k}={r[4]}" for k, r in enumerate(results))
print(f"peer=structlog threads={T} n={N} call_ns={sum(calls) / T:.1f} call_ns_max={max(calls):.1f} "
      f"e2e_s={e2e:.4f} e2e_rps={N / e2e:.0f} {ids}")
