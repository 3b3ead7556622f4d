// zap peer of bench/compare.sh (Debian's golang-go.uber-zap-dev).
// usage: zap -n N -t THREADS -o PATH
// Production JSON: zap's JSON encoder, a BufferedWriteSyncer (256 KiB, flushed when full and
// at Stop), the request's context and the span's ids bound once on a child logger (With),
// as Go code does: there is no implicit context. THREADS goroutines, N/THREADS records each.
// Prints the peer line of bench/peers/c/common.h:
//
//	peer=zap threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=..
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"peers/common"
)

var tsLayout = zapcore.TimeEncoderOfLayout("2006-01-02T15:04:05.000000Z07:00")

func utcTime(t time.Time, enc zapcore.PrimitiveArrayEncoder) { tsLayout(t.UTC(), enc) }

func main() {
	n := flag.Int("n", 1000000, "records")
	threads := flag.Int("t", 1, "producer goroutines")
	out := flag.String("o", "/dev/null", "output")
	flag.Parse()
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		panic(err)
	}
	// defaults: 256 KiB, flushed every 30 s; Sync only flushes: no fsync (no peer fsyncs)
	ws := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(struct{ io.Writer }{f})}
	encCfg := zapcore.EncoderConfig{
		TimeKey: "timestamp", LevelKey: "level", NameKey: "logger", MessageKey: "event",
		LineEnding: zapcore.DefaultLineEnding, EncodeLevel: zapcore.LowercaseLevelEncoder,
		EncodeTime: utcTime, EncodeDuration: zapcore.StringDurationEncoder, EncodeName: zapcore.FullNameEncoder,
	}
	base := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(encCfg), ws, zapcore.InfoLevel)).Named("agent")

	rs := common.Run(*threads, *n, func(userID, traceID, spanID string, count int) func() {
		log := base.With(zap.String("user_id", userID), zap.String("agent", "research-assistant"))
		slog := log.With(zap.String("trace_id", traceID), zap.String("span_id", spanID))
		return func() {
			for i := 0; i < count; i++ {
				slog.Info("searching", zap.String("query", "Q3 invoices"), zap.Int("top_k", 5), zap.Float64("score", 0.87))
			}
		}
	})
	if err := ws.Stop(); err != nil { // flushes
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
	fmt.Println(rs.Report("zap", *n, time.Now()))
}
