#!/usr/bin/env bash
# Benchmark, not a test: what build.ps1's signal forwarding (build/pwsh/SignalForwarding.cs) adds to pwsh's start.
# Median wall time of N runs (default 7) of a pwsh script that does only that step:
#   bare      pwsh -NoProfile -File on an empty script
#   compile   Add-Type -Path SignalForwarding.cs on every run (Roslyn in pwsh)
#   cached    Add-Type -Path on the assembly compiled once (what build.ps1 does after its first run) + Register()
# and, less noisy on a busy host, the same two steps timed inside pwsh (Stopwatch, milliseconds), after the
# Utility module Add-Type lives in is loaded (build.ps1 loads it anyway for ConvertFrom-Json).
#   scripts/bench-ps1-signals.sh [N] [PWSH]   (PWSH: default pwsh on PATH, else the Test task's dotnet tool)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
pwsh=${2:-$(command -v pwsh || echo "${XDG_CACHE_HOME:-$HOME/.cache}/servingbuild/tools/pwsh/pwsh")}
[ -x "$pwsh" ] || { echo "error: no pwsh at $pwsh; pass its path, or run ./build.sh --target=Test (it installs PowerShell)" >&2; exit 3; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source="$root/build/pwsh/SignalForwarding.cs"

printf '' > "$work/bare.ps1"
printf 'Add-Type -Path %q\n' "$source" > "$work/compile.ps1"
"$pwsh" -NoProfile -Command "Add-Type -Path '$source' -OutputAssembly '$work/forwarding.dll' -OutputType Library"
printf "Add-Type -Path '%s'\n[ServingBuild.EntryPoint.SignalForwarding]::Register()\n" "$work/forwarding.dll" > "$work/cached.ps1"

median() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')")
  done
  echo "${times[*]}" >&2
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

for variant in bare compile cached; do
  printf '%-8s median %s s over %s runs\n' "$variant" "$(median "$pwsh" -NoProfile -File "$work/$variant.ps1" 2>/dev/null)" "$runs"
done

inside() {
  local values=()
  for _ in $(seq "$runs"); do
    values+=("$("$pwsh" -NoProfile -Command "ConvertFrom-Json '{}' | Out-Null; \$w = [Diagnostics.Stopwatch]::StartNew(); $1; \$w.ElapsedMilliseconds" 2>/dev/null | tail -n1)")
  done
  echo "${values[*]}" >&2
  printf '%s\n' "${values[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
printf 'inside pwsh: compile median %s ms, load+register median %s ms over %s runs\n' \
  "$(inside "Add-Type -Path '$source' -OutputAssembly '$work/again-\$PID.dll' -OutputType Library" 2>/dev/null)" \
  "$(inside "Add-Type -Path '$work/forwarding.dll'; [ServingBuild.EntryPoint.SignalForwarding]::Register()" 2>/dev/null)" "$runs"
