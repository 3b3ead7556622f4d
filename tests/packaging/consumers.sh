#!/usr/bin/env bash
# Builds tiny programs against spanlog the three ways a project takes it, runs each, and
# reads back the JSON line it logs (event, level, how it was built, sl_version()).
#
#   consumers.sh SRCROOT VERSION installed    meson install into a temporary prefix, then
#                                             a C program with pkg-config alone (shared and
#                                             -static) and a CMake project (find_package)
#   consumers.sh SRCROOT VERSION subproject   a meson project with subprojects/spanlog
#
# CC names the C compiler. Without cmake the CMake consumer is skipped (exit 77 once the
# rest has passed), except under CI=true, where it fails.
set -euo pipefail

src=$(cd "$1" && pwd)
version=$2
mode=$3
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Keep the user's spanlog settings out of the consumers' output.
for v in $(env | sed -n 's/^\(SPANLOG_[A-Z_]*\|OTEL_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

# expect_line VIA PROGRAM...: runs the program; its stdout must be one JSON record of the
# consumer's event, built VIA, with the library's version.
expect_line() {
  local via=$1
  shift
  local out
  out=$("$@") || fail "$* exited with $?"
  python3 - "$via" "$version" "$out" <<'EOF' || fail "$* printed: $out"
import json, sys
via, version, out = sys.argv[1:]
lines = out.splitlines()
assert len(lines) == 1, 'expected one line, got %d' % len(lines)
rec = json.loads(lines[0])
assert rec['event'] == 'consumer.started', rec
assert rec['level'] == 'info', rec
assert rec['via'] == via, rec
assert rec['version'] == version, rec
assert rec['timestamp'].endswith('Z'), rec
if via.endswith('jansson'):
    assert rec['detail'] == {'answer': 42}, rec
EOF
  echo "ok: $via: $out"
}

install_tree() {
  local prefix=$tmp/prefix
  # The library alone, as a user's build makes it (jansson found where it is installed).
  meson setup "$tmp/build" "$src" --prefix="$prefix" -Dbuildtype=release \
    -Dtests=false -Dexamples=false -Dbench=false -Dtools=false >"$tmp/setup.log" 2>&1 ||
    { cat "$tmp/setup.log" >&2; fail "meson setup"; }
  meson compile -C "$tmp/build" spanlog:shared_library spanlog:static_library >"$tmp/compile.log" 2>&1 ||
    { cat "$tmp/compile.log" >&2; fail "meson compile"; }
  meson install -C "$tmp/build" --no-rebuild >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; fail "meson install"; }
  [ -f "$prefix/share/man/man7/spanlog.7" ] || fail "the man page is not installed"
  [ -f "$prefix/include/spanlog/version.h" ] || fail "the headers are not installed"
  # libdir as this machine lays it out (lib, lib64, lib/<multiarch>)
  libdir=$(dirname "$(dirname "$(find "$prefix" -name spanlog.pc)")")
  [ -f "$libdir/cmake/spanlog/spanlogConfig.cmake" ] || fail "no CMake package in $libdir/cmake/spanlog"
  echo "ok: installed into a temporary prefix"
}

# pkg-config with nothing but spanlog's .pc directory: a build with jansson found must not
# need jansson.pc, and the program needs no -ljansson.
pkgconfig_consumer() {
  local pcdir=$libdir/pkgconfig jansson_flags=""
  # jansson as the system has it, for the program that passes a json_t value
  jansson_flags=$(pkg-config --cflags --libs jansson 2>/dev/null) || jansson_flags=""
  export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_LIBDIR=$pcdir
  unset PKG_CONFIG_SYSROOT_DIR
  local flags static_flags
  flags=$(pkg-config --cflags --libs spanlog) || fail "pkg-config --cflags --libs spanlog"
  static_flags=$(pkg-config --static --cflags --libs spanlog) || fail "pkg-config --static spanlog"
  case " $flags $static_flags " in *jansson*) fail "pkg-config asks for jansson: $flags / $static_flags" ;; esac
  case " $static_flags " in *" -Wl,-u,sl_flush "*) ;; *) fail "--static lacks -Wl,-u,sl_flush: $static_flags" ;; esac
  [ "$(pkg-config --modversion spanlog)" = "$version" ] || fail "pkg-config --modversion"

  # shellcheck disable=SC2086 # the flags are words
  "$cc" -std=c11 -DCONSUMER_VIA='"pkg-config"' "$here/consumer/app.c" $flags -o "$tmp/app_pc" ||
    fail "compiling with pkg-config's flags"
  if readelf -d "$tmp/app_pc" "$libdir/libspanlog.so" | grep -q 'NEEDED.*jansson'; then
    fail "the program or the library needs libjansson"
  fi
  expect_line pkg-config env LD_LIBRARY_PATH="$libdir" "$tmp/app_pc"

  # A program that passes json_t values links jansson itself, and the library's weak
  # reference finds it.
  if [ -n "$jansson_flags" ]; then
    # shellcheck disable=SC2086
    "$cc" -std=c11 -DCONSUMER_JANSSON -DCONSUMER_VIA='"pkg-config-jansson"' "$here/consumer/app.c" \
      $flags $jansson_flags -o "$tmp/app_pc_jansson" || fail "compiling with jansson"
    expect_line pkg-config-jansson env LD_LIBRARY_PATH="$libdir" "$tmp/app_pc_jansson"
  else
    echo "SKIP: jansson is not installed: no json_t consumer"
  fi

  # shellcheck disable=SC2086
  "$cc" -std=c11 -static -DCONSUMER_VIA='"pkg-config-static"' "$here/consumer/app.c" $static_flags \
    -o "$tmp/app_pc_static" || fail "compiling -static with pkg-config --static's flags"
  expect_line pkg-config-static "$tmp/app_pc_static"
  unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR
}

cmake_consumer() {
  if ! command -v cmake >/dev/null; then
    [ "${CI:-}" = true ] && fail "cmake is not installed (needed for the CMake consumer in CI)"
    echo "SKIP: cmake is not installed: the CMake consumer is not tried"
    skipped=1
    return
  fi
  local b=$tmp/cmake
  cmake -S "$here/consumer" -B "$b" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
    >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; fail "cmake configure"; }
  cmake --build "$b" >>"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; fail "cmake --build"; }
  expect_line cmake "$b/app"
  expect_line cmake-static "$b/app_static"
  # The version file: 0.x is met by 0.x only; a newer request is refused.
  local newer
  newer=$(echo "$version" | awk -F. '{print $1 "." $2 + 1}')
  if cmake -S "$here/consumer" -B "$tmp/cmake-newer" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
    -DCMAKE_C_COMPILER="$cc" -DSPANLOG_ASK_VERSION="$newer" >"$tmp/cmake-newer.log" 2>&1; then
    fail "find_package(spanlog $newer) accepted version $version"
  fi
  grep -q "$version" "$tmp/cmake-newer.log" || fail "the refusal does not name version $version"
  echo "ok: find_package(spanlog $newer) refused"
}

subproject_consumer() {
  local p=$tmp/consumer
  mkdir -p "$p/subprojects"
  cp "$here/consumer/meson.build" "$here/consumer/app.c" "$p/"
  ln -s "$src" "$p/subprojects/spanlog"
  # --force-fallback-for: the subproject even where an installed spanlog could be found.
  CC=$cc meson setup "$p/build" "$p" --force-fallback-for=spanlog >"$tmp/setup.log" 2>&1 ||
    { cat "$tmp/setup.log" >&2; fail "meson setup of the consumer"; }
  meson compile -C "$p/build" >"$tmp/compile.log" 2>&1 ||
    { cat "$tmp/compile.log" >&2; fail "meson compile of the consumer"; }
  expect_line meson-subproject "$p/build/app"
  # As a subproject spanlog builds its library only.
  if meson introspect --targets "$p/build" | python3 -c '
import json, sys
names = [t["name"] for t in json.load(sys.stdin)]
extras = [n for n in names if n not in ("app", "spanlog")]
print(extras)
sys.exit(1 if extras else 0)'; then
    echo "ok: the subproject builds the library only"
  else
    fail "the subproject builds more than its library"
  fi
  # Linked statically: the dependency brings the lifecycle's anchor along.
  meson configure "$p/build" -Dspanlog:default_library=static >/dev/null ||
    fail "meson configure -Dspanlog:default_library=static"
  meson compile -C "$p/build" >"$tmp/compile.log" 2>&1 ||
    { cat "$tmp/compile.log" >&2; fail "meson compile of the consumer, static"; }
  if readelf -d "$p/build/app" | grep -q 'NEEDED.*libspanlog'; then
    fail "with default_library=static the program still needs libspanlog.so"
  fi
  expect_line meson-subproject "$p/build/app"
}

case $mode in
installed)
  install_tree
  pkgconfig_consumer
  cmake_consumer
  [ -z "${skipped:-}" ] || exit 77 # the rest passed; meson test reports a skip
  ;;
subproject)
  subproject_consumer
  ;;
*)
  echo "usage: $0 SRCROOT VERSION installed|subproject" >&2
  exit 2
  ;;
esac
