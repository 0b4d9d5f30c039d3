#!/usr/bin/env bash
# Benchmark, not a test: what one warm `./build.sh` costs as a whole, in processes and wall time.
# For each command: the programs it executes (successful execve calls, counted with strace -f, by program
# name) and the median wall time of N runs (default 5), in seconds.
#   scripts/bench-entry.sh [N] [-- extra build.sh arguments]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
cd "$root"
command -v strace >/dev/null || { echo "error: strace is not installed (apt-get install strace)" >&2; exit 3; }

median() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
  echo "${times[*]}" >&2
}

processes() {
  local trace
  trace=$(mktemp)
  strace -f -qq -e trace=execve -o "$trace" "$@" >/dev/null 2>&1 || true
  # Successful execve lines end in "= 0"; the program is the first argument's basename.
  grep -E 'execve\(.*= 0$' "$trace" | sed -E 's/^[0-9]+ +execve\("([^"]*)".*/\1/' | awk -F/ '{print $NF}' | sort | uniq -c | sort -rn | awk '{printf "%s %s, ", $1, $2}' | sed 's/, $//'
  echo
  grep -cE 'execve\(.*= 0$' "$trace"
  rm -f "$trace"
}

for args in "" "--target=Doctor"; do
  ./build.sh $args >/dev/null 2>&1 || true   # warm: entry point built, Cake's script cache, nothing to do
  label="./build.sh${args:+ $args}"
  mapfile -t counted < <(processes ./build.sh $args)
  printf '%-28s processes %3s   (%s)\n' "$label" "${counted[1]}" "${counted[0]}"
  printf '%-28s median %.3f s over %s runs\n' "$label" "$(median ./build.sh $args 2>/dev/null)" "$runs"
done
