#!/usr/bin/env python3
"""The OpenTelemetry Python SDK side of bench/otlp_export.sh: spans (start + 4 attributes
+ end) exported with OTLPSpanExporter (HTTP/protobuf) through the BatchSpanProcessor to
ENDPOINT. Prints one line like bench_otlp_export's. Run with the pyotel venv of
tests/otlp/peers.sh (peers.sh path pyotel)."""
import sys
import time

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

endpoint, n = sys.argv[1], int(sys.argv[2])
provider = TracerProvider(resource=Resource.create({"service.name": "pysdk-bench"}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint + "/v1/traces")))
tracer = provider.get_tracer("bench")
t0 = time.perf_counter()
for i in range(n):
    s = tracer.start_span("tool.call")
    s.set_attribute("tool", "search")
    s.set_attribute("attempt", i)
    s.set_attribute("score", 0.87)
    s.set_attribute("cached", bool(i & 1))
    s.end()
t1 = time.perf_counter()
provider.shutdown()
t2 = time.perf_counter()
print("peer=python-sdk producers=1 spans=%d caller_ns=%.1f produce_s=%.3f total_s=%.3f" %
      (n, (t1 - t0) / n * 1e9, t1 - t0, t2 - t0))
