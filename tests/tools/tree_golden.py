"""The tree of the hand-written fixture (agent root, two chats, tools one in error, records
under spans, an orphan span, a record of a missing span, one OTLP/JSON trace) matches the
golden text, with and without a pricing table."""
import os
import pty
import subprocess
import sys

from treetool import check, fixture, run

tool = sys.argv[1]
for args, golden in ((["fixture.jsonl"], "fixture.tree"),
                     (["--pricing", fixture("pricing.json"), "fixture.jsonl"], "fixture-priced.tree")):
    args = [fixture(a) if a.endswith(".jsonl") else a for a in args]
    r = run(tool, *args)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}")
    check(r.stderr == b"", f"unexpected stderr {r.stderr!r}")
    want = open(fixture(golden), "rb").read()
    if r.stdout != want:
        sys.stdout.write("got:\n" + r.stdout.decode() + "\nwanted:\n" + want.decode())
        sys.exit(1)
# colour codes only on a terminal: piped output above had none
check(b"\x1b[" not in r.stdout, "colour codes in piped output")
print("ok")

# On a terminal the tree is coloured (the span in error in red), unless NO_COLOR is set.

def on_terminal(env_extra):
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(env_extra)
    p = subprocess.Popen([tool, fixture("fixture.jsonl")], stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=30)
    os.close(master)
    return out


coloured = on_terminal({})
check(b"\x1b[31m" in coloured, "no red on a terminal")
plain = on_terminal({"NO_COLOR": "1"})
check(b"\x1b[" not in plain, "colour on a terminal with NO_COLOR set")
check(b"execute_tool fetch_doc" in plain, "the terminal output is the tree")
print("ok (terminal)")
