#!/usr/bin/env python3
"""Checks that spanlog(7) describes every environment variable the library reads.

Usage: check_manpage_env.py MANPAGE SRCROOT ENV_READS

The variables read are found two ways, and the check takes both:
- in the sources under SRCROOT (src/, exporters/, formatters/): every string literal that is
  a whole SPANLOG_* or OTEL_* name, and every literal passed to getenv();
- by running ENV_READS (env_reads.c), which replaces getenv and prints each name asked for,
  with the exporters on: names put together at run time (OTEL_BSP_SCHEDULE_DELAY, the
  per-signal OTEL_EXPORTER_OTLP_TRACES_*) appear only there.
A variable counts as described when it is named in the tag line of an item (.TP) of the
man page's ENVIRONMENT section. Prints the missing names and exits 1 if there is any."""

import os
import re
import subprocess
import sys
import tempfile

NAME = re.compile(r'(?:SPANLOG|OTEL)_[A-Z0-9_]*[A-Z0-9]')
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
GETENV = re.compile(r'\bgetenv\s*\(\s*"([^"]+)"')
TOKEN = re.compile(r'[A-Z][A-Z0-9_]*[A-Z0-9]')
SOURCE_DIRS = ('src', 'exporters', 'formatters')


def names_in_sources(root):
    names = set()
    for top in SOURCE_DIRS:
        for folder, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if not f.endswith(('.c', '.h')):
                    continue
                with open(os.path.join(folder, f), encoding='utf-8', errors='replace') as src:
                    text = src.read()
                names.update(s for s in LITERAL.findall(text) if NAME.fullmatch(s))
                names.update(GETENV.findall(text))
    return names


def names_read_at_run_time(program):
    env = {k: v for k, v in os.environ.items() if not NAME.match(k)}
    with tempfile.TemporaryDirectory() as tmp:
        env.update({
            'OTEL_TRACES_EXPORTER': 'otlp,otlp_file',
            'OTEL_LOGS_EXPORTER': 'otlp',
            # refused (only http://), so no exporter sends anything
            'OTEL_EXPORTER_OTLP_ENDPOINT': 'https://127.0.0.1:9',
            'SPANLOG_OTLP_FILE': os.path.join(tmp, 'otlp.jsonl'),
            'SPANLOG_OUTPUT': os.path.join(tmp, 'out.jsonl'),
            'SPANLOG_REPLAY_DIR': os.path.join(tmp, 'replay'),
            'SPANLOG_CAPTURE_CONTENT': '1',
        })
        run = subprocess.run([program], env=env, capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        sys.exit('%s exited with %d:\n%s' % (program, run.returncode, run.stderr))
    return {line.split(' ', 1)[1] for line in run.stderr.splitlines()
            if line.startswith('getenv ')}


def names_in_man_page(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    documented, in_env = set(), False
    for i, line in enumerate(lines):
        if line.startswith('.SH '):
            in_env = line.split(None, 1)[1].strip() == 'ENVIRONMENT'
        elif in_env and line.startswith('.TP') and i + 1 < len(lines):
            documented.update(TOKEN.findall(lines[i + 1]))
    return documented


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    man, root, program = argv[1:]
    static = names_in_sources(root)
    dynamic = {n for n in names_read_at_run_time(program) if NAME.fullmatch(n)}
    # The run must have seen the library's reads, or it proves nothing.
    for expected in ('SPANLOG_LEVEL', 'OTEL_SERVICE_NAME', 'OTEL_BSP_SCHEDULE_DELAY',
                     'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'):
        if expected not in dynamic:
            sys.exit('%s did not read %s: the getenv stand-in saw nothing' % (program, expected))
    documented = names_in_man_page(man)
    missing = sorted((static | dynamic) - documented)
    for name in missing:
        print('%s: %s is read by the library but not described under ENVIRONMENT' % (man, name))
    print('%d variables read, %d described, %d missing'
          % (len(static | dynamic), len(documented), len(missing)))
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
