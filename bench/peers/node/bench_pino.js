'use strict'
// pino peer of bench/compare.sh.
// usage: node bench_pino.js -n N -t THREADS -o PATH
//   1 thread: the main thread; 2 threads: 2 worker_threads, N/2 each, each with its own
//   logger and destination on PATH (O_APPEND).
// Configured for production JSON: a child logger per request with the bound fields, a
// mixin that adds the current span's ids (kept in AsyncLocalStorage, as OpenTelemetry's
// context manager keeps them), the async destination (pino.destination({sync: false}),
// sonic-boom writing in the background), closed and flushed at the end.
// Prints the peer line of bench/peers/c/common.h:
//   peer=pino threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=..
// Clock: process.hrtime.bigint() (CLOCK_MONOTONIC, shared by all threads of the process).
const { AsyncLocalStorage } = require('node:async_hooks')
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const fs = require('node:fs')
const pino = require('pino')

const now = () => process.hrtime.bigint()
const als = new AsyncLocalStorage() // the current span

function makeLogger (out) {
  const dest = pino.destination({ dest: out, sync: false })
  const logger = pino({
    base: { logger: 'agent' }, // no pid/hostname; the logger name
    messageKey: 'event',
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    // a fresh object per call: pino Object.assign()s the call-site fields into it
    mixin: () => {
      const s = als.getStore()
      return s === undefined ? {} : { trace_id: s.trace_id, span_id: s.span_id }
    }
  }, dest)
  return { logger, dest }
}

function closeDest (dest) {
  return new Promise((resolve) => { dest.once('close', resolve); dest.end() })
}

// one request: bind its context once, open a span, log n records; returns its timing
async function request (out, userId, n, wait) {
  const { logger, dest } = makeLogger(out)
  const log = logger.child({ user_id: userId, agent: 'research-assistant' })
  const span = { trace_id: crypto.randomBytes(16).toString('hex'), span_id: crypto.randomBytes(8).toString('hex') }
  wait()
  const t0 = now()
  als.run(span, () => {
    for (let i = 0; i < n; i++) log.info({ query: 'Q3 invoices', top_k: 5, score: 0.87 }, 'searching')
  })
  const t1 = now()
  await closeDest(dest)
  return { t0, t1, t2: now(), n, userId, traceId: span.trace_id }
}

async function main () {
  const a = process.argv.slice(2)
  const arg = (k, d) => (a.indexOf(k) >= 0 ? a[a.indexOf(k) + 1] : d)
  const n = parseInt(arg('-n', '1000000'), 10)
  const t = parseInt(arg('-t', '1'), 10)
  const out = arg('-o', '/dev/null')
  fs.closeSync(fs.openSync(out, 'w')) // sonic-boom appends: start from an empty file
  let rs
  if (t === 1) {
    rs = [await request(out, 'u_8821', n, () => {})]
  } else {
    const go = new Int32Array(new SharedArrayBuffer(4)) // releases the workers together
    const workers = []
    for (let k = 0; k < t; k++) workers.push(new Worker(__filename, { workerData: { k, n: Math.floor(n / t), out, go } }))
    const ready = []
    const done = workers.map((w) => new Promise((resolve, reject) => {
      ready.push(new Promise((resolveReady) => w.on('message', (m) => (m.ready ? resolveReady() : resolve(m)))))
      w.once('error', reject)
    }))
    await Promise.all(ready)
    Atomics.store(go, 0, 1); Atomics.notify(go, 0)
    rs = await Promise.all(done)
  }
  const first = rs.map((r) => r.t0).reduce((x, y) => (x < y ? x : y))
  const end = rs.map((r) => r.t2).reduce((x, y) => (x > y ? x : y))
  const calls = rs.map((r) => Number(r.t1 - r.t0) / r.n)
  const e2e = Number(end - first) / 1e9
  const ids = rs.map((r, k) => `user${k}=${r.userId} trace${k}=${r.traceId}`).join(' ')
  console.log(`peer=pino threads=${t} n=${n} call_ns=${(calls.reduce((x, y) => x + y) / t).toFixed(1)} ` +
    `call_ns_max=${Math.max(...calls).toFixed(1)} e2e_s=${e2e.toFixed(4)} e2e_rps=${Math.round(n / e2e)} ${ids}`)
}

async function worker () {
  const { k, n, out, go } = workerData
  const r = await request(out, `u_${k + 1}`, n, () => {
    parentPort.postMessage({ ready: true })
    Atomics.wait(go, 0, 0)
  })
  parentPort.postMessage(r)
}

if (isMainThread) main(); else worker()
