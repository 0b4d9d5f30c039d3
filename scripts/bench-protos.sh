#!/usr/bin/env bash
# Medians of 5 runs: the Protos stage cold and up to date (stage time as the stage measures it, and the whole
# process), next to a bare protoc run over the same files and a bare start of the CLI.
# Usage: scripts/bench-protos.sh [SERVING_DIR]   (default: the bundled tests/serving-mini)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
serving=$(cd "${1:-$root/tests/serving-mini}" && pwd)
runs=5
cd "$root"
dotnet build src/ServingBuild.Cli -c release -nologo -v q >/dev/null
cli="$root/artifacts/dotnet/bin/ServingBuild.Cli/release/ServingBuild.Cli.dll"
grpc_tools_version=$(sed -n 's/.*Include="Grpc.Tools" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
tools="${NUGET_PACKAGES:-$HOME/.nuget/packages}/grpc.tools/$grpc_tools_version"
protoc="$tools/tools/linux_x64/protoc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/protos"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
stage_ms() { sed -n 's/.*(\([0-9]*\) ms stage time).*/\1/p' "$1" | tail -n 1; }

: >"$work/cold.stage"; : >"$work/cold.total"; : >"$work/fresh.stage"; : >"$work/fresh.total"
: >"$work/protoc"; : >"$work/start"
for _ in $(seq "$runs"); do
  rm -rf "$out"
  t0=$(now_ms); dotnet "$cli" Protos --serving-dir="$serving" --protos-out="$out" >"$work/log"; t1=$(now_ms)
  stage_ms "$work/log" >>"$work/cold.stage"; echo $((t1 - t0)) >>"$work/cold.total"

  t0=$(now_ms); dotnet "$cli" Protos --serving-dir="$serving" --protos-out="$out" >"$work/log"; t1=$(now_ms)
  grep -q "up to date" "$work/log" || { echo "second run was not up to date:" >&2; cat "$work/log" >&2; exit 1; }
  stage_ms "$work/log" >>"$work/fresh.stage"; echo $((t1 - t0)) >>"$work/fresh.total"

  t0=$(now_ms)
  "$protoc" -I"$serving" -I"$tools/build/native/include" --include_imports --include_source_info \
    --descriptor_set_out="$work/set.pb" tensorflow_serving/apis/prediction_service.proto
  t1=$(now_ms); echo $((t1 - t0)) >>"$work/protoc"

  t0=$(now_ms); dotnet "$cli" tasks >/dev/null; t1=$(now_ms); echo $((t1 - t0)) >>"$work/start"
done

p=$(median <"$work/protoc")
row() { printf '%-34s %8s ms   %s\n' "$1" "$2" "$3"; }
ratio() { awk -v a="$1" -v b="$p" 'BEGIN { if (b > 0) printf "%.1fx bare protoc", a / b; else print "-" }'; }
echo "Protos stage on $serving, medians of $runs (protoc: $("$protoc" --version))"
row "cold, stage time" "$(median <"$work/cold.stage")" "$(ratio "$(median <"$work/cold.stage")")"
row "cold, whole process" "$(median <"$work/cold.total")" ""
row "up to date, stage time" "$(median <"$work/fresh.stage")" "$(ratio "$(median <"$work/fresh.stage")")"
row "up to date, whole process" "$(median <"$work/fresh.total")" ""
row "bare protoc (same files, one run)" "$p" ""
row "bare CLI start (servingbuild tasks)" "$(median <"$work/start")" ""
