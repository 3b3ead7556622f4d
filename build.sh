#!/usr/bin/env bash
# Builds spanlog, then runs the demo (./build.sh demo) or the test suite (./build.sh test).
# Extra arguments go to `meson setup` the first time a build directory is made;
# BUILDDIR picks the build directory (default: build).
set -eu
cd "$(dirname "$0")"
mode=${1:-demo}
[ $# -gt 0 ] && shift
builddir=${BUILDDIR:-build}

# Installs what the build needs when it is missing (Debian packages).
ensure_tools() {
  local missing=()
  command -v meson >/dev/null || missing+=(meson)
  command -v ninja >/dev/null || missing+=(ninja-build)
  command -v cc >/dev/null || missing+=(gcc)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing ${missing[*]}" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

ensure_tools
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" "$@" >/dev/null
meson compile -C "$builddir" >/dev/null

case $mode in
demo)
  # The agent: JSON lines to runs/agent.jsonl, tool I/O recordings to runs/replay/, and
  # on stderr a summary that says what to try next.
  "$builddir/examples/agent"
  ;;
test)
  # MESON_TEST_ARGS: more arguments for meson test (e.g. --no-suite peers)
  meson test -C "$builddir" --print-errorlogs ${MESON_TEST_ARGS:-} >&2 || true
  log="$builddir/meson-logs/testlog.json"
  passed=$(grep -c '"result": "OK"' "$log" || true)
  skipped=$(grep -Ec '"result": "(SKIP|EXPECTEDFAIL)"' "$log" || true)
  total=$(grep -c '"result": "' "$log" || true)
  failed=$((total - passed - skipped))
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  ;;
*)
  echo "usage: $0 demo|test [meson setup arguments]" >&2
  exit 2
  ;;
esac
