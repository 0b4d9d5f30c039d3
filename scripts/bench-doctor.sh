#!/usr/bin/env bash
# Benchmark, not a test: the warm whole-process time of `./build.sh --target=Doctor`, next to its parts
# (Cake alone listing the tasks, the entry point's option check, the Doctor task run directly).
# Prints the median of N runs (default 5) for each, in seconds.
#   scripts/bench-doctor.sh [N]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
cd "$root"

./build.sh --target=Doctor >/dev/null 2>&1 || true   # warm: tool restore, entry point build, Cake's script cache
cli="$root/artifacts/dotnet/bin/ServingBuild.Cli/release/ServingBuild.Cli.dll"

median() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')")
  done
  printf '%-44s median %.3f s   (runs: %s)\n' "$label" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')" "${times[*]}"
}

median "./build.sh --target=Doctor" ./build.sh --target=Doctor
median "./build.sh --description (Cake, no task)" ./build.sh --description
median "ServingBuild.Cli.dll prepare (the one parse)" dotnet "$cli" prepare "$root/artifacts/run/bench"
median "ServingBuild.Cli.dll Doctor" dotnet "$cli" Doctor
rm -rf "$root/artifacts/run/bench"
