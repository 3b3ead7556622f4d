#!/bin/sh
# Installs the independent OTLP decoder the exporter tests check against: Python's
# opentelemetry-proto (the generated protobuf classes) and protobuf, into a venv kept
# outside the work tree (never committed). Prints the venv's python on stdout.
# Exit 0 when ready; 77 (skip) when a package cannot be had, 1 instead when CI=true, so
# CI never passes without the decoder.
set -u
OTLP_PROTO_VERSION=${OTLP_PROTO_VERSION:-1.45.2}
venv=${SPANLOG_PROTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/spanlog-peers/venv-proto}
py=$venv/bin/python3

fail() {
  echo "setup.sh: $1" >&2
  if [ "${CI:-}" = true ]; then exit 1; fi
  exit 77
}

ready() { "$py" -c 'import opentelemetry.proto.collector.trace.v1.trace_service_pb2, opentelemetry.proto.collector.logs.v1.logs_service_pb2' 2>/dev/null; }

if [ -x "$py" ] && ready; then echo "$py"; exit 0; fi
command -v python3 >/dev/null 2>&1 || fail "python3 not found: the OTLP decoder tests cannot run"
mkdir -p "$(dirname "$venv")" || fail "cannot create $(dirname "$venv")"
# A lock, so that parallel tests do not install into the same venv at once.
lock=$venv.lock
i=0
until mkdir "$lock" 2>/dev/null; do
  i=$((i + 1))
  [ $i -gt 600 ] && fail "timed out waiting for $lock (remove it if no install is running)"
  sleep 1
  if [ -x "$py" ] && ready; then echo "$py"; exit 0; fi
done
trap 'rmdir "$lock" 2>/dev/null' EXIT INT TERM
if ! { [ -x "$py" ] || python3 -m venv "$venv" >&2; }; then
  fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
fi
"$py" -m pip install --quiet --disable-pip-version-check "opentelemetry-proto==$OTLP_PROTO_VERSION" protobuf >&2 ||
  fail "pip could not install opentelemetry-proto==$OTLP_PROTO_VERSION and protobuf"
ready || fail "opentelemetry-proto installed but does not import"
echo "$py"
