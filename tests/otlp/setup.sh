#!/usr/bin/env bash
# setup.sh: makes the OTLP peers of the tests ready on this machine, once
# before the tests: installs the Debian packages that are missing (needs root
# or sudo for that), then builds every peer into the cache (peers.sh build
# all) and prints how long each step took. A second run takes seconds.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T0=$(date +%s)
step() { printf 'otlp setup: %s\n' "$*"; }

missing=()
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v python3 >/dev/null || missing+=(python3)
command -v setsid >/dev/null || missing+=(util-linux)
command -v ps >/dev/null || missing+=(procps)
if command -v python3 >/dev/null && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi
command -v go >/dev/null || missing+=(golang-go)

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  step "installing Debian packages: ${missing[*]}"
  t=$(date +%s)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  step "apt-get: $(( $(date +%s) - t )) s"
fi

step "go $(go env GOVERSION), node $(node --version), $(python3 --version)"
step "cache: ${SPANLOG_PEERS_CACHE:-$HOME/.cache/spanlog-peers}"
# The npm and pip installs run beside the Go builds (those keep both cores busy;
# the installs mostly wait on the network and the disk).
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/spanlog-otlp-setup.XXXXXX")
trap 'rm -rf "$LOGDIR"' EXIT
timed() { # timed NAME: builds one peer, prints its time, keeps its output in LOGDIR
  local t rc=0
  t=$(date +%s)
  "$HERE/peers.sh" build "$1" >"$LOGDIR/$1.log" 2>&1 || rc=$?
  grep -E '^peers\.sh: ' "$LOGDIR/$1.log" | grep -v '^peers.sh: build ' || true
  if [ $rc -ne 0 ]; then
    step "$1 FAILED; its output:"; tail -n 30 "$LOGDIR/$1.log"
  fi
  step "$(printf '%-8s %4d s%s' "$1" "$(( $(date +%s) - t ))" "$([ $rc -eq 0 ] || echo '  FAILED')")"
  return $rc
}
( rc=0; for p in decoder pyotel phoenix; do timed "$p" || rc=1; done; exit $rc ) &
side=$!
rc=0
for p in gosdk otelcol jaeger; do timed "$p" || rc=1; done
wait "$side" || rc=1
step "total $(( $(date +%s) - T0 )) s"
if [ $rc -ne 0 ]; then
  step "some peers could not be built: their tests will be skipped, or fail with CI=true"
  exit 1
fi
