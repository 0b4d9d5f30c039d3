#!/usr/bin/env bash
# Benchmark, not a test: the Stubs task with nothing changed (the stamp check), through the CLI the Cake task
# calls; prints the median wall time of N runs. Extra arguments go to the task (e.g. --protos-out=DIR).
#   scripts/bench-stubs.sh [--runs=9] [task options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=9
args=()
for arg in "$@"; do
  case "$arg" in
    --runs=*) runs=${arg#*=} ;;
    *) args+=("$arg") ;;
  esac
done
cli="$root/artifacts/dotnet/bin/ServingBuild.Cli/release/ServingBuild.Cli.dll"
[[ -f "$cli" ]] || dotnet build "$root/src/ServingBuild.Cli" -c Release --nologo -v q
dotnet "$cli" Stubs "${args[@]}" >/dev/null   # the first run may build; it is not measured
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  dotnet "$cli" Stubs "${args[@]}" >/dev/null
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
echo "Stubs with nothing changed: median ${median} ms over $runs runs (all: $(echo "$sorted" | tr '\n' ' '))"
