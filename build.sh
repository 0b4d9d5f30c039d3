#!/usr/bin/env bash
# Entry point: finds a .NET SDK that satisfies global.json, restores Cake, builds the toolkit's entry
# point when its sources changed, and runs build/build.cake with every argument passed through.
# Usage: ./build.sh [--target=Task] [--option=value ...]      (README.md lists tasks and options)
set -euo pipefail

# Credentials in --remote-cache=http://user:password@host/ leave the command line before anything else runs:
# /proc/PID/cmdline (ps) is readable by every user of the host, /proc/PID/environ only by the owner and root. The
# user-info moves into SERVINGBUILD_REMOTE_CACHE_USERINFO and this script starts again (exec, same pid) with the URL
# without it, so this process, prepare, Cake and the tasks never show it; the toolkit puts it back for the cache
# only and withholds the variable from every program it starts. Both spellings the parser accepts are handled
# (--remote-cache=URL, --remote-cache URL). Text only: nothing typed is evaluated.
if [ "$#" -gt 0 ]; then
  sb_url_re='^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@([^/?#@]*)(.*)$'
  sb_args=() sb_info="" sb_take=""
  for sb_arg in "$@"; do
    sb_prefix="" sb_value=""
    if [ -n "$sb_take" ] && [[ "$sb_arg" != --* ]]; then
      sb_value=$sb_arg
    elif [[ "${sb_arg,,}" == --remote-cache=* ]]; then
      sb_prefix="${sb_arg%%=*}=" sb_value=${sb_arg#*=}
    fi
    sb_take=""
    if [[ "${sb_arg,,}" == --remote-cache ]]; then sb_take=1; fi
    if [[ "$sb_value" =~ $sb_url_re ]] && [ -n "${BASH_REMATCH[2]}" ]; then
      if [ -n "$sb_info" ] || [ -n "${SERVINGBUILD_REMOTE_CACHE_USERINFO:-}" ]; then
        printf 'error: %s\n' "--remote-cache: credentials (user:password@) are given twice, in the URL and in SERVINGBUILD_REMOTE_CACHE_USERINFO or a second URL; give them once" >&2
        exit 2
      fi
      sb_info=${BASH_REMATCH[2]}
      sb_arg=$sb_prefix${BASH_REMATCH[1]}${BASH_REMATCH[3]}${BASH_REMATCH[4]}
    fi
    sb_args+=("$sb_arg")
  done
  if [ -n "$sb_info" ]; then
    export SERVINGBUILD_REMOTE_CACHE_USERINFO="$sb_info"
    exec "${BASH:-bash}" "${BASH_SOURCE[0]}" "${sb_args[@]}"
  fi
  unset sb_url_re sb_args sb_info sb_take sb_arg sb_prefix sb_value
fi

# A warm run spends ~1 s in Cake; this script keeps its own share to a few process starts (each ~10 ms here).
script="${BASH_SOURCE[0]}"
[ "${script%/*}" != "$script" ] || script="./$script"
root="$(cd "${script%/*}" && pwd)"
# Relative paths in options (--serving-dir=../serving) mean the caller's folder, not the toolkit's.
export SERVINGBUILD_CALLER_DIR="$PWD"
cd "$root"

die() { local code=$1; shift; printf 'error: %s\n' "$*" >&2; exit "$code"; }

# .NET 8 and later need glibc 2.23+ (NET 10: 2.27) and GLIBCXX_3.4.21; CentOS 7 has 2.17. There the host tasks
# (Doctor, Provision, BazelBuild, Clean) run through the bash the toolkit generates from its C# plans
# (scripts/host/servingbuild-host.sh); the others exit 3 with the command to run from a machine with .NET.
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null)" || glibc=""
glibc="${glibc#glibc }"
glibc_major="${glibc%%.*}"
glibc_minor="${glibc#*.}"
glibc_minor="${glibc_minor%%.*}"
if [[ "$glibc_major" =~ ^[0-9]+$ && "$glibc_minor" =~ ^[0-9]+$ ]] && { [ "$glibc_major" -lt 2 ] || { [ "$glibc_major" -eq 2 ] && [ "$glibc_minor" -lt 27 ]; }; }; then
  [ -f "$root/scripts/host/servingbuild-host.sh" ] || die 3 "this host has glibc $glibc and .NET 10 needs 2.27 or newer, and scripts/host/servingbuild-host.sh is missing; restore it from the repository (README.md, CentOS 7)"
  export SERVINGBUILD_ROOT="$root" SERVINGBUILD_HOST_GLIBC="$glibc"
  exec bash "$root/scripts/host/servingbuild-host.sh" "$@"
fi

dotnet_bin=""
for candidate in "${DOTNET_ROOT:+$DOTNET_ROOT/dotnet}" "$(command -v dotnet 2>/dev/null || true)" "$HOME/.dotnet/dotnet" /usr/share/dotnet/dotnet /usr/lib/dotnet/dotnet; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then dotnet_bin="$candidate"; break; fi
done
wanted() { sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json | head -n1; }
[ -n "$dotnet_bin" ] || die 3 "no .NET SDK found; install .NET SDK $(wanted) or a later 10.0 feature band (Debian/Ubuntu: Microsoft's package feed, 'apt-get install dotnet-sdk-10.0'; or dotnet-install.sh with --channel 10.0) and put dotnet on PATH"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

stamps="$root/artifacts/.stamps"
if [ ! -d "$stamps" ] || [ ! -d "$root/artifacts/logs" ]; then mkdir -p "$stamps" "$root/artifacts/logs"; fi

# Newer than the stamp? Checked with find so that a warm run costs milliseconds, not a dotnet restore/build.
changed() { local stamp=$1; shift; [ ! -e "$stamp" ] || [ -n "$(find "$@" -newer "$stamp" -print -quit 2>/dev/null)" ]; }

# Which SDK global.json resolves to: asked once (dotnet --version costs ~0.2 s), then remembered while
# global.json, the dotnet binary and that SDK's folder stay the same.
sdk=""
if [ -s "$stamps/sdk" ] && [ "$stamps/sdk" -nt global.json ]; then
  read -r cached_bin cached_home cached_sdk < "$stamps/sdk" || true
  if [ "${cached_bin:-}" = "$dotnet_bin" ] && [ -d "${cached_home:-/nonexistent}/sdk/${cached_sdk:-none}" ]; then sdk="$cached_sdk"; fi
fi
if [ -z "$sdk" ]; then
  if ! sdk="$("$dotnet_bin" --version 2>/dev/null)"; then
    die 3 "$dotnet_bin has no SDK that satisfies global.json ($(wanted), rollForward latestFeature); installed: $("$dotnet_bin" --list-sdks 2>/dev/null | awk '{print $1}' | paste -sd' ' -); install .NET SDK $(wanted) or later in the 10.0 band"
  fi
  dotnet_real="$(readlink -f "$dotnet_bin")"
  printf '%s %s %s\n' "$dotnet_bin" "${dotnet_real%/*}" "$sdk" > "$stamps/sdk"
fi

# Cake.Tool from the tool manifest. Its Cake.dll is run directly: `dotnet tool run` would add ~0.2 s a run.
cake_version=""
while IFS= read -r line; do
  case "$line" in *'"cake.tool"'*) in_cake=1 ;; esac
  if [ -n "${in_cake:-}" ] && [[ "$line" =~ \"version\":\ *\"([^\"]+)\" ]]; then cake_version="${BASH_REMATCH[1]}"; break; fi
done < .config/dotnet-tools.json
cake_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version/tools/net10.0/any/Cake.dll"
if [ ! -f "$cake_dll" ] || changed "$stamps/tools" .config/dotnet-tools.json global.json; then
  "$dotnet_bin" tool restore >"$root/artifacts/logs/tool-restore.log" 2>&1 \
    || die 3 "'dotnet tool restore' failed (Cake.Tool $cake_version from NuGet); see artifacts/logs/tool-restore.log"
  touch "$stamps/tools"
fi

cli="$root/artifacts/dotnet/bin/ServingBuild.Cli/release/ServingBuild.Cli.dll"
if [ ! -e "$cli" ] || changed "$stamps/cli" src/ServingBuild src/ServingBuild.Cli Directory.Build.props Directory.Packages.props global.json; then
  echo "Building the toolkit (src/ServingBuild.Cli) ..."
  if ! "$dotnet_bin" build src/ServingBuild.Cli/ServingBuild.Cli.csproj -c Release --nologo -v quiet -clp:NoSummary >"$root/artifacts/logs/toolkit-build.log" 2>&1; then
    grep -E ': error ' "$root/artifacts/logs/toolkit-build.log" | sort -u | head -n 5 >&2 || true
    die 1 "building the toolkit failed; see artifacts/logs/toolkit-build.log"
  fi
  touch "$stamps/cli"
fi

export SERVINGBUILD_ROOT="$root" SERVINGBUILD_CLI="$cli" SERVINGBUILD_SDK="$sdk"

# The one parse of the command line: the entry point validates every argument (one `error:` line and exit 2
# when something is wrong; Cake never sees a user's option) and writes this run's file, which the tasks read
# their options from, and Cake's own arguments, NUL-separated. It prints nothing on success.
run_dir="$root/artifacts/run/$$"
# From the caller's folder, so relative paths in options mean what the user meant.
(cd "$SERVINGBUILD_CALLER_DIR" && exec "$dotnet_bin" exec "$cli" prepare "$run_dir" "$@") || exit $?
[ -f "$run_dir/cake.args" ] || exit 0   # --help: printed, nothing to run
cake_args=()
while IFS= read -r -d '' arg; do cake_args+=("$arg"); done < "$run_dir/cake.args"
export SERVINGBUILD_RUN="$run_dir/run.json"

# Cake compiles build.cake once and reuses the assembly while the script is unchanged (~1 s saved per run).
export CAKE_SETTINGS_ENABLESCRIPTCACHE=true CAKE_PATHS_CACHE="$root/artifacts/cake-cache"

# Cake runs in the background so that SIGINT, SIGTERM and SIGHUP sent to this script reach it at once: each is
# passed on to Cake, which passes it to the task process, which stops what it started; this script waits for
# all of that and exits 130, 143 or 129. A background job would ignore SIGINT; the subshell restores it first.
signal=""
cake_pid=""
# shellcheck disable=SC2317 # called from the traps below
forward() {
  signal=$1
  [ -z "$cake_pid" ] || kill -s "$1" "$cake_pid" 2>/dev/null || true
}
trap 'forward INT' INT
trap 'forward TERM' TERM
trap 'forward HUP' HUP
if [ -f "$cake_dll" ]; then
  (trap - INT; exec "$dotnet_bin" exec "$cake_dll" build/build.cake "${cake_args[@]}") &
else
  (trap - INT; exec "$dotnet_bin" tool run dotnet-cake -- build/build.cake "${cake_args[@]}") &
fi
cake_pid=$!
set +e
while :; do
  wait "$cake_pid"
  code=$?
  # wait returns early (above 128) when a trapped signal arrives; Cake is then still stopping.
  kill -0 "$cake_pid" 2>/dev/null || break
done
set -e
case "$signal" in
  INT) exit 130 ;;
  TERM) exit 143 ;;
  HUP) exit 129 ;;
esac
exit "$code"
