"""--pricing: cost computed from tokens when the input is read (per span, per trace, per
model), models missing from the table listed as unpriced, nothing priced without a table."""
import json
import os
import sys
import tempfile

from treetool import check, fixture, run

tool = sys.argv[1]
path = fixture("fixture.jsonl")


def costs(pricing_path):
    r = run(tool, "--json", "--pricing", pricing_path, path)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}")
    return {t["trace_id"]: t["cost_usd"] for t in map(json.loads, r.stdout.decode().splitlines())}


A, B = "4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"
c = costs(fixture("pricing.json"))
# A: claude-sonnet-4-5 800 in, 120 out at $3/$15 per Mtok; claude-haiku-4-5 is not in the table
check(abs(c[A] - (800 * 3.0 + 120 * 15.0) / 1e6) < 1e-12, f"trace A cost {c[A]}")
# B: gpt-4o (request model, from OTLP intValue strings) 500 in, 50 out at $2.5/$10
check(abs(c[B] - (500 * 2.5 + 50 * 10.0) / 1e6) < 1e-12, f"trace B cost {c[B]}")

with tempfile.TemporaryDirectory() as d:  # another table, other costs: nothing was baked in
    p = os.path.join(d, "p.json")
    with open(p, "w") as f:
        json.dump({"models": {"claude-sonnet-4-5": {"input_per_mtok": 6.0, "output_per_mtok": 30.0},
                              "claude-haiku-4-5": {"input_per_mtok": 1.0, "output_per_mtok": 5.0}}}, f)
    c2 = costs(p)
    check(abs(c2[A] - (800 * 6 + 120 * 30 + 1000 * 1 + 280 * 5) / 1e6) < 1e-12, f"repriced A {c2[A]}")
    check(c2[B] is None, f"B has no priced model in this table: {c2[B]}")

r = run(tool, "--json", path)
check(all(json.loads(l)["cost_usd"] is None for l in r.stdout.decode().splitlines()), "cost without a table")

r = run(tool, "--summary", "--pricing", fixture("pricing.json"), path)
lines = r.stdout.decode().splitlines()
check(len(lines) == 2, f"summary lines: {lines}")
check("cost $0.004200 (unpriced: claude-haiku-4-5)" in lines[0], f"summary A: {lines[0]}")
check("cost $0.001750" in lines[1] and "unpriced" not in lines[1], f"summary B: {lines[1]}")

r = run(tool, "--stats", "--pricing", fixture("pricing.json"), path)
rows = {l.split()[0]: l.split() for l in r.stdout.decode().splitlines() if l.strip()}
check(rows["claude-haiku-4-5"][1:] == ["1", "1000", "280", "unpriced"], f"haiku row {rows['claude-haiku-4-5']}")
check(rows["claude-sonnet-4-5"][1:] == ["1", "800", "120", "$0.004200"], f"sonnet row {rows['claude-sonnet-4-5']}")
check(rows["gpt-4o"][1:] == ["1", "500", "50", "$0.001750"], f"gpt-4o row {rows['gpt-4o']}")
check(rows["fetch_doc"][1:] == ["2", "1", "50.0%"], f"tool error rate {rows['fetch_doc']}")

bad = run(tool, "--pricing", fixture("fixture.jsonl"), path)
check(bad.returncode == 2 and b"--pricing" in bad.stderr, "a table that is not one is a usage error")
print("ok")
