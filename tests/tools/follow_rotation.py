"""--follow prints traces appended to a growing file, and keeps going when the file is
rotated (renamed and created anew) or truncated in place. Every wait is bounded."""
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

from treetool import check, fail

tool = sys.argv[1]


def trace_lines(n):
    """A root span of trace n (its children need not exist to finish a trace)."""
    tid = "%032x" % (0xabc000 + n)
    return ('{"name":"invoke_agent t%d","trace_id":"%s","span_id":"%016x","parent_span_id":null,'
            '"kind":"internal","start_time":"2026-03-14T10:00:%02d.000000Z","end_time":"2026-03-14T10:00:%02d.500000Z",'
            '"duration_ms":500.0,"status":{"code":"ok"},"attributes":{},"events":[],"links":[]}\n'
            % (n, tid, n + 1, n, n)), tid


class Reader:
    def __init__(self, proc):
        self.proc, self.buf = proc, b""

    def wait_for(self, tid, seconds=10.0):
        deadline = time.monotonic() + seconds
        while tid.encode() not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                fail(f"trace {tid} not printed within {seconds} s; output so far: {self.buf!r}")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    fail(f"spanlog-tree ended early (exit {self.proc.poll()}): {self.buf!r}")
                self.buf += chunk


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as d:
    log = os.path.join(d, "app.log")
    first, t1 = trace_lines(1)
    append(log, first)
    p = subprocess.Popen([tool, "--follow", "--summary", log], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out = Reader(p)
        out.wait_for(t1)                     # what was there at the start
        line, t2 = trace_lines(2)
        append(log, line)
        out.wait_for(t2)                     # appended
        line, t3 = trace_lines(3)
        half = len(line) // 2
        append(log, line[:half])             # a line written in two pieces
        time.sleep(0.3)
        append(log, line[half:])
        out.wait_for(t3)
        os.rename(log, log + ".1")           # rotation: rename, then a new file
        line, t4 = trace_lines(4)
        append(log, line)
        out.wait_for(t4)
        line, t5 = trace_lines(5)
        append(log, line)                    # the new file keeps growing
        out.wait_for(t5)
        with open(log, "w"):                 # copytruncate
            pass
        line, t6 = trace_lines(6)
        append(log, line)
        out.wait_for(t6)
        check(p.poll() is None, "still running")
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            rest, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            fail("did not end on SIGTERM")
    check(p.returncode == 0, f"exit {p.returncode} after SIGTERM, stderr {err!r}")
    summary = (out.buf + rest).decode().splitlines()
    check(len(summary) == 6, f"each trace once: {summary}")
print("ok")
