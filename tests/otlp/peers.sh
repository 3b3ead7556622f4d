#!/usr/bin/env bash
# peers.sh: builds, starts and stops the real OTLP peers of spanlog's tests.
#
#   peers.sh build [otelcol|jaeger|phoenix|decoder|gosdk|pyotel|all]...
#   peers.sh start NAME DIR [-- ARGS]   NAME: otelcol jaeger phoenix fake
#                                       (ARGS go to fake_receiver.py)
#   peers.sh stop DIR                   stops every peer started in DIR
#   peers.sh path NAME                  prints a built peer's program (or venv)
#
# Builds are cached outside the repository, in
# ${SPANLOG_PEERS_CACHE:-$HOME/.cache/spanlog-peers}, under a key made of the
# inputs (go.mod, go.sum and sources; the pinned versions; the toolchain), so a
# second build, or one from a fresh clone, takes seconds.
# `start` binds 127.0.0.1 on free ports, waits (bounded) until the peer answers
# and writes DIR/NAME.env (shell assignments, see README.md). Every process is
# started in a process group of its own, whose id is kept in DIR/NAME.pid.
# SPANLOG_PEERS_OWNER=PID: the peers also stop when process PID is gone.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${SPANLOG_PEERS_CACHE:-$HOME/.cache/spanlog-peers}
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
PY=${SPANLOG_PEERS_PYTHON:-python3}

PHOENIX_VERSION=20.26.1
PYOTEL_VERSION=1.45.2   # opentelemetry-proto / -sdk / -exporter-otlp-proto-http
START_TIMEOUT=${SPANLOG_PEERS_START_TIMEOUT:-}

say() { printf 'peers.sh: %s\n' "$*" >&2; }
die() { printf 'peers.sh: ERROR: %s\n' "$*" >&2; exit 1; }

hash_of() { # hash_of WORDS-AND-FILES...: a short key of file contents and words
  local x
  for x in "$@"; do
    if [ -f "$x" ]; then printf 'file %s\n' "$(basename "$x")"; cat "$x"; else printf 'word %s\n' "$x"; fi
  done | sha256sum | cut -c1-16
}

go_version() { go env GOVERSION 2>/dev/null || go version | awk '{print $3}'; }

need_go() {
  command -v go >/dev/null || die "go is not installed (tests/otlp/setup.sh installs what is missing)"
  local v; v=$(go_version); v=${v#go}
  local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  major=${major%%[!0-9]*}; minor=${minor%%[!0-9]*}
  if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 26 ]; }; then
    die "go $v is too old: the pinned Collector and Go SDK modules need go >= 1.26 (GOTOOLCHAIN=local)"
  fi
}

# ---- build -------------------------------------------------------------------

go_key() { # go_key DIR: key of a Go peer's inputs
  local d=$1
  # shellcheck disable=SC2046
  hash_of "$(go_version)" "$(go env GOOS)/$(go env GOARCH)" $(ls "$d"/go.mod "$d"/go.sum "$d"/*.go 2>/dev/null)
}

go_peer_bin() { # go_peer_bin NAME: where the cached binary is (built or not)
  local name=$1
  printf '%s/%s/%s/%s\n' "$CACHE" "$name" "$(go_key "$HERE/$name")" "$name"
}

build_go() { # build_go NAME PACKAGE
  local name=$1 pkg=$2 bin dir tmp t0
  need_go
  bin=$(go_peer_bin "$name")
  if [ -x "$bin" ]; then say "$name: cached $bin"; return 0; fi
  dir=$(dirname "$bin")
  mkdir -p "$dir"
  tmp=$(mktemp "$dir/.build.XXXXXX")
  t0=$(date +%s)
  say "$name: building $pkg (go $(go_version)); this is a one-time cost"
  if ! (cd "$HERE/$name" && go build -trimpath -ldflags='-s -w' -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    die "$name: go build failed"
  fi
  mv -f "$tmp" "$bin"
  say "$name: built in $(( $(date +%s) - t0 )) s -> $bin"
}

venv_build() { # venv_build NAME KEY PIP-ARGS...: a cached venv at $CACHE/NAME/KEY/venv
  local name=$1 key=$2; shift 2
  local dir="$CACHE/$name/$key" t0
  if [ -f "$dir/venv/.complete" ]; then say "$name: cached $dir/venv"; return 0; fi
  command -v "$PY" >/dev/null || die "$name: $PY not found"
  rm -rf "$dir"; mkdir -p "$dir"
  t0=$(date +%s)
  say "$name: installing $* into a venv; this is a one-time cost"
  if ! "$PY" -m venv "$dir/venv"; then
    rm -rf "$dir"; die "$name: python3 -m venv failed (Debian: apt-get install python3-venv)"
  fi
  if ! "$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"; then
    rm -rf "$dir"; die "$name: pip install $* failed"
  fi
  touch "$dir/venv/.complete"
  say "$name: installed in $(( $(date +%s) - t0 )) s -> $dir/venv"
}

py_tag() { "$PY" -c 'import sys; print("py%d.%d" % sys.version_info[:2])'; }
phoenix_venv() { printf '%s/phoenix/%s/venv\n' "$CACHE" "$(hash_of "arize-phoenix==$PHOENIX_VERSION" "$(py_tag)")"; }
pyotel_venv() { printf '%s/pyotel/%s/venv\n' "$CACHE" "$(hash_of "opentelemetry==$PYOTEL_VERSION" "$(py_tag)")"; }

build_phoenix() {
  venv_build phoenix "$(hash_of "arize-phoenix==$PHOENIX_VERSION" "$(py_tag)")" "arize-phoenix==$PHOENIX_VERSION"
}
build_pyotel() {
  venv_build pyotel "$(hash_of "opentelemetry==$PYOTEL_VERSION" "$(py_tag)")" \
    "opentelemetry-proto==$PYOTEL_VERSION" "opentelemetry-sdk==$PYOTEL_VERSION" \
    "opentelemetry-exporter-otlp-proto-http==$PYOTEL_VERSION"
}

decoder_dir() { # the key must match loadRoot() in decoder/decode.js
  printf '%s/decoder/%s\n' "$CACHE" \
    "$(cat "$HERE/decoder/package.json" "$HERE/decoder/package-lock.json" | sha256sum | cut -c1-16)"
}

build_decoder() {
  local dir t0
  command -v node >/dev/null || die "decoder: node is not installed"
  command -v npm >/dev/null || die "decoder: npm is not installed"
  dir=$(decoder_dir)
  if [ -f "$dir/.complete" ]; then say "decoder: cached $dir"; return 0; fi
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$HERE/decoder/package.json" "$HERE/decoder/package-lock.json" "$dir/"
  t0=$(date +%s)
  say "decoder: npm ci (pinned @opentelemetry/otlp-transformer)"
  if ! (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=error >&2); then
    rm -rf "$dir"; die "decoder: npm ci failed"
  fi
  touch "$dir/.complete"
  say "decoder: installed in $(( $(date +%s) - t0 )) s -> $dir/node_modules"
}

build_one() {
  local t0; t0=$(date +%s)
  case $1 in otelcol|gosdk|jaeger|phoenix|pyotel|decoder) ;;
    *) die "unknown peer '$1' (otelcol jaeger phoenix decoder gosdk pyotel all)" ;; esac
  # one build of a peer at a time (two test runs may build at once)
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock-$1"
  if command -v flock >/dev/null; then flock 9; fi
  case $1 in
    otelcol) build_go otelcol . ;;
    gosdk) build_go gosdk . ;;
    jaeger) build_go jaeger github.com/jaegertracing/jaeger/cmd/jaeger ;;
    phoenix) build_phoenix ;;
    pyotel) build_pyotel ;;
    decoder) build_decoder ;;
    *) die "unknown peer '$1' (otelcol jaeger phoenix decoder gosdk pyotel all)" ;;
  esac
  exec 9>&-
  printf 'peers.sh: build %-8s %4d s\n' "$1" "$(( $(date +%s) - t0 ))" >&2
}

cmd_build() {
  [ $# -gt 0 ] || set -- all
  local arg p
  for arg in "$@"; do
    if [ "$arg" = all ]; then
      for p in decoder pyotel gosdk otelcol phoenix jaeger; do build_one "$p"; done
    else
      build_one "$arg"
    fi
  done
}

cmd_path() {
  case ${1:-} in
    otelcol|jaeger|gosdk) need_go; local b; b=$(go_peer_bin "$1"); [ -x "$b" ] || die "$1 is not built (peers.sh build $1)"; echo "$b" ;;
    phoenix) local v; v=$(phoenix_venv); [ -f "$v/.complete" ] || die "phoenix is not built"; echo "$v" ;;
    pyotel) local v; v=$(pyotel_venv); [ -f "$v/.complete" ] || die "pyotel is not built"; echo "$v" ;;
    decoder) local d; d=$(decoder_dir); [ -f "$d/.complete" ] || die "decoder is not built"; echo "$HERE/decoder/decode.js" ;;
    *) die "usage: peers.sh path otelcol|jaeger|gosdk|phoenix|pyotel|decoder" ;;
  esac
}

# ---- start -------------------------------------------------------------------

# Prints N distinct free TCP ports of 127.0.0.1, drawn at random below the
# kernel's ephemeral range (so an outgoing connection does not take one
# between this check and the peer's bind); start() retries if one is lost.
free_ports() {
  "$PY" - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
try:
    lo = int(open('/proc/sys/net/ipv4/ip_local_port_range').read().split()[0])
except Exception:
    lo = 32768
lo = max(lo, 12000)
got = []
for _ in range(1000):
    if len(got) == n:
        break
    p = random.randint(10000, lo - 1)
    if p in got:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(('127.0.0.1', p))
        got.append(p)
    except OSError:
        pass
    finally:
        s.close()
if len(got) < n:
    sys.exit('no free ports')
print(' '.join(map(str, got)))
EOF
}

alive() { kill -0 "$1" 2>/dev/null; }

# spawn DIR NAME CMD...: runs CMD in a new session (own process group), output
# to DIR/NAME.log, and records its pid in DIR/NAME.pid. Sets SPAWNED_PID.
spawn() {
  local dir=$1 name=$2; shift 2
  setsid "$@" </dev/null >"$dir/$name.log" 2>&1 &
  SPAWNED_PID=$!
  echo "$SPAWNED_PID" >"$dir/$name.pid"
  # With SPANLOG_PEERS_OWNER=PID (a test's own pid), a watchdog stops the peer
  # when that process is gone, even if it was killed with SIGKILL.
  if [ -n "${SPANLOG_PEERS_OWNER:-}" ]; then
    setsid bash -c '
      owner=$1 pg=$2
      while kill -0 "$owner" 2>/dev/null && kill -0 -- "-$pg" 2>/dev/null; do sleep 1; done
      if kill -0 -- "-$pg" 2>/dev/null; then
        kill -TERM -- "-$pg" 2>/dev/null
        for i in $(seq 1 20); do kill -0 -- "-$pg" 2>/dev/null || exit 0; sleep 0.5; done
        kill -KILL -- "-$pg" 2>/dev/null
      fi' peers-watchdog "$SPANLOG_PEERS_OWNER" "$SPAWNED_PID" </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/$name.watchdog.pid"
  fi
}

# wait_ready NAME PID SECONDS CHECK...: polls CHECK until it succeeds; fails if
# PID dies or time runs out.
wait_ready() {
  local name=$1 pid=$2 secs=$3; shift 3
  local end=$(( $(date +%s) + secs ))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! alive "$pid"; then say "$name exited before it was ready"; return 1; fi
    if [ "$(date +%s)" -ge "$end" ]; then say "$name not ready after ${secs} s"; return 1; fi
    sleep 0.2
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }
log_has() { grep -q -- "$2" "$1"; }

# kill_tree PID: TERM the process group PID leads and every descendant of PID,
# wait up to 10 s, then KILL what is left.
descendants() {
  local p c
  for p in "$@"; do
    for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do echo "$c"; descendants "$c"; done
  done
}
group_alive() { kill -0 -- "-$1" 2>/dev/null; }
kill_tree() {
  local pid=$1 pids p left
  alive "$pid" || group_alive "$pid" || return 0
  pids="$pid $(descendants "$pid" | tr '\n' ' ')"
  kill -TERM -- "-$pid" 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 100); do
    left=""
    for p in $pids; do alive "$p" && left="$left $p"; done
    if [ -z "$left" ] && ! group_alive "$pid"; then return 0; fi
    sleep 0.1
  done
  say "pid $pid did not stop on SIGTERM within 10 s; killing"
  kill -KILL -- "-$pid" 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
}

start_otelcol() { # DIR
  local dir=$1 bin port sub
  bin=$(go_peer_bin otelcol); [ -x "$bin" ] || die "otelcol is not built (peers.sh build otelcol)"
  port=$(free_ports 1)
  sub="$dir/otelcol"; rm -rf "$sub"; mkdir -p "$sub"; : >"$sub/traces.jsonl"; : >"$sub/logs.jsonl"; : >"$sub/out.jsonl"
  cat >"$sub/config.yaml" <<EOF
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$port
exporters:
  file/all:
    path: $sub/out.jsonl
    flush_interval: 100ms
  file/traces:
    path: $sub/traces.jsonl
    flush_interval: 100ms
  file/logs:
    path: $sub/logs.jsonl
    flush_interval: 100ms
  debug:
    verbosity: basic
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [file/all, file/traces, debug]
    logs:
      receivers: [otlp]
      exporters: [file/all, file/logs, debug]
EOF
  spawn "$dir" otelcol "$bin" --config "$sub/config.yaml"
  wait_ready otelcol "$SPAWNED_PID" "${START_TIMEOUT:-60}" log_has "$dir/otelcol.log" "Everything is ready" || return 1
  cat >"$dir/otelcol.env" <<EOF
OTELCOL_ENDPOINT=http://127.0.0.1:$port
OTELCOL_TRACES_URL=http://127.0.0.1:$port/v1/traces
OTELCOL_LOGS_URL=http://127.0.0.1:$port/v1/logs
OTELCOL_OUT=$sub/out.jsonl
OTELCOL_TRACES_OUT=$sub/traces.jsonl
OTELCOL_LOGS_OUT=$sub/logs.jsonl
OTELCOL_CONFIG=$sub/config.yaml
OTELCOL_LOG=$dir/otelcol.log
OTELCOL_PID=$SPAWNED_PID
EOF
}

start_jaeger() { # DIR
  local dir=$1 bin otlp query qgrpc health sub
  bin=$(go_peer_bin jaeger); [ -x "$bin" ] || die "jaeger is not built (peers.sh build jaeger)"
  read -r otlp query qgrpc health <<<"$(free_ports 4)"
  sub="$dir/jaeger"; rm -rf "$sub"; mkdir -p "$sub"
  cat >"$sub/config.yaml" <<EOF
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:$health
  jaeger_query:
    storage:
      traces: mem
    http:
      endpoint: 127.0.0.1:$query
    grpc:
      endpoint: 127.0.0.1:$qgrpc
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$otlp
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
EOF
  spawn "$dir" jaeger "$bin" --config "$sub/config.yaml"
  wait_ready jaeger "$SPAWNED_PID" "${START_TIMEOUT:-90}" http_ok "http://127.0.0.1:$query/api/services" || return 1
  wait_ready jaeger "$SPAWNED_PID" 30 log_has "$dir/jaeger.log" "Everything is ready" || return 1
  cat >"$dir/jaeger.env" <<EOF
JAEGER_ENDPOINT=http://127.0.0.1:$otlp
JAEGER_TRACES_URL=http://127.0.0.1:$otlp/v1/traces
JAEGER_QUERY_URL=http://127.0.0.1:$query
JAEGER_HEALTH_URL=http://127.0.0.1:$health/status
JAEGER_CONFIG=$sub/config.yaml
JAEGER_LOG=$dir/jaeger.log
JAEGER_PID=$SPAWNED_PID
EOF
}

start_phoenix() { # DIR
  local dir=$1 venv port grpc sub
  venv=$(phoenix_venv); [ -f "$venv/.complete" ] || die "phoenix is not built (peers.sh build phoenix)"
  read -r port grpc <<<"$(free_ports 2)"
  sub="$dir/phoenix"; rm -rf "$sub"; mkdir -p "$sub"
  spawn "$dir" phoenix env PHOENIX_WORKING_DIR="$sub" PHOENIX_HOST=127.0.0.1 PHOENIX_PORT="$port" \
    PHOENIX_GRPC_PORT="$grpc" PHOENIX_TELEMETRY_ENABLED=false DO_NOT_TRACK=1 \
    "$venv/bin/python" "$HERE/phoenix_serve.py" serve
  wait_ready phoenix "$SPAWNED_PID" "${START_TIMEOUT:-180}" http_ok "http://127.0.0.1:$port/v1/projects" || return 1
  cat >"$dir/phoenix.env" <<EOF
PHOENIX_URL=http://127.0.0.1:$port
PHOENIX_ENDPOINT=http://127.0.0.1:$port
PHOENIX_TRACES_URL=http://127.0.0.1:$port/v1/traces
PHOENIX_GRPC_PORT=$grpc
PHOENIX_WORKING_DIR=$sub
PHOENIX_LOG=$dir/phoenix.log
PHOENIX_PID=$SPAWNED_PID
EOF
}

start_fake() { # DIR ARGS...
  local dir=$1; shift
  local sub="$dir/fake" port
  rm -rf "$sub"; mkdir -p "$sub"
  spawn "$dir" fake "$PY" -u "$HERE/fake_receiver.py" --port 0 --out "$sub" "$@"
  # Its first stdout line is the port (stdout and stderr share fake.log); Python may take
  # a while to start on a loaded machine.
  for _ in $(seq 1 300); do
    port=$(grep -m1 -E '^[0-9]+$' "$dir/fake.log" 2>/dev/null || true)
    [ -n "$port" ] && break
    alive "$SPAWNED_PID" || break
    sleep 0.1
  done
  [ -n "${port:-}" ] || { say "fake receiver did not report its port"; return 1; }
  cat >"$dir/fake.env" <<EOF
FAKE_ENDPOINT=http://127.0.0.1:$port
FAKE_TRACES_URL=http://127.0.0.1:$port/v1/traces
FAKE_LOGS_URL=http://127.0.0.1:$port/v1/logs
FAKE_OUT=$sub
FAKE_LOG=$dir/fake.log
FAKE_PID=$SPAWNED_PID
EOF
}

cmd_start() {
  [ $# -ge 2 ] || die "usage: peers.sh start otelcol|jaeger|phoenix|fake DIR [-- ARGS]"
  local name=$1 dir=$2 try; shift 2
  [ "${1:-}" = "--" ] && shift
  case $name in otelcol|jaeger|phoenix|fake) ;; *) die "unknown peer to start: $name" ;; esac
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  # NAME.env holds unquoted assignments, readable by sh and by simple parsers.
  case $dir in *[!A-Za-z0-9_./+@:-]*) die "DIR must be a path without spaces or shell metacharacters: $dir" ;; esac
  if [ -f "$dir/$name.pid" ] && alive "$(cat "$dir/$name.pid")"; then
    die "$name is already running in $dir (pid $(cat "$dir/$name.pid"))"
  fi
  rm -f "$dir/$name.env"
  for try in 1 2 3; do
    if "start_$name" "$dir" "$@"; then
      say "$name started (pid $(cat "$dir/$name.pid")); see $dir/$name.env"
      return 0
    fi
    [ -f "$dir/$name.pid" ] && kill_tree "$(cat "$dir/$name.pid")"
    [ -f "$dir/$name.watchdog.pid" ] && kill_tree "$(cat "$dir/$name.watchdog.pid")"
    rm -f "$dir/$name.pid" "$dir/$name.watchdog.pid" "$dir/$name.env"
    say "$name: start attempt $try failed; last lines of $dir/$name.log:"
    tail -n 15 "$dir/$name.log" >&2 2>/dev/null || true
    # Only a lost port race is worth another try.
    grep -qiE 'address already in use|bind' "$dir/$name.log" 2>/dev/null || break
  done
  die "could not start $name"
}

cmd_stop() {
  [ $# -eq 1 ] || die "usage: peers.sh stop DIR"
  local dir=$1 f pid
  [ -d "$dir" ] || return 0
  # the peers first, then their watchdogs
  for f in "$dir"/*.pid; do
    case $f in *.watchdog.pid) continue ;; esac
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if [ -n "$pid" ] && { alive "$pid" || group_alive "$pid"; }; then
      kill_tree "$pid"
      say "stopped $(basename "$f" .pid) (pid $pid)"
    fi
    rm -f "$f"
  done
  for f in "$dir"/*.watchdog.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if [ -n "$pid" ] && { alive "$pid" || group_alive "$pid"; }; then
      kill_tree "$pid"
      say "stopped $(basename "$f" .pid) (pid $pid)"
    fi
    rm -f "$f"
  done
}

case ${1:-} in
  build) shift; cmd_build "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  path) shift; cmd_path "$@" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
