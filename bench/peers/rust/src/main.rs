//! tracing + tracing-subscriber (json) peer of bench/compare.sh (Debian's librust-* crates).
//! usage: tracing-peer -n N -t THREADS -o PATH
//! Production JSON: tracing_subscriber::fmt().json() with the event's fields at top level
//! (flatten_event) and the current span's fields under "span"; the request's context and the
//! trace/span ids are fields of the span entered around the loop. The writer is a
//! Mutex<BufWriter<File>> (256 KiB), flushed and closed at the end (Debian 12 does not
//! package tracing-appender). THREADS OS threads, N/THREADS records each.
//! Prints the peer line of bench/peers/c/common.h:
//!   peer=tracing threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=..
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::sync::{Arc, Barrier, Mutex, MutexGuard};
use std::thread;
use std::time::Instant;

use tracing::{info, info_span};
use tracing_subscriber::fmt::MakeWriter;

fn hex_id(nbytes: usize) -> String {
    let mut b = vec![0u8; nbytes];
    File::open("/dev/urandom").unwrap().read_exact(&mut b).unwrap();
    b.iter().map(|x| format!("{:02x}", x)).collect()
}

/// A shared BufWriter behind a mutex; None once closed.
#[derive(Clone)]
struct SharedBuf(Arc<Mutex<Option<BufWriter<File>>>>);
struct BufGuard<'a>(MutexGuard<'a, Option<BufWriter<File>>>);
impl Write for BufGuard<'_> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        match self.0.as_mut() {
            Some(w) => w.write(b),
            None => Ok(b.len()),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.as_mut().map_or(Ok(()), |w| w.flush())
    }
}
impl<'a> MakeWriter<'a> for SharedBuf {
    type Writer = BufGuard<'a>;
    fn make_writer(&'a self) -> Self::Writer {
        BufGuard(self.0.lock().unwrap())
    }
}

struct Producer {
    user_id: String,
    trace_id: String,
    t0: Instant,
    t1: Instant,
    count: usize,
}

/// One request: its span (with the bound context and ids) entered around the loop.
fn request(user_id: String, count: usize, start: &Barrier) -> Producer {
    let trace_id = hex_id(16);
    let span_id = hex_id(8);
    let span = info_span!("request", user_id = user_id.as_str(), agent = "research-assistant",
                          trace_id = trace_id.as_str(), span_id = span_id.as_str());
    let _entered = span.enter();
    start.wait();
    let t0 = Instant::now();
    for _ in 0..count {
        info!(target: "agent", query = "Q3 invoices", top_k = 5, score = 0.87, "searching");
    }
    let t1 = Instant::now();
    Producer { user_id, trace_id, t0, t1, count }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str, d: &str| -> String {
        args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| d.to_string())
    };
    let n: usize = arg("-n", "1000000").parse().unwrap();
    let threads: usize = arg("-t", "1").parse().unwrap();
    let out = arg("-o", "/dev/null");

    let shared = SharedBuf(Arc::new(Mutex::new(Some(BufWriter::with_capacity(256 * 1024, File::create(&out).unwrap())))));
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true) // event fields at top level
        .with_current_span(true) // the current span's fields under "span"
        .with_span_list(false)
        .with_target(true)
        .with_writer(shared.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|k| {
            let start = start.clone();
            let user_id = if threads == 1 { "u_8821".to_string() } else { format!("u_{}", k + 1) };
            thread::spawn(move || request(user_id, n / threads, &start))
        })
        .collect();
    let ps: Vec<Producer> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let w = shared.0.lock().unwrap().take().unwrap();
    drop(w.into_inner().map_err(|e| e.into_error()).unwrap()); // flushed, then close(2)
    let end = Instant::now();

    let first = ps.iter().map(|p| p.t0).min().unwrap();
    let calls: Vec<f64> = ps.iter().map(|p| (p.t1 - p.t0).as_nanos() as f64 / p.count as f64).collect();
    let e2e = (end - first).as_secs_f64();
    let ids: Vec<String> = ps.iter().enumerate()
        .map(|(k, p)| format!("user{}={} trace{}={}", k, p.user_id, k, p.trace_id)).collect();
    println!("peer=tracing threads={} n={} call_ns={:.1} call_ns_max={:.1} e2e_s={:.4} e2e_rps={:.0} {}",
             threads, n, calls.iter().sum::<f64>() / threads as f64, calls.iter().cloned().fold(0.0, f64::max),
             e2e, n as f64 / e2e, ids.join(" "));
}
