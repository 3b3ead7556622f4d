#!/usr/bin/env bash
# spanlog side by side with the loggers its users would pick instead, on the workload
# record of bench/README.md. Usage, from anywhere:
#
#   bench/compare.sh [ROUNDS] [N]      default 5 rounds, N = 1,000,000 records per run
#   env SLOW_N=100000                  N of the slow peers (structlog, pino); default N
#   env ONLY='spanlog|zap'             only the peers whose label matches (extended regex)
#   ROUNDS = 0                         install and build only
#
# Builds spanlog's bench_workload (release, in build-bench as bench/run.sh does) and each
# peer of bench/peers/, installing what a peer needs when it is missing (apt-get for Debian
# packages, npm for pino); a peer that cannot be installed or built is skipped with a line
# saying so. Then runs every peer for 1 and 2 producer threads to a file and for 1 thread
# to /dev/null, interleaved (round 1 of every case, then round 2, ...), each run under
# /usr/bin/time -v and `flock /tmp/bench.lock` (no two timing runs of this machine's
# benchmarks overlap), checks every output file, and prints a table of medians (min-max)
# with each peer's ratio to spanlog. Raw results: build-bench/compare/results.tsv.
# Not part of the tests or CI.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-5}
n=${2:-1000000}
slow_n=${SLOW_N:-$n}
only=${ONLY:-.}
lock=${BENCH_LOCK:-/tmp/bench.lock}
peers=bench/peers
res=build-bench/compare
python=/usr/bin/python3 # Debian's python3, which sees Debian's python3-* packages
t_start=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$res"
log=$res/build.log
: >"$log"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
apt_updated=
# need_deb PKG...: installs the Debian packages that are missing; fails if that fails
need_deb() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}" >&2
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >>"$log" 2>&1 || return 1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1
}

# --- build: each peer's build function prints why it failed, if it does --------------
build_spanlog() {
  command -v meson >/dev/null && command -v ninja >/dev/null || need_deb meson ninja-build || { echo "meson/ninja cannot be installed"; return 1; }
  [ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release -Dtests=false -Dexamples=false >>"$log" 2>&1 || { echo "meson setup failed"; return 1; }
  meson compile -C build-bench bench_workload >>"$log" 2>&1 || { echo "build failed"; return 1; }
}
build_printf() {
  mkdir -p $peers/c/build
  gcc -O3 -DNDEBUG -Wall -Wextra -pthread -o $peers/c/build/printf_bench $peers/c/printf_bench.c 2>>"$log" || { echo "build failed"; return 1; }
}
build_spdlog() {
  need_deb libspdlog-dev libfmt-dev pkg-config || { echo "libspdlog-dev libfmt-dev cannot be installed"; return 1; }
  mkdir -p $peers/c/build
  # shellcheck disable=SC2046
  g++ -O3 -DNDEBUG -std=c++17 -Wall -pthread -o $peers/c/build/spdlog_bench $peers/c/spdlog_bench.cpp \
    $(pkg-config --cflags --libs spdlog fmt) 2>>"$log" || { echo "build failed"; return 1; }
}
build_structlog() {
  need_deb python3-structlog || { echo "python3-structlog cannot be installed"; return 1; }
  $python -c 'import structlog' 2>>"$log" || { echo "$python cannot import structlog"; return 1; }
}
build_pino() {
  command -v node >/dev/null && command -v npm >/dev/null || need_deb nodejs npm || { echo "node and npm cannot be installed"; return 1; }
  [ -d $peers/node/node_modules/pino ] && return 0
  (cd $peers/node && npm install --no-audit --no-fund --no-package-lock) >>"$log" 2>&1 || { echo "npm install pino failed"; return 1; }
}
build_go() { # zap and zerolog, offline in GOPATH mode against Debian's Go sources
  need_deb golang-go golang-go.uber-zap-dev golang-github-rs-zerolog-dev || { echo "golang-go, golang-go.uber-zap-dev, golang-github-rs-zerolog-dev cannot be installed"; return 1; }
  local b=$peers/go/build
  mkdir -p $b/gopath/src
  [ -L $b/gopath/src/peers ] || ln -s ../../.. $b/gopath/src/peers # import path peers/... = bench/peers/go
  (cd $peers/go && export GO111MODULE=off GOPATH="$PWD/build/gopath:/usr/share/gocode" GOFLAGS='' GOPROXY=off GOCACHE="$PWD/build/cache" &&
    go build -o build/zap peers/zap && go build -o build/zerolog peers/zerolog) >>"$log" 2>&1 || { echo "go build failed"; return 1; }
}
build_tracing() { # offline against Debian's crates (bench/peers/rust/.cargo/config.toml)
  command -v cargo >/dev/null || need_deb cargo || { echo "cargo cannot be installed"; return 1; }
  need_deb librust-tracing-dev librust-tracing-subscriber-dev librust-serde-json-dev || { echo "the librust-* crates of tracing cannot be installed"; return 1; }
  (cd $peers/rust && cargo build --release --offline -q) >>"$log" 2>&1 || { echo "cargo build failed"; return 1; }
}

# label | N | build function | command (the protocol of bench/peers/c/common.h)
table=(
  "spanlog|$n|build_spanlog|build-bench/bench/bench_workload"
  "printf|$n|build_printf|$peers/c/build/printf_bench"
  "spdlog-async|$n|build_spdlog|$peers/c/build/spdlog_bench -m async"
  "spdlog-sync|$n|build_spdlog|$peers/c/build/spdlog_bench -m sync"
  "structlog|$slow_n|build_structlog|$python $peers/python/bench_structlog.py"
  "pino|$slow_n|build_pino|node $peers/node/bench_pino.js"
  "zap|$n|build_go|$peers/go/build/zap"
  "zerolog|$n|build_go|$peers/go/build/zerolog"
  "tracing|$n|build_tracing|$peers/rust/target/release/tracing-peer"
)
for tool in gcc g++ jq /usr/bin/time; do
  command -v $tool >/dev/null && continue
  need_deb gcc g++ jq time || { echo "gcc, g++, jq and time are needed and cannot be installed" >&2; exit 1; }
done

echo "== build (log: $log)"
run=() # the peers that built: label|N|command
declare -A built=()
for row in "${table[@]}"; do
  IFS='|' read -r label pn fn cmd <<<"$row"
  grep -Eq -- "$only" <<<"$label" || continue
  if [ -z "${built[$fn]:-}" ]; then
    if why=$($fn); then built[$fn]=ok; else built[$fn]="${why:-failed}"; fi
  fi
  if [ "${built[$fn]}" = ok ]; then run+=("$label|$pn|$cmd"); else echo "SKIP $label: ${built[$fn]##*$'\n'}"; fi
done
echo "peers: $(for row in "${run[@]}"; do printf '%s ' "${row%%|*}"; done)"
{
  echo "machine: $(nproc) CPUs,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release), $(uname -r)"
  echo "compilers: $(gcc --version | head -1), -O3"
  for fn in build_spdlog build_structlog build_pino build_go build_tracing; do
    [ "${built[$fn]:-}" = ok ] || continue
    case $fn in
      build_spdlog) echo "spdlog $(dpkg-query -W -f '${Version}' libspdlog-dev)" ;;
      build_structlog) echo "structlog $($python -c 'import importlib.metadata as m; print(m.version("structlog"))'), $($python --version)" ;;
      build_pino) echo "pino $(node -p "require('./$peers/node/node_modules/pino/package.json').version"), node $(node --version)" ;;
      build_go) echo "zap $(dpkg-query -W -f '${Version}' golang-go.uber-zap-dev), zerolog $(dpkg-query -W -f '${Version}' golang-github-rs-zerolog-dev), $(go version | cut -d' ' -f3)" ;;
      build_tracing) echo "tracing: $(cd $peers/rust && cargo tree --offline --prefix none -e normal 2>/dev/null | grep -E '^(tracing|tracing-subscriber) v' | sort -u | tr '\n' ' ')rustc $(rustc --version | cut -d' ' -f2)" ;;
    esac
  done
} >"$res/versions.txt"
cat "$res/versions.txt"
[ "$rounds" -gt 0 ] || exit 0
[ ${#run[@]} -gt 0 ] || { echo "no peer to run" >&2; exit 1; }

# --- runs ------------------------------------------------------------------------------
results=$res/results.tsv
printf 'round\tpeer\tthreads\toutput\tn\tcall_ns\te2e_rps\trss_kb\tbytes\tcheck\n' >"$results"
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

# check FILE LABEL N THREADS ROUND LINE: line count, every line parses (jq) with its
# thread's user_id and trace_id; on round 1 also every field (check.py). Prints ok or why.
check() {
  local file=$1 label=$2 pn=$3 t=$4 round=$5 line=$6 k expect='' want spans=0
  [ "$label" = spanlog ] && spans=$t # plus the span open around each thread's loop
  for ((k = 0; k < t; k++)); do
    expect+="${expect:+,}$(field "user$k" <<<"$line"):$(field "trace$k" <<<"$line")"
  done
  # one line per (user_id, trace_id) with its count, e.g. "500000 u_1:8f3c..."
  jq -r 'if has("start_time") then "span" else "\(.user_id // .span.user_id):\(.trace_id // .span.trace_id)" end' \
    "$file" >"$tmp/ids" 2>"$tmp/jq.err" || { echo "FAIL: jq: $(head -c 120 "$tmp/jq.err")"; return; }
  awk '{c[$0]++} END {for (k in c) print c[k], k}' "$tmp/ids" | sort -k2 >"$tmp/tally"
  want=$( (tr ',' '\n' <<<"$expect" | sed "s/^/$((pn / t)) /"; [ "$spans" -gt 0 ] && echo "$spans span") | sort -k2)
  [ "$(cat "$tmp/tally")" = "$want" ] || { echo "FAIL: records per user:trace $(tr '\n' ' ' <"$tmp/tally"| head -c 200), want $(tr '\n' ' ' <<<"$want")"; return; }
  [ "$(wc -l <"$file")" -eq $((pn + spans)) ] || { echo "FAIL: $(wc -l <"$file") lines"; return; }
  if [ "$round" = 1 ]; then $python $peers/check.py "$file" "$pn" "$spans" "$expect" | head -c 300; else echo ok; fi
}

# one_run ROUND LABEL N THREADS OUTPUT(file|null) COMMAND...
one_run() {
  local round=$1 label=$2 pn=$3 t=$4 output=$5; shift 5
  local out=/dev/null line c=- bytes=-
  [ "$output" = file ] && out=$tmp/out.jsonl && rm -f "$out"
  if ! flock "$lock" /usr/bin/time -v -o "$tmp/time" "$@" -n "$pn" -t "$t" -o "$out" >"$tmp/stdout" 2>"$tmp/stderr"; then
    c="FAIL: exit status; $(tail -c 200 "$tmp/stderr" | tr '\n\t' '  ')"
  fi
  line=$(grep '^peer=' "$tmp/stdout" | tail -1)
  if [ "$output" = file ] && [ "$c" = - ]; then
    bytes=$(stat -c %s "$out")
    c=$({ flock 9 && check "$out" "$label" "$pn" "$t" "$round" "$line"; } 9>"$lock")
  fi
  local call rps rss
  call=$(field call_ns <<<"$line"); rps=$(field e2e_rps <<<"$line")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$label" "$t" "$output" "$pn" \
    "${call:--}" "${rps:--}" "${rss:--}" "$bytes" "$c" >>"$results"
  printf '  %-13s %s thread(s) %-4s call_ns=%-8s e2e_rps=%-8s rss_kB=%-7s %s\n' "$label" "$t" "$output" \
    "${call:--}" "${rps:--}" "${rss:--}" "$c"
}

cases=("1 file" "2 file" "1 null")
for ((round = 1; round <= rounds; round++)); do
  echo "== round $round of $rounds"
  for row in "${run[@]}"; do
    IFS='|' read -r label pn cmd <<<"$row"
    for c in "${cases[@]}"; do
      # shellcheck disable=SC2086
      one_run "$round" "$label" "$pn" $c $cmd
    done
  done
done

echo
$python $peers/table.py "$results" "$rounds"
echo
echo "total time: $(( ($(date +%s) - t_start) / 60 )) min $(( ($(date +%s) - t_start) % 60 )) s, $(date -u '+%Y-%m-%d %H:%M UTC')"
