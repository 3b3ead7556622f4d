# Sourced by bench/run.sh and bench/redaction.sh (from the project root): builds
# bench_workload in build-bench (release) and gives $bin, a temporary folder $tmp removed
# at exit, and the helpers below.
dir=build-bench
[ -f "$dir/build.ninja" ] || meson setup "$dir" --buildtype=release -Dtests=false -Dexamples=false >/dev/null
meson compile -C "$dir" bench_workload >/dev/null
bin=$dir/bench/bench_workload
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median and range of a column of numbers
stats() { sort -g | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%s (%s-%s)", m, v[1], v[NR]}'; }
# the value of name=value in a result line
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
