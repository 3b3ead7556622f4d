// Command gosdk is the OpenTelemetry Go SDK side of spanlog's export
// benchmark: it makes spans (start + 4 attributes + end) on one or more
// goroutines, exports them with otlptracehttp + the batch span processor to
// the endpoint given, and prints one JSON line with the caller's cost per span
// and the time to shut down (flush) the provider. Count what the receiver got,
// not what was made: the Go batcher drops spans when its queue is full.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

type result struct {
	SDK             string  `json:"sdk"`
	Endpoint        string  `json:"endpoint"`
	Spans           int     `json:"spans"`
	Producers       int     `json:"producers"`
	CallerNsPerSpan float64 `json:"caller_ns_per_span"`
	ProduceSeconds  float64 `json:"produce_s"`
	ShutdownSeconds float64 `json:"shutdown_s"`
	TotalSeconds    float64 `json:"total_s"`
	MadeSpansPerSec float64 `json:"made_spans_per_s"`
	ShutdownError   string  `json:"shutdown_error,omitempty"`
}

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:4318", "OTLP/HTTP base URL (http://HOST:PORT)")
	spans := flag.Int("spans", 100000, "spans to make in total")
	producers := flag.Int("producers", 1, "goroutines making spans")
	service := flag.String("service", "gosdk-bench", "service.name of the resource")
	flag.Parse()

	u, err := url.Parse(*endpoint)
	if err != nil || u.Host == "" {
		fmt.Fprintf(os.Stderr, "gosdk: bad -endpoint %q\n", *endpoint)
		os.Exit(2)
	}
	ctx := context.Background()
	opts := []otlptracehttp.Option{otlptracehttp.WithEndpoint(u.Host)}
	if u.Scheme != "https" {
		opts = append(opts, otlptracehttp.WithInsecure())
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gosdk:", err)
		os.Exit(1)
	}
	res := resource.NewSchemaless(attribute.String("service.name", *service))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	tracer := tp.Tracer("spanlog-bench")

	per := *spans / *producers
	start := time.Now()
	var wg sync.WaitGroup
	for p := 0; p < *producers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				_, s := tracer.Start(ctx, "bench.span")
				s.SetAttributes(
					attribute.String("bench.str", "value"),
					attribute.Int("bench.int", i),
					attribute.Float64("bench.float", 1.5),
					attribute.Bool("bench.bool", i%2 == 0),
				)
				s.End()
			}
		}(p)
	}
	wg.Wait()
	produced := time.Since(start)
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	serr := tp.Shutdown(sctx)
	total := time.Since(start)

	made := per * *producers
	r := result{
		SDK: "go", Endpoint: *endpoint, Spans: made, Producers: *producers,
		CallerNsPerSpan: float64(produced.Nanoseconds()) * float64(*producers) / float64(made),
		ProduceSeconds:  produced.Seconds(),
		ShutdownSeconds: (total - produced).Seconds(),
		TotalSeconds:    total.Seconds(),
		MadeSpansPerSec: float64(made) / produced.Seconds(),
	}
	if serr != nil {
		r.ShutdownError = serr.Error()
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}
