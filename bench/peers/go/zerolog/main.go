// zerolog peer of bench/compare.sh (Debian's golang-github-rs-zerolog-dev).
// usage: zerolog -n N -t THREADS -o PATH
// Production JSON: a bufio.Writer (256 KiB) behind zerolog.SyncWriter (a mutex), flushed at
// the end; the request's context and the span's ids bound once on a child logger (With).
// THREADS goroutines, N/THREADS records each.
// Prints the peer line of bench/peers/c/common.h:
//
//	peer=zerolog threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=..
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"peers/common"
)

func main() {
	n := flag.Int("n", 1000000, "records")
	threads := flag.Int("t", 1, "producer goroutines")
	out := flag.String("o", "/dev/null", "output")
	flag.Parse()
	zerolog.TimeFieldFormat = "2006-01-02T15:04:05.000000Z07:00"
	zerolog.TimestampFieldName = "timestamp"
	zerolog.MessageFieldName = "event"
	zerolog.TimestampFunc = func() time.Time { return time.Now().UTC() }

	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		panic(err)
	}
	bw := bufio.NewWriterSize(f, 256*1024)
	base := zerolog.New(zerolog.SyncWriter(bw)).With().Timestamp().Str("logger", "agent").Logger()

	rs := common.Run(*threads, *n, func(userID, traceID, spanID string, count int) func() {
		log := base.With().Str("user_id", userID).Str("agent", "research-assistant").Logger()
		slog := log.With().Str("trace_id", traceID).Str("span_id", spanID).Logger()
		return func() {
			for i := 0; i < count; i++ {
				slog.Info().Str("query", "Q3 invoices").Int("top_k", 5).Float64("score", 0.87).Msg("searching")
			}
		}
	})
	if err := bw.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
	fmt.Println(rs.Report("zerolog", *n, time.Now()))
}
