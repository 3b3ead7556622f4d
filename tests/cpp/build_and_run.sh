#!/bin/sh
# Usage: build_and_run.sh OUT COMPILER [ARGS...]
# Builds OUT with COMPILER ARGS (sources and libraries among them), then runs it: a test
# built by a compiler other than the project's own (clang++ beside g++).
out=$1
shift
"$@" -o "$out" || { echo "FAIL: $1 could not build $out"; exit 1; }
exec "$out"
