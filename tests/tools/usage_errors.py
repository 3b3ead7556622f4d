"""Wrong usage exits 2 with the usage text on stderr; input that cannot be read at all
exits 1; --help exits 0."""
import sys

from treetool import check, fixture, run

tool = sys.argv[1]
f = fixture("fixture.jsonl")
for args in (["--bogus", f], ["--slowest", "0", f], ["--slowest", "abc", f], ["--slowest"],
             ["--trace", "xyz", f], ["--trace", "4bf92f3577b34da6a3ce929d0e0e473", f], ["--trace"],
             ["--json", "--summary", f], ["--json", "--stats", f], ["--pricing", "/nonexistent/p.json", f],
             ["--html"], ["--trace=", f], ["-x", f]):
    r = run(tool, *args)
    check(r.returncode == 2, f"{args}: exit {r.returncode}, wanted 2")
    check(b"usage:" in r.stderr or b"--pricing" in r.stderr, f"{args}: no explanation: {r.stderr!r}")
    check(r.stdout == b"", f"{args}: wrote to stdout")

r = run(tool, "/nonexistent/input.jsonl")
check(r.returncode == 1 and b"/nonexistent/input.jsonl" in r.stderr, f"missing file: {r.returncode} {r.stderr!r}")
r = run(tool, "/")
check(r.returncode == 1, f"a directory: exit {r.returncode}")
r = run(tool, "/nonexistent/input.jsonl", f, "--summary")
check(r.returncode == 0 and len(r.stdout.splitlines()) == 2, "one readable file of two is enough")
r = run(tool, "--help")
check(r.returncode == 0 and b"usage:" in r.stdout, "--help")
print("ok")
