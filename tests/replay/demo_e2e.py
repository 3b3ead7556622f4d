#!/usr/bin/env python3
"""The demo end to end: serve requests with examples/agent, find the trace whose answer is
wrong (the recorded search_docs result is about another quarter than asked), replay it by
trace id, and check that the answer is identical and the replayed tool spans carry
replay.matched; then check --replay-all, and that it reports an answer that changed.

Usage: demo_e2e.py AGENT_BINARY"""

import json
import os
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what, file=sys.stderr)


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def run(agent, *args):
    return subprocess.run([agent, *args], capture_output=True, text=True, timeout=120)


def wrong_answer_trace(replay_dir):
    """The recording whose search_docs result is for another quarter than its arguments."""
    for name in sorted(os.listdir(replay_dir)):
        rec = lines(os.path.join(replay_dir, name))
        for call in rec[1:]:
            asked, got = call['args'].get('quarter'), (call.get('result') or {}).get('quarter')
            if call['tool'] == 'search_docs' and asked and got and asked != got:
                return rec[0]['trace_id'], rec
    return None, None


def check_serve(agent, n):
    p = run(agent, '--requests', str(n), '--threads', '3')
    check(p.returncode == 0, f'agent exits 0 (got {p.returncode}: {p.stderr})')
    check('next:' in p.stderr and 'spanlog-tree' in p.stderr, 'the summary says what to try next')
    records = lines('runs/agent.jsonl')
    spans = [r for r in records if 'start_time' in r]
    ops = {s['attributes'].get('gen_ai.operation.name') for s in spans}
    check({'invoke_agent', 'chat', 'execute_tool'} <= ops, f'GenAI spans present: {ops}')
    check(len([s for s in spans if s['attributes'].get('gen_ai.operation.name') == 'invoke_agent']) == n,
          'one invoke_agent span per request')
    answers = [r for r in records if r.get('event') == 'agent.answer']
    check(len(answers) == n and all(r.get('user_id') for r in answers), 'every answer carries its bound user_id')
    check(all('trace_id' in r for r in records), 'every line carries a trace id')
    retried = [r for r in records if r.get('event') == 'tool.retry']
    check(len(retried) >= 1, 'a timed-out tool call is retried')
    files = os.listdir('runs/replay')
    check(len(files) == n, f'{n} recordings written (got {len(files)})')
    return records


def check_replay(agent, records):
    trace, rec = wrong_answer_trace('runs/replay')
    check(trace is not None, 'the wrong-answer trace is found in the recordings')
    if not trace:
        return None
    logged = [r['answer'] for r in records if r.get('event') == 'agent.answer' and r['trace_id'] == trace]
    check(logged and 'Q3' in logged[0] and logged[0] == json.loads(json.dumps(rec[0]['output'])),
          f'the logged answer is the confident wrong one: {logged}')
    p = run(agent, '--replay', trace)
    check(p.returncode == 0, f'--replay exits 0 (got {p.returncode}: {p.stderr})')
    out = p.stdout.splitlines()
    recorded = [l.split(': ', 1)[1] for l in out if l.startswith('recorded answer: ')]
    replayed = [l.split(': ', 1)[1] for l in out if l.startswith('replayed answer: ')]
    check(recorded and replayed and recorded[0] == replayed[0], f'answer identical: {recorded} {replayed}')
    check(replayed and json.loads(replayed[0]) == rec[0]['output'], 'the replayed answer is the recorded one')
    check('identical' in out, 'the replay says identical')
    check(any(l.startswith('trace ') for l in out), 'the span tree is printed')
    tools = [r for r in lines('runs/agent-replay.jsonl')
             if 'start_time' in r and r['attributes'].get('gen_ai.operation.name') == 'execute_tool']
    check(len(tools) == len(rec) - 1, 'one replayed execute_tool span per recorded call')
    check(all(t['attributes'].get('replay.matched') is True and t['attributes'].get('replay.match') == 'call_id'
              for t in tools), 'replayed tool spans carry replay.matched=true, replay.match=call_id')
    return trace


def check_replay_all(agent, trace, n):
    p = run(agent, '--replay-all', 'runs/replay')
    check(p.returncode == 0, f'--replay-all of unchanged recordings exits 0 ({p.stdout})')
    check(f'{n} recordings replayed: 0 answers changed' in p.stdout, f'nothing changed: {p.stdout}')
    # A recording whose tool result differs gives another answer: reported as changed.
    path = os.path.join('runs/replay', trace + '.jsonl')
    with open(path) as f:
        text = f.read()
    with open(path, 'w') as f:
        f.write(text.replace('"total_usd":"12,400.00"', '"total_usd":"9,900.00"'))
    p = run(agent, '--replay-all', 'runs/replay')
    check(p.returncode == 1, 'a changed answer makes --replay-all exit 1')
    changed = [l for l in p.stdout.splitlines() if l.startswith('CHANGED')]
    check(len(changed) == 1 and trace in changed[0] and '9,900.00' in changed[0], f'the changed one named: {changed}')


def check_errors(agent):
    p = run(agent, '--replay', 'ffffffffffffffffffffffffffffffff')
    check(p.returncode == 1 and 'no such recording' in p.stderr, f'a missing recording is said clearly: {p.stderr}')


def main():
    agent = os.path.abspath(sys.argv[1])
    n = 8
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        env_keep = {k: v for k, v in os.environ.items() if not k.startswith('SPANLOG_REPLAY')}
        os.environ.clear()
        os.environ.update(env_keep)
        records = check_serve(agent, n)
        trace = check_replay(agent, records)
        if trace:
            check_replay_all(agent, trace, n)
        check_errors(agent)
    if failures:
        sys.exit(f'{len(failures)} checks failed')
    print('demo end to end: all checks passed')


main()
