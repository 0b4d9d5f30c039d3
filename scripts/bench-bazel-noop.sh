#!/usr/bin/env bash
# No-op BazelBuild stage vs bare Bazel on the bundled miniature workspace (nothing changed between runs).
# Prints the median of N runs (default 5) for:
#   stage      dotnet ServingBuild.Cli.dll BazelBuild            (version check, sizing, streaming, log)
#   bare-same  bazel build <the exact arguments the stage used>  (same flags, so same analysis cache)
#   bare       bazel build tensorflow_serving/model_servers:tensorflow_model_server
# and the stage's overhead over bare-same. Each series gets one untimed warm-up run first.
# Usage: scripts/bench-bazel-noop.sh [runs]   (build the CLI first: ./build.sh or dotnet build -c release)
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cli="$root/artifacts/dotnet/bin/ServingBuild.Cli/release/ServingBuild.Cli.dll"
workspace="$root/tests/serving-mini"
target=tensorflow_serving/model_servers:tensorflow_model_server
[[ -f $cli ]] || { echo "error: $cli missing; run: dotnet build src/ServingBuild.Cli -c release" >&2; exit 2; }

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

time_series() { # name, command...
    local name=$1; shift
    "$@" >/dev/null 2>&1 || { echo "error: warm-up of '$name' failed: $*" >&2; exit 1; }
    local times=()
    for ((i = 0; i < runs; i++)); do
        local t0; t0=$(now)
        "$@" >/dev/null 2>&1
        times+=("$(echo "$(now) - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | median
}

stage() { (cd "$root" && dotnet "$cli" BazelBuild); }
stage_ms=$(time_series stage stage)

# The exact command the stage ran, from the first line of its Bazel log ("$ /usr/bin/bazel build ...").
read -r -a same < <(head -1 "$root/artifacts/logs/bazel-build.log" | sed 's/^\$ //')
bare_same() { (cd "$workspace" && "${same[@]}"); }
bare_same_s=$(time_series bare-same bare_same)

bare() { (cd "$workspace" && bazel build "$target"); }
bare_s=$(time_series bare bare)

printf 'runs: %s (medians, seconds)\n' "$runs"
printf 'stage (no-op BazelBuild):          %s\n' "$stage_ms"
printf 'bare bazel, same arguments:        %s\n' "$bare_same_s"
printf 'bare bazel build %s: %s\n' "$target" "$bare_s"
printf 'stage overhead over bare-same:     %s\n' "$(echo "$stage_ms - $bare_same_s" | bc)"
