#!/usr/bin/env bash
# Benchmarks of tierstack: plan wall time, allocations and resources per tier; build time and peak
# memory of the program against a floor (bench/floor: a trivial program importing the same AWS
# sub-packages) and of each component package on its own.
#
#   scripts/bench.sh            plan benchmarks, then warm builds (a one-file change) — minutes
#   scripts/bench.sh plan       plan benchmarks only — seconds
#   scripts/bench.sh warm       warm builds only
#   scripts/bench.sh cold       cold builds with an empty GOCACHE each — about 8 minutes and 4 GB
#                               a build on 2 cores; run it on a quiet machine
#
# Peak memory is GNU time's maximum resident set size: the largest single process of the build
# (usually the compiler of the biggest AWS package or the linker), not the sum of parallel ones.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-default}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

machine() {
  echo "== machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GB RAM, $(go version | cut -d' ' -f3-), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# timed LABEL CMD...: runs CMD, prints its wall time and peak memory.
timed() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > /dev/null
  read -r secs kb < "$tmp/time"
  printf '%-40s %8.2f s %8.0f MB\n' "$label" "$secs" "$((kb / 1024))"
}

plan_bench() {
  echo "== go test -bench (in process; ns/op, allocations, resources)"
  go test ./tests -run '^$' -bench 'BenchmarkPlanTier|BenchmarkAnalyze|BenchmarkPlanCommand' -benchtime 20x | grep -E '^Benchmark'
  echo "== tierstack plan, the built binary, best of 5 (wall time, peak memory)"
  go build -o "$tmp/tierstack" .
  for tier in 100 10k 100k 1m all; do
    best=""
    for _ in 1 2 3 4 5; do
      /usr/bin/time -f "%e %M" -o "$tmp/time" "$tmp/tierstack" plan --tier "$tier" --format json > /dev/null
      read -r secs kb < "$tmp/time"
      if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; bestkb=$kb; fi
    done
    printf 'plan --tier %-28s %8.2f s %8.0f MB\n' "$tier" "$best" "$((bestkb / 1024))"
  done
}

# touch_file FILE: a one-line change to FILE (a comment), undone on exit.
touch_file() {
  cp "$1" "$tmp/saved"
  trap 'cp "$tmp/saved" '"$1"'; rm -rf "$tmp"' EXIT
  printf "\n// benchMarker is a one-file change made by scripts/bench.sh.\nvar benchMarker = \"%s\"\n" "$RANDOM$RANDOM" >> "$1"
}

warm_builds() {
  echo "== warm builds (cache full; one file changed where said)"
  go build -o "$tmp/out" . && go build -o "$tmp/floor" ./bench/floor
  timed "tierstack, nothing changed" go build -o "$tmp/out" .
  timed "floor, nothing changed" go build -o "$tmp/floor" ./bench/floor
  touch_file tiers/program.go
  timed "tierstack, tiers/program.go changed" go build -o "$tmp/out" .
  cp "$tmp/saved" tiers/program.go
  touch_file synth/plan.go
  timed "tierstack, synth/plan.go changed" go build -o "$tmp/out" .
  cp "$tmp/saved" synth/plan.go
  for c in components/*/; do
    c=${c%/}
    f=$(ls "$c"/*.go | grep -v _test.go | head -1)
    touch_file "$f"
    timed "$c, $(basename "$f") changed" go build "./$c"
    cp "$tmp/saved" "$f"
  done
}

cold_builds() {
  echo "== cold builds (an empty GOCACHE each; modules already downloaded)"
  for target in ./bench/floor . ./components/network ./components/datatier ./components/cachetier ./components/webtier ./components/edge ./components/observability; do
    cache=$(mktemp -d)
    GOCACHE=$cache timed "cold $target" go build -o "$tmp/out" "$target"
    rm -rf "$cache"
  done
}

machine
case $what in
  plan) plan_bench ;;
  warm) warm_builds ;;
  cold) cold_builds ;;
  default) plan_bench; warm_builds ;;
  *) echo "usage: scripts/bench.sh [plan|warm|cold]" >&2; exit 2 ;;
esac
