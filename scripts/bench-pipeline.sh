#!/usr/bin/env bash
# Benchmark, not a test: the wall time of a CI template's pipeline simulated on this machine (each job in a fresh
# clone of HEAD with only its declared artifacts, as tests/ServingBuild.Tests/Ci/PipelineTemplateTests.cs runs it)
# against one warm ./build.sh (the Default task in this checkout). Prints the median of N runs of each, in seconds.
#   scripts/bench-pipeline.sh [github|gitlab] [N]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
flavor=${1:-github}
runs=${2:-1}
cd "$root"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

./build.sh >/dev/null 2>&1 || { echo "error: ./build.sh failed; run it once by hand to see why" >&2; exit 1; }
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  ./build.sh >/dev/null 2>&1
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done | median | awk '{printf "./build.sh (Default, warm):        %.1f s\n", $1 / 1000}'

dotnet build tests/ServingBuild.Tests --nologo -v q >/dev/null
for _ in $(seq "$runs"); do
  dotnet test tests/ServingBuild.Tests --no-build --logger "console;verbosity=detailed" \
    --filter "FullyQualifiedName~PipelineTemplateTests.The_template_runs&DisplayName~$flavor" 2>&1 \
    | sed -n 's/.*pipeline ci\/[a-z-]*\.yml: \([0-9.]*\)s wall.*/\1/p' | head -n1
done | median | awk -v f="$flavor" '{printf "simulated %s pipeline (5 jobs):   %.1f s\n", f, $1}'
