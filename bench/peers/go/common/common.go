// Package common runs the producers of the Go peers of bench/compare.sh and prints their
// peer line (the protocol of bench/peers/c/common.h).
package common

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

type producer struct {
	userID, traceID string
	t0, t1          time.Time // Go's time.Now carries a monotonic reading; Sub uses it
	count           int
}

// Results of one run.
type Results []producer

func hexID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// Run starts one goroutine per producer. Each binds its request (setup receives the
// user id, the ids of its span and its record count, and returns the logging loop); the
// loops start together and are timed.
func Run(threads, n int, setup func(userID, traceID, spanID string, count int) func()) Results {
	rs := make(Results, threads)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(threads)
	done.Add(threads)
	for k := 0; k < threads; k++ {
		go func(k int) {
			defer done.Done()
			p := &rs[k]
			p.userID = "u_8821"
			if threads > 1 {
				p.userID = fmt.Sprintf("u_%d", k+1)
			}
			p.traceID, p.count = hexID(16), n/threads
			loop := setup(p.userID, p.traceID, hexID(8), p.count)
			ready.Done()
			<-start
			p.t0 = time.Now()
			loop()
			p.t1 = time.Now()
		}(k)
	}
	ready.Wait()
	close(start)
	done.Wait()
	return rs
}

// Report is the peer line; end: when the output was complete and closed.
func (rs Results) Report(peer string, n int, end time.Time) string {
	first := rs[0].t0
	sum, max := 0.0, 0.0
	var ids []string
	for k, p := range rs {
		if p.t0.Before(first) {
			first = p.t0
		}
		c := float64(p.t1.Sub(p.t0).Nanoseconds()) / float64(p.count)
		sum += c
		if c > max {
			max = c
		}
		ids = append(ids, fmt.Sprintf("user%d=%s trace%d=%s", k, p.userID, k, p.traceID))
	}
	e2e := end.Sub(first).Seconds()
	return fmt.Sprintf("peer=%s threads=%d n=%d call_ns=%.1f call_ns_max=%.1f e2e_s=%.4f e2e_rps=%.0f %s",
		peer, len(rs), n, sum/float64(len(rs)), max, e2e, float64(n)/e2e, strings.Join(ids, " "))
}
