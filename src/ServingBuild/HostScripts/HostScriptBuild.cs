using System.Globalization;
using System.Text;
using ServingBuild.BazelBuild;
using ServingBuild.Host;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Provision;

namespace ServingBuild.HostScripts;

/// <summary>
/// BazelBuild in the host script: upstream's command line as BazelInvocation builds it (rendered with placeholder
/// inputs and mapped word by word to bash), the host sizing of HostResources, the failure catalog's patterns
/// (converted to POSIX) with its cause and fix lines, the safe fixes, and the export of the binary with its manifest.
/// </summary>
internal static class HostScriptBuild
{
    // Placeholder inputs: values no real input has, each found exactly once in the rendered command line.
    private const int JobsMark = 6543;
    private const int CoresMark = 7777;
    private static readonly long MemoryMark = 10L * (1L << 20) * 1234;

    public static string Render()
    {
        var s = new StringBuilder();
        s.Append(Sizing());
        s.Append(BuildArgs());
        s.Append(Catalog());
        s.Append(Flow());
        s.Append(Export());
        return s.ToString();
    }

    private static string T(string text, params (string Placeholder, string Variable)[] map) => BashText.Template(text, map);

    private static string Sizing() => $$$"""
        # ---- BazelBuild: upstream's command line (BazelInvocation), sized as HostResources sizes it ----
        host_sizing() {
          local kb
          cores="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
          kb="$(awk '/^MemTotal:/ { print $2; exit }' /proc/meminfo)"
          memory=$((kb * 1024))
          ram_mb=$((memory * {{{HostResources.RamPercentForBazel}}} / 100 / 1048576))
          if [ "$ram_mb" -lt {{{HostResources.MinimumRamForBazelMb}}} ]; then ram_mb={{{HostResources.MinimumRamForBazelMb}}}; fi
          host_jobs=$((ram_mb * 1048576 / {{{HostResources.MemoryPerJobBytes}}}))
          if [ "$host_jobs" -gt "$cores" ]; then host_jobs=$cores; fi
          if [ "$host_jobs" -lt 1 ]; then host_jobs=1; fi
          run_jobs="${jobs:-$host_jobs}"
        }

        """;

    private static string BuildArgs()
    {
        var env = new Dictionary<string, string?>
        {
            ["TF_SERVING_BAZEL_OPTIONS"] = "@SB_TFB@",
            ["TF_SERVING_BUILD_OPTIONS"] = "@SB_TFS@",
            [BazelInvocation.RemoteHeadersVariable] = "X=@SB_HEADER@",
        };
        var options = new BuildOptions
        {
            ServingDir = "/@SB_SERVING@",
            ProtosOut = "/@SB_PROTOS@",
            CacheDir = "/@SB_CACHE@",
            Distdirs = ["/@SB_DISTDIR@"],
            RemoteCache = "@SB_REMOTE@",
            BazelOpts = ["@SB_BAZEL_OPT@"],
            Jobs = JobsMark,
        };
        var host = new HostResources(CoresMark, MemoryMark);
        var plain = BazelInvocation.For(options, host, terminal: false, env).Arguments;
        var tty = BazelInvocation.For(options, host, terminal: true, env).Arguments;
        if (plain.Count != tty.Count)
        {
            throw new InvalidOperationException("BazelInvocation's terminal and plain command lines differ in length; HostScript maps them word by word");
        }

        var ram = host.RamForBazelMb.ToString(CultureInfo.InvariantCulture);
        var arrays = new Dictionary<string, string>
        {
            ["@SB_TFB@"] = "tf_bazel_opts",
            ["@SB_TFS@"] = "tf_build_opts",
            ["@SB_BAZEL_OPT@"] = "bazel_opts",
        };
        var seen = new HashSet<string>();
        var s = new StringBuilder();
        s.Append($$$"""
            # Fills args (the words after the Bazel binary) and startup (--bazelrc for remote headers).
            build_args() {
              tf_bazel_opts=()
              tf_build_opts=()
              # Split on any whitespace, newlines included, as the C# does.
              if [ -n "${TF_SERVING_BAZEL_OPTIONS+set}" ]; then read -r -d '' -a tf_bazel_opts <<< "$TF_SERVING_BAZEL_OPTIONS" || true; fi
              if [ -n "${TF_SERVING_BUILD_OPTIONS+set}" ]; then
                read -r -d '' -a tf_build_opts <<< "$TF_SERVING_BUILD_OPTIONS" || true
              else
                tf_build_opts=({{{BashText.Single(BazelInvocation.DefaultBuildOptions)}}})
              fi
              args=()

            """);
        for (var i = 0; i < plain.Count; i++)
        {
            var word = plain[i];
            if (word != tty[i])
            {
                s.Append($"  if [ -t 1 ]; then args+=({BashText.Single(tty[i])}); else args+=({BashText.Single(word)}); fi\n");
                continue;
            }

            if (arrays.TryGetValue(word, out var array))
            {
                seen.Add(word);
                s.Append($"  args+=(${{{array}[@]+\"${{{array}[@]}}\"}})\n");
                continue;
            }

            if (word.Contains("/@SB_DISTDIR@", StringComparison.Ordinal))
            {
                seen.Add("@SB_DISTDIR@");
                var prefix = word[..word.IndexOf("/@SB_DISTDIR@", StringComparison.Ordinal)];
                s.Append($"  for dir in ${{distdirs[@]+\"${{distdirs[@]}}\"}}; do args+=({BashText.Single(prefix)}\"$dir\"); done\n");
                continue;
            }

            if (word.Contains("@SB_HEADER@", StringComparison.Ordinal))
            {
                // Headers go to a 0600 bazelrc (remote_rc), never onto the command line where ps shows them.
                seen.Add("@SB_HEADER@");
                continue;
            }

            if (word.Contains("@SB_REMOTE@", StringComparison.Ordinal))
            {
                seen.Add("@SB_REMOTE@");
                s.Append($"  if [ -n \"$remote_cache\" ]; then args+=({BashText.Template(word, ("@SB_REMOTE@", "remote_cache"))}); fi\n");
                continue;
            }

            var marked = word
                .Replace($"={JobsMark}", "=@SB_JOBS@", StringComparison.Ordinal)
                .Replace($"={CoresMark}", "=@SB_CORES@", StringComparison.Ordinal)
                .Replace($"={ram}", "=@SB_RAM@", StringComparison.Ordinal);
            var map = new[] { ("/@SB_CACHE@", "cache_dir"), ("@SB_JOBS@", "run_jobs"), ("@SB_CORES@", "cores"), ("@SB_RAM@", "ram_mb") }
                .Where(m => marked.Contains(m.Item1, StringComparison.Ordinal)).ToArray();
            foreach (var m in map)
            {
                seen.Add(m.Item1);
            }

            s.Append($"  args+=({(map.Length == 0 ? BashText.Single(marked) : BashText.Template(marked, map))})\n");
        }

        foreach (var wantedMark in new[] { "@SB_TFB@", "@SB_TFS@", "@SB_BAZEL_OPT@", "@SB_DISTDIR@", "@SB_HEADER@", "@SB_REMOTE@", "/@SB_CACHE@", "@SB_JOBS@", "@SB_CORES@", "@SB_RAM@" })
        {
            if (!seen.Contains(wantedMark))
            {
                throw new InvalidOperationException($"BazelInvocation no longer uses the input marked {wantedMark}; update HostScriptBuild");
            }
        }

        var badHeader = "";
        try
        {
            BazelInvocation.RemoteHeaders(new Dictionary<string, string?> { [BazelInvocation.RemoteHeadersVariable] = "no-equals-sign" });
        }
        catch (ToolkitException ex)
        {
            badHeader = ex.Message.Replace(" line 1 ", " line @SB_N@ ", StringComparison.Ordinal);
        }

        s.Append($$$"""
            }

            # SERVINGBUILD_REMOTE_HEADERS (NAME=VALUE per line) into a 0600 bazelrc in a private temporary folder removed on
            # exit: Bazel reads it with --bazelrc, so no header value is on a command line (ps) or in a log. Only the
            # file's path is visible.
            remote_rc() {
              startup=()
              [ -n "$remote_cache" ] || return 0
              local text="${{{{BazelInvocation.RemoteHeadersVariable}}}:-}" line n=0 name value count=0
              [ -n "${text//[[:space:]]/}" ] || return 0
              scratch="$(mktemp -d "${TMPDIR:-/tmp}/servingbuild.XXXXXX")"
              (umask 077 && : > "$scratch/remote.bazelrc")
              while IFS= read -r line || [ -n "$line" ]; do
                n=$((n + 1))
                line="$(trim "$line")"
                if [ -z "$line" ] || [[ "$line" == \#* ]]; then continue; fi
                case "$line" in
                  [!=]*=*) ;;
                  *) fail {{{ExitCodes.Usage}}} {{{BashText.Template(badHeader, ("@SB_N@", "n"))}}} ;;
                esac
                name="$(trim "${line%%=*}")"
                value="$(trim "${line#*=}")"
                line="--remote_header=$name=$value"
                line=${line//\\/\\\\}
                line=${line//\"/\\\"}
                printf 'build "%s"\n' "$line" >> "$scratch/remote.bazelrc"
                count=$((count + 1))
              done <<< "$text"
              if [ "$count" -gt 0 ]; then startup=("--bazelrc=$scratch/remote.bazelrc"); fi
            }

            """);
        return s.ToString();
    }

    private static string Catalog()
    {
        var s = new StringBuilder();
        s.Append("# ---- the failure catalog (FailureCatalog), patterns converted to POSIX ERE ----\n");
        s.Append("sig_names=(" + string.Join(' ', FailureCatalog.All.Select(f => BashText.Single(f.Name))) + ")\n");
        s.Append("sig_causes=(\n" + string.Join("", FailureCatalog.All.Select(f => "  " + BashText.Single(f.Cause) + "\n")) + ")\n");
        s.Append("sig_fixes=(\n" + string.Join("", FailureCatalog.All.Select(f => "  " + BashText.Single(f.Fix) + "\n")) + ")\n");
        s.Append("sig_safe_fix=(" + string.Join(' ', FailureCatalog.All.Select(f => f.SafeFix == SafeFix.None ? "''" : f.SafeFix.ToString())) + ")\n");
        s.Append("# Fills diag_idx and diag_evidence: each signature's first matching line, in catalog order.\n");
        s.Append("diagnose() {\n  local ev\n  diag_idx=()\n  diag_evidence=()\n");
        for (var i = 0; i < FailureCatalog.All.Count; i++)
        {
            var patterns = string.Join(' ', FailureCatalog.All[i].Patterns.Select(p => "-e " + BashText.Single(PosixPattern.FromDotNet(p.ToString()))));
            s.Append($"  if ev=\"$(LC_ALL=C grep -a -E -m 1 {patterns} -- \"$1\")\"; then diag_idx+=({i}); diag_evidence+=(\"$(trim \"$ev\")\"); fi\n");
        }

        s.Append("}\n");
        s.Append(SafeFixes());
        return s.ToString();
    }

    /// <summary>The host families SafeFixer.StepFor tells apart, each with facts it reads as that family.</summary>
    private static readonly (string Family, HostFacts Facts)[] Families =
    [
        ("centos7", new HostFacts { OsId = "centos", OsVersionId = "7" }),
        ("debian", new HostFacts { OsId = "debian", OsVersionId = "12" }),
        ("other", new HostFacts { OsId = "other-os" }),
    ];

    /// <summary>
    /// --auto-fix as SafeFixer applies it: the plan step SafeFixer.StepFor gives for the fix on this host's family,
    /// run as a one-step plan the way PlanRunner runs it (check, root or passwordless sudo only when there is work,
    /// action, check again). A step the CentOS 7 plan holds is the plan's own function (check_/action_ above);
    /// another (Debian's apt step) is written here once.
    /// </summary>
    private static string SafeFixes()
    {
        var planSteps = CentOs7Plan.Create(new PlanInputs()).Steps.Concat(CentOs7Plan.Create(new PlanInputs { NeedsModernCompiler = false }).Steps).ToList();
        var s = new StringBuilder();
        var written = new Dictionary<ProvisionStep, string>();
        string FunctionFor(ProvisionStep step)
        {
            if (written.TryGetValue(step, out var known))
            {
                return known;
            }

            var fn = planSteps.Contains(step) ? step.Id.Replace('-', '_') : "fix_" + written.Count + "_" + step.Id.Replace('-', '_');
            if (!planSteps.Contains(step))
            {
                // Only the check and the action: the fix reports no missing packages.
                s.Append(HostScriptProvision.StepFunctions(step with { MissingQuery = null }, fn));
            }

            written[step] = fn;
            return fn;
        }

        var cases = new StringBuilder();
        foreach (var fix in Enum.GetValues<SafeFix>().Where(f => f != SafeFix.None))
        {
            foreach (var (family, facts) in Families)
            {
                if (SafeFixer.StepFor(fix, facts) is { } step)
                {
                    var fn = FunctionFor(step);
                    cases.Append($"    {fix}:{family}) fn={fn}; id={BashText.Single(step.Id)}; description={BashText.Single(step.Description)}; check_head={BashText.Single(step.Check.Split('\n')[0])} ;;\n");
                }
            }
        }

        s.Append($$$"""
            # The family SafeFixer.StepFor tells apart (HostFacts.IsDebianFamily; CentOS 7).
            host_family() {
              local id like
              id="$(os_field ID)"
              like=" $(os_field ID_LIKE) "
              if is_centos7; then printf centos7; return 0; fi
              case "$id" in debian|ubuntu) printf debian; return 0 ;; esac
              case "$like" in *" debian "*|*" ubuntu "*) printf debian; return 0 ;; esac
              printf other
            }
            # Applies one safe fix; returns 1 (with the reason as a warning) when it cannot, as SafeFixer does.
            run_safe_fix() {
              local fn="" id="" description="" check_head="" family display line rc last out="$logs/.auto-fix-step.out"
              family="$(host_family)"
              case "$1:$family" in
            {{{cases}}}    *)
                  display="$(os_field PRETTY_NAME)"
                  if [ -z "$display" ]; then display="$(trim "$(os_field ID) $(os_field VERSION_ID)")"; fi
                  warn {{{T(PlanLines.AutoFixNoStep("@SB_FIX@", "@SB_OS@"), ("@SB_FIX@", "1"), ("@SB_OS@", "display"))}}}
                  return 1
                  ;;
              esac
              local tag={{{BashText.Single(PlanLines.Tag("1", "1"))}}} log_hint="" user_name uid
              if [ -n "$task_log" ]; then log_hint={{{T(PlanLines.LogHint("@SB_LOG@"), ("@SB_LOG@", "task_log"))}}}; fi
              if "check_$fn" > /dev/null 2>&1; then
                say {{{T(PlanLines.Skip("@SB_TAG@", "@SB_ID@"), ("@SB_TAG@", "tag"), ("@SB_ID@", "id"))}}}
                say {{{BashText.Single(PlanLines.Provisioned(LocalExecutor.ThisMachine, "0", "1"))}}}
                say {{{T(PlanLines.AutoFixDone("@SB_D@"), ("@SB_D@", "description"))}}}
                return 0
              fi
              local sudo=()
              user_name="$(id -un)"
              uid="$(id -u)"
              if [ "$uid" != 0 ]; then
                if command -v sudo > /dev/null 2>&1 && sudo -n true > /dev/null 2>&1; then
                  sudo=(sudo -n -- env SYSROOT="$SYSROOT" PATH="$PATH" bash -c "$(declare -f "action_$fn"); action_$fn")
                else
                  warn {{{T(PlanLines.AutoFixPrefix + PlanLines.RootRequired(LocalExecutor.ThisMachine, "@SB_ID@", "@SB_USER@", "@SB_UID@"), ("@SB_ID@", "id"), ("@SB_USER@", "user_name"), ("@SB_UID@", "uid"))}}}
                  return 1
                fi
              fi
              say {{{T(PlanLines.Run("@SB_TAG@", "@SB_ID@", "@SB_D@"), ("@SB_TAG@", "tag"), ("@SB_ID@", "id"), ("@SB_D@", "description"))}}}
              set +e
              if [ ${#sudo[@]} -gt 0 ]; then
                "${sudo[@]}" < /dev/null 2>&1 | tee "$out" | while IFS= read -r line || [ -n "$line" ]; do say {{{T(PlanLines.Output("@SB_LINE@"), ("@SB_LINE@", "line"))}}}; done
              else
                "action_$fn" < /dev/null 2>&1 | tee "$out" | while IFS= read -r line || [ -n "$line" ]; do say {{{T(PlanLines.Output("@SB_LINE@"), ("@SB_LINE@", "line"))}}}; done
              fi
              rc=${PIPESTATUS[0]}
              set -e
              if [ "$rc" -ne 0 ]; then
                last="$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 || true)"
                last="$(trim "${last:-no output}")"
                rm -f "$out"
                warn {{{T(PlanLines.AutoFixPrefix + PlanLines.StepFailed("@SB_ID@", LocalExecutor.ThisMachine, PlanLines.ExitCode("@SB_RC@"), "@SB_LAST@", "@SB_HINT@"), ("@SB_ID@", "id"), ("@SB_RC@", "rc"), ("@SB_LAST@", "last"), ("@SB_HINT@", "log_hint"))}}}
                return 1
              fi
              rm -f "$out"
              if ! "check_$fn" > /dev/null 2>&1; then
                warn {{{T(PlanLines.AutoFixPrefix + PlanLines.CheckStillFails("@SB_ID@", LocalExecutor.ThisMachine, "@SB_HEAD@", "@SB_HINT@"), ("@SB_ID@", "id"), ("@SB_HEAD@", "check_head"), ("@SB_HINT@", "log_hint"))}}}
                return 1
              fi
              say {{{BashText.Single(PlanLines.Provisioned(LocalExecutor.ThisMachine, "1", "0"))}}}
              say {{{T(PlanLines.AutoFixDone("@SB_D@"), ("@SB_D@", "description"))}}}
            }

            """);
        return s.ToString();
    }

    /// <summary>BazelLocator.ToolsRoots as bash words: the cache's folder, then Provision's (under SERVINGBUILD_SYSROOT in tests).</summary>
    internal static string ToolsRoots()
    {
        const string Cache = "/@SB_CACHE@";
        return string.Join(' ', BazelLocator.ToolsRoots(Cache).Select(r => r.StartsWith(Cache, StringComparison.Ordinal)
            ? "\"$cache_dir\"" + BashText.Single(r[Cache.Length..])
            : "\"$SYSROOT\"" + BashText.Single(r)));
    }

    private static string Flow()
    {
        var sig = new FailureSignature("@SB_NAME@", [], "@SB_CAUSE@", "@SB_FIX@");
        var sigMap = new[] { ("@SB_NAME@", "name"), ("@SB_CAUSE@", "cause"), ("@SB_FIX@", "fix") };
        var wanted = new WantedBazelVersion("@SB_WANTED@", "@SB_SOURCE@");
        var mismatch = new BazelVersionMismatchException("@SB_VERSION@", wanted, "@SB_PATH@");
        string NotFound(string? option, Dictionary<string, string?> env)
        {
            try
            {
                InstalledBazel.Locate(option, env);
            }
            catch (ProgramNotFoundException ex)
            {
                return ex.Message;
            }

            throw new InvalidOperationException("InstalledBazel.Locate found a placeholder Bazel");
        }

        var noPath = new Dictionary<string, string?> { ["PATH"] = "/nonexistent-servingbuild" };
        var fromOption = NotFound("@SB_BAZEL@", noPath);
        var fromEnv = NotFound(null, new Dictionary<string, string?>(noPath) { ["BAZEL"] = "@SB_BAZEL@" });
        var fromPath = NotFound(null, noPath);
        var exitCode = BazelBuildLines.ExitCode(0);
        if (exitCode.Count(c => c == '0') != 1)
        {
            throw new InvalidOperationException("BazelBuildLines.ExitCode changed shape; update HostScriptBuild");
        }

        var dts = $"devtoolset-{CentOs7Plan.DevtoolsetVersion}";
        var mismatchText = BashText.Template(mismatch.Message, ("@SB_VERSION@", "version"), ("@SB_PATH@", "path"), ("@SB_WANTED@", "wanted"), ("@SB_SOURCE@", "wanted_source"));
        var download = new BazelDownloadException("");
        return $$$"""
            # --bazel, then $BAZEL, then PATH (InstalledBazel.Locate); sets bazel_path and bazel_how.
            resolve_program() {
              local dir
              case "$1" in
                */*) if [ -f "$1" ]; then absolute "$1"; return 0; fi; return 1 ;;
              esac
              local dirs=()
              IFS=: read -r -a dirs <<< "$PATH"
              for dir in ${dirs[@]+"${dirs[@]}"}; do
                if [ -n "$dir" ] && [ -f "$dir/$1" ]; then printf '%s' "$dir/$1"; return 0; fi
              done
              return 1
            }
            # 0 when $1 is <root>/$2/bin/bazel of a complete install of ours (BazelLocator.IsPinnedInstall).
            is_pinned_install() {
              local bin dir
              [ "${1##*/}" = bazel ] || return 1
              bin="${1%/*}"
              [ "${bin##*/}" = bin ] || return 1
              dir="${bin%/*}"
              [ "${dir##*/}" = "$2" ] || return 1
              [ -f "$1" ] && grep -q '^sha256=' "$dir/{{{BazelInstaller.MarkerName}}}" 2> /dev/null
            }
            # --install-bazel (BazelBuildStage): the pinned release from a tools folder when one holds it, else the
            # Provision plan's own Bazel step (the shape for the version, SHA-256 checked, --bazel-mirror honoured)
            # aimed at the tools cache's per-version folder, $cache_dir/bazel/<v>. Sets bazel_option to the binary.
            install_pinned_bazel() {
              local root code rc last out="$logs/.install-bazel.out" binary asset="" sha="" line
              [ -n "$wanted" ] || fail {{{ExitCodes.Usage}}} {{{BashText.Single(BazelBuildLines.InstallBazelNoPin)}}}
              for root in {{{ToolsRoots()}}}; do
                if is_pinned_install "$root/$wanted/bin/bazel" "$wanted"; then
                  bazel_option="$root/$wanted/bin/bazel"
                  say {{{T(BazelBuildLines.AlreadyInstalled("@SB_V@", "@SB_BIN@"), ("@SB_V@", "wanted"), ("@SB_BIN@", "bazel_option"))}}}
                  return 0
                fi
              done
              if [ "$(uname -m)" != {{{HostScriptProvision.Architecture}}} ]; then
                fail {{{download.ExitCode}}} "--install-bazel here fetches the {{{HostScriptProvision.Architecture}}} release; this host is $(uname -m): install Bazel by hand and pass --bazel=PATH"
              fi
              bazel_install_root="$cache_dir/bazel"
              code="$(bazel_step_code "$(bazel_shape_of "$wanted")" install)"
              eval "$code"
              say "installing Bazel $wanted into $bazel_install_root/$wanted (--install-bazel)"
              # errexit inside the step: a failed download stops it there, with curl's own reason as the last line. Its
              # lines go to the log (and the console under --verbose), as the C# installer's do.
              set +e
              (set -e; action_bazel) < /dev/null 2>&1 | tee "$out" | while IFS= read -r line || [ -n "$line" ]; do detail "  $line"; done
              rc=${PIPESTATUS[0]}
              set -e
              last="$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 || true)"
              last="$(trim "${last:-no output}")"
              last="${last#error: }"
              rm -f "$out"
              if [ "$rc" -ne 0 ] || ! is_pinned_install "$bazel_install_root/$wanted/bin/bazel" "$wanted"; then
                fail {{{download.ExitCode}}} "--install-bazel: installing Bazel $wanted into $bazel_install_root/$wanted failed (exit code $rc): $last; check the version and --bazel-mirror, the network or proxy, or install Bazel by hand and pass --bazel=PATH (log: $task_log)"
              fi
              binary="$bazel_install_root/$wanted/bin/bazel"
              while IFS= read -r line; do
                case "$line" in
                  asset=*) asset="${line#asset=}" ;;
                  sha256=*) sha="${line#sha256=}"; sha="${sha:0:12}" ;;
                esac
              done < "$bazel_install_root/$wanted/{{{BazelInstaller.MarkerName}}}"
              say {{{T(BazelBuildLines.Installed("@SB_V@", "@SB_ASSET@", "@SB_SHA@", "@SB_BIN@"), ("@SB_V@", "wanted"), ("@SB_ASSET@", "asset"), ("@SB_SHA@", "sha"), ("@SB_BIN@", "binary"))}}}
              bazel_option="$binary"
            }
            # --bazel, then $BAZEL, then the pinned version where --install-bazel or Provision put it (BazelLocator), then PATH.
            find_bazel() {
              local bazel_name root
              if [ -n "$bazel_option" ]; then
                bazel_how="--bazel"
                bazel_name="$bazel_option"
                bazel_path="$(resolve_program "$bazel_name")" || fail {{{ExitCodes.Prerequisite}}} {{{BashText.Template(fromOption, ("@SB_BAZEL@", "bazel_name"))}}}
              elif [ -n "${BAZEL:-}" ]; then
                bazel_how="\$BAZEL"
                bazel_name="$BAZEL"
                bazel_path="$(resolve_program "$bazel_name")" || fail {{{ExitCodes.Prerequisite}}} {{{BashText.Template(fromEnv, ("@SB_BAZEL@", "bazel_name"))}}}
              else
                bazel_path=""
                if [ -n "$wanted" ]; then
                  for root in {{{ToolsRoots()}}}; do
                    if [ -f "$root/$wanted/bin/bazel" ] && grep -q '^sha256=' "$root/$wanted/{{{BazelInstaller.MarkerName}}}" 2> /dev/null; then
                      bazel_path="$root/$wanted/bin/bazel"
                      bazel_how={{{T(BazelLocator.PinnedHow("@SB_V@", "@SB_ROOT@"), ("@SB_V@", "wanted"), ("@SB_ROOT@", "root"))}}}
                      # Our own per-version install: its folder and marker say the version (releases before 1.0 have no --version).
                      bazel_version="$wanted"
                      return 0
                    fi
                  done
                fi
                bazel_how="PATH"
                bazel_path="$(resolve_program bazel)" || fail {{{ExitCodes.Prerequisite}}} {{{BashText.Single(fromPath)}}}
              fi
              # "bazel 7.4.1"; a packaged source build prints "bazel no_version": then its package knows the release.
              local out line ok=1 real owner candidate package_version
              bazel_version=""
              # Our own per-version install, however it was named (--bazel, $BAZEL): its folder and marker say the version.
              if [ -n "$wanted" ] && is_pinned_install "$bazel_path" "$wanted"; then
                bazel_version="$wanted"
                return 0
              fi
              out="$("$bazel_path" --version 2>&1)" || ok=0
              while IFS= read -r line; do
                if [[ "$line" =~ ^bazel[[:space:]]+([0-9]+\.[0-9]+\.[0-9]+[^[:space:]]*) ]]; then bazel_version="${BASH_REMATCH[1]}"; break; fi
              done <<< "$out"
              if [ -z "$bazel_version" ] && [ "$ok" = 1 ]; then
                real="$(readlink -f "$bazel_path" 2>/dev/null || printf '%s' "$bazel_path")"
                for candidate in "$bazel_path" "$real"; do
                  package_version=""
                  if command -v dpkg-query > /dev/null 2>&1 && owner="$(dpkg-query -S "$candidate" 2>/dev/null)"; then
                    owner="$(trim "${owner%%:*}")"
                    case "$owner" in
                      ""|*" "*) ;;
                      *) package_version="$(dpkg-query -W -f='${Version}' "$owner" 2>/dev/null || true)" ;;
                    esac
                  elif command -v rpm > /dev/null 2>&1; then
                    package_version="$(rpm -qf --qf '%{VERSION}' "$candidate" 2>/dev/null || true)"
                  fi
                  if [[ "$package_version" =~ ^([0-9]+:)?([0-9]+\.[0-9]+\.[0-9]+) ]]; then bazel_version="${BASH_REMATCH[2]}"; break; fi
                done
              fi
            }

            say_found() {
              local version="$bazel_version" path="$bazel_path" how="$bazel_how"
              if [ -n "$version" ] && [ -n "$wanted" ]; then
                say {{{BashText.Template(BazelBuildLines.Found("@SB_VERSION@", "@SB_PATH@", "@SB_HOW@", wanted), ("@SB_VERSION@", "version"), ("@SB_PATH@", "path"), ("@SB_HOW@", "how"), ("@SB_WANTED@", "wanted"), ("@SB_SOURCE@", "wanted_source"))}}}
              elif [ -n "$version" ]; then
                say {{{BashText.Template(BazelBuildLines.Found("@SB_VERSION@", "@SB_PATH@", "@SB_HOW@", null), ("@SB_VERSION@", "version"), ("@SB_PATH@", "path"), ("@SB_HOW@", "how"))}}}
              elif [ -n "$wanted" ]; then
                say {{{BashText.Template(BazelBuildLines.Found(null, "@SB_PATH@", "@SB_HOW@", wanted), ("@SB_PATH@", "path"), ("@SB_HOW@", "how"), ("@SB_WANTED@", "wanted"), ("@SB_SOURCE@", "wanted_source"))}}}
              else
                say {{{BashText.Template(BazelBuildLines.Found(null, "@SB_PATH@", "@SB_HOW@", null), ("@SB_PATH@", "path"), ("@SB_HOW@", "how"))}}}
              fi
              if [ -n "$wanted" ]; then
                if [ -z "$version" ]; then
                  warn {{{BashText.Template(BazelBuildLines.VersionUnknown("@SB_PATH@", "@SB_WANTED@"), ("@SB_PATH@", "path"), ("@SB_WANTED@", "wanted"))}}}
                elif [ "$version" != "$wanted" ]; then
                  # --allow-bazel-mismatch: the same words as a warning, and the build goes on.
                  if [ "$allow_bazel_mismatch" = 1 ]; then
                    warn {{{mismatchText}}}
                  else
                    fail {{{mismatch.ExitCode}}} {{{mismatchText}}}
                  fi
                fi
              fi
            }

            # Bazel's output: every line to the logs; on the console progress at most every 3 s, and the lines that
            # matter (BazelOutputFilter's patterns), a repeated closing line once.
            progress_re={{{BashText.Single(PosixPattern.FromDotNet(BazelOutputFilter.ProgressPattern))}}}
            important_re={{{BashText.Single(PosixPattern.FromDotNet(BazelOutputFilter.ImportantPattern))}}}
            show_bazel_output() {
              local line last_shown="" last_progress=-100
              while IFS= read -r line || [ -n "$line" ]; do
                printf '%s\n' "$line" >> "$raw_log"
                printf '%s\n' "$line" >> "$attempt_file"
                if [ -z "$line" ] || [ "$line" = "$last_shown" ]; then continue; fi
                if [ "$verbose" = 1 ]; then
                  say "  $line"
                elif [[ "$line" =~ $progress_re ]]; then
                  if [ $((SECONDS - last_progress)) -ge 3 ]; then
                    last_progress=$SECONDS
                    last_shown="$line"
                    say "  $line"
                  fi
                elif [[ "$line" =~ $important_re ]]; then
                  last_shown="$line"
                  say "  $line"
                fi
              done
            }
            run_bazel() {
              local strip_ansi=$'s/\e\\[[0-9;?]*[A-Za-z]//g' strip_cr=$'s/\r*$//'
              : > "$attempt_file"
              set +e
              (cd "$serving_dir" && exec "$bazel_path" ${startup[@]+"${startup[@]}"} "${args[@]}") < /dev/null 2>&1 \
                | sed -u -e "$strip_ansi" -e "$strip_cr" | show_bazel_output
              bazel_rc=${PIPESTATUS[0]}
              set -e
            }

            # Bazel's closing "INFO: 16 processes: 1 internal, 15 linux-sandbox." (ProcessSummary).
            summary_counts() {
              local line rest part n kind total=0 internal=0 remote=0 disk=0
              local line_re='INFO: ([0-9]+) process(es)?(: (.*)|\.)[[:space:]]*$' part_re='^([0-9]+) (.+)$'
              summary=""
              line="$(grep -a -E "$line_re" "$attempt_file" | tail -n 1 || true)"
              [[ "$line" =~ $line_re ]] || return 0
              total="${BASH_REMATCH[1]}"
              rest="${BASH_REMATCH[4]}"
              while [[ "$rest" == *[.\ ] ]]; do rest="${rest%?}"; done
              IFS=',' read -r -a parts <<< "$rest"
              for part in ${parts[@]+"${parts[@]}"}; do
                part="$(trim "$part")"
                if [[ "$part" =~ $part_re ]]; then
                  n="${BASH_REMATCH[1]}"
                  kind="$(trim "${BASH_REMATCH[2]}")"
                  case "$kind" in
                    internal) internal=$((internal + n)) ;;
                    "remote cache hit") remote=$((remote + n)) ;;
                    "disk cache hit") disk=$((disk + n)) ;;
                  esac
                fi
              done
              local executed=$((total - internal - remote - disk))
              summary={{{BashText.Template(BazelBuildLines.SummaryCounts("@SB_T@", "@SB_E@", "@SB_R@"), ("@SB_T@", "total"), ("@SB_E@", "executed"), ("@SB_R@", "remote"))}}}
            }

            task_bazel_build() {
              local display word i k applied names why last first hint seconds tenths
              start_log BazelBuild
              if [ ! -f "$serving_dir/WORKSPACE" ] && [ ! -f "$serving_dir/MODULE.bazel" ]; then
                fail {{{ExitCodes.Usage}}} {{{BashText.Template(BazelBuildLines.NoWorkspace("@SB_DIR@"), ("@SB_DIR@", "serving_dir"))}}}
              fi
              read_wanted
              if [ "$install_bazel" = 1 ]; then install_pinned_bazel; fi
              find_bazel
              if [ "$install_bazel" = 1 ]; then bazel_how={{{BashText.Single(BazelBuildLines.InstallBazelHow)}}}; fi
              say_found
              # Provision installs devtoolset on CentOS 7 for C++17; Bazel's C++ autoconfiguration reads CC.
              local dts_gcc="$SYSROOT/opt/rh/{{{dts}}}/root/usr/bin/gcc"
              if [ -z "${CC:-}" ] && [ -x "$dts_gcc" ]; then
                export CC="$dts_gcc"
                say "compiler: CC=$CC ({{{dts}}}, installed by Provision)"
              fi
              host_sizing
              build_args
              remote_rc
              display="$(shell_quote "$bazel_path")"
              for word in ${startup[@]+"${startup[@]}"} "${args[@]}"; do display="$display $(shell_quote "$word")"; done
              # Without .NET there is no forwarder: the URL's user-info is on Bazel's command line, but not on the console or in the log.
              if [ -n "$remote_secret" ]; then display="${display//"$remote_secret"/***}"; fi
              say "\$ $display"
              say "  (in $serving_dir)"
              raw_log="$logs/{{{BazelBuildStage.LogFileName}}}"
              binary="$serving_dir/{{{ServerBinary.RelativePath}}}"
              if [ "$dry_run" = 1 ]; then return 0; fi
              printf '%s\n' "\$ $display" > "$raw_log"
              attempt_file="$logs/.bazel-attempt.log"
              local started
              started="$(date +%s%N)"
              local attempt=1 autofix=0
              if [ "$auto_fix" = 1 ] || [ "$bundled" = 1 ]; then autofix=1; fi
              while :; do
                run_bazel
                if [ "$bazel_rc" -eq 0 ]; then
                  if [ ! -f "$binary" ]; then rm -f "$attempt_file"; fail {{{ExitCodes.StageFailed}}} {{{BashText.Template(BazelBuildLines.BinaryMissing("@SB_BIN@", "@SB_LOG@"), ("@SB_BIN@", "binary"), ("@SB_LOG@", "raw_log"))}}}; fi
                  summary_counts
                  tenths=$(( ( ($(date +%s%N) - started) / 1000000 + 50) / 100 ))
                  seconds="$((tenths / 10)).$((tenths % 10))"
                  if [ -n "$summary" ]; then
                    say {{{BashText.Template(BazelBuildLines.Finished("@SB_S@", "@SB_SUMMARY@"), ("@SB_S@", "seconds"), ("@SB_SUMMARY@", "summary"))}}}
                  else
                    say {{{BashText.Template(BazelBuildLines.Finished("@SB_S@", null), ("@SB_S@", "seconds"))}}}
                  fi
                  say {{{BashText.Template(BazelBuildLines.ServerBinaryLine("@SB_BIN@"), ("@SB_BIN@", "binary"))}}}
                  rm -f "$attempt_file"
                  export_binary
                  return 0
                fi
                diagnose "$attempt_file"
                for k in "${!diag_idx[@]}"; do
                  i=${diag_idx[$k]}
                  local name="${sig_names[$i]}" cause="${sig_causes[$i]}" fix="${sig_fixes[$i]}" evidence="${diag_evidence[$k]}"
                  say {{{BashText.Template(BazelBuildLines.Cause(sig, "@SB_EVIDENCE@"), [.. sigMap, ("@SB_EVIDENCE@", "evidence")])}}}
                  say {{{BashText.Template(BazelBuildLines.Fix(sig), sigMap)}}}
                done
                local fixable=()
                for i in ${diag_idx[@]+"${diag_idx[@]}"}; do
                  if [ -n "${sig_safe_fix[$i]}" ]; then fixable+=("$i"); fi
                done
                if [ "$autofix" = 1 ] && [ "$attempt" = 1 ] && [ ${#fixable[@]} -gt 0 ]; then
                  if [ "$auto_fix" = 0 ]; then say {{{BashText.Single(BazelBuildLines.BundledAutoFix)}}}; fi
                  applied=1
                  names=""
                  for i in "${fixable[@]}"; do
                    run_safe_fix "${sig_safe_fix[$i]}" || applied=0
                    names="$names, ${sig_names[$i]}"
                  done
                  if [ "$applied" = 1 ]; then
                    say {{{BashText.Single(BazelBuildLines.AutoFixApplied)}}}
                    printf '# --auto-fix applied %s; second attempt\n' "${names#, }" >> "$raw_log"
                    attempt=2
                    continue
                  fi
                fi
                why={{{BashText.Template(exitCode.Replace("0", "@SB_RC@", StringComparison.Ordinal), ("@SB_RC@", "bazel_rc"))}}}
                if [ ${#diag_idx[@]} -eq 0 ]; then
                  last="$(grep -a '^ERROR:' "$attempt_file" | tail -n 1 || true)"
                  if [ -z "$last" ] && [ -s "$attempt_file" ]; then last="$(tail -n 1 "$attempt_file")"; elif [ -z "$last" ]; then last="no output"; fi
                  last="$(trim "$last")"
                  rm -f "$attempt_file"
                  fail {{{ExitCodes.StageFailed}}} {{{BashText.Template(BazelBuildLines.FailedUnknown("@SB_WHY@", "@SB_LAST@", "@SB_LOG@"), ("@SB_WHY@", "why"), ("@SB_LAST@", "last"), ("@SB_LOG@", "raw_log"))}}}
                fi
                rm -f "$attempt_file"
                first=${diag_idx[0]}
                local name="${sig_names[$first]}" cause="${sig_causes[$first]}" fix="${sig_fixes[$first]}"
                if [ "$autofix" = 0 ] && [ -n "${sig_safe_fix[$first]}" ]; then
                  fail {{{ExitCodes.StageFailed}}} {{{BashText.Template(BazelBuildLines.FailedKnown("@SB_WHY@", sig, hintAutoFix: true, "@SB_LOG@"), [.. sigMap, ("@SB_WHY@", "why"), ("@SB_LOG@", "raw_log")])}}}
                fi
                fail {{{ExitCodes.StageFailed}}} {{{BashText.Template(BazelBuildLines.FailedKnown("@SB_WHY@", sig, hintAutoFix: false, "@SB_LOG@"), [.. sigMap, ("@SB_WHY@", "why"), ("@SB_LOG@", "raw_log")])}}}
              done
            }

            """;
    }

    /// <summary>The words OptionsShapingTheBinary takes, in its order, as the bash arrays that hold them.</summary>
    private static string ShapingWords()
    {
        var arrays = new Dictionary<string, string> { ["@SB_TFB@"] = "tf_bazel_opts", ["@SB_TFS@"] = "tf_build_opts", ["@SB_BAZEL_OPT@"] = "bazel_opts" };
        var env = new Dictionary<string, string?> { ["TF_SERVING_BAZEL_OPTIONS"] = "@SB_TFB@", ["TF_SERVING_BUILD_OPTIONS"] = "@SB_TFS@" };
        var words = BazelInvocation.OptionsShapingTheBinary(new BuildOptions { ServingDir = "/@SB_SERVING@", ProtosOut = "/@SB_PROTOS@", CacheDir = "/@SB_CACHE@", BazelOpts = ["@SB_BAZEL_OPT@"] }, env);
        if (words.Count != arrays.Count || words.Any(w => !arrays.ContainsKey(w)))
        {
            throw new InvalidOperationException("BazelInvocation.OptionsShapingTheBinary takes other inputs now; update HostScriptBuild.ShapingWords");
        }

        return string.Join(' ', words.Select(w => $"${{{arrays[w]}[@]+\"${{{arrays[w]}[@]}}\"}}"));
    }

    private static string CasePrefix(string prefix) =>
        prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? prefix + "*"
            : throw new InvalidOperationException($"option prefix {prefix} needs quoting in a case pattern");

    private static string Export()
    {
        var values = new Dictionary<string, string>
        {
            ["schema"] = ExportedServerManifest.Schema.ToString(CultureInfo.InvariantCulture),
            ["binary"] = "$(json_string " + BashText.Single(ExportedServerManifest.BinaryName) + ")",
            ["sha256"] = "$(json_string \"$sha\")",
            ["size"] = "$size",
            ["bazelVersion"] = "$(json_or_null \"$bazel_version\")",
            ["bazelOptions"] = "$options_json",
            ["servingCommit"] = "$(json_or_null \"$commit\")",
            ["servingVersion"] = "$(json_or_null \"$serving_version\")",
            ["glibc"] = "$(json_or_null \"$need_glibc\")",
            ["glibcxx"] = "$(json_or_null \"$need_glibcxx\")",
            ["centos7Compatible"] = "$compatible",
        };
        var keys = ExportedServerManifest.Keys;
        if (keys.Any(k => !values.ContainsKey(k)) || values.Keys.Any(k => !keys.Contains(k)))
        {
            throw new InvalidOperationException("ExportedServerManifest.Keys and the host script's manifest writer disagree");
        }

        var lines = new StringBuilder();
        for (var i = 0; i < keys.Count; i++)
        {
            lines.Append($"    printf '  \"%s\": %s{(i < keys.Count - 1 ? "," : "")}\\n' {keys[i]} \"{values[keys[i]]}\"\n");
        }

        return $$$"""
            # ---- the export: the binary (a real file, 0755) and its manifest into artifacts/{{{ExportedServerManifest.Folder}}}/ ----
            json_string() {
              local s="$1"
              # Unquoted on purpose: inside double quotes bash 4.2 and 4.3+ treat backslashes in the replacement differently.
              s=${s//\\/\\\\}
              s=${s//\"/\\\"}
              s=${s//$'\t'/\\t}
              s=${s//$'\n'/\\n}
              s=${s//$'\r'/\\r}
              printf '"%s"' "$s"
            }
            json_or_null() {
              if [ -n "$1" ]; then json_string "$1"; else printf 'null'; fi
            }
            # ServingVersion: version.h's MAJOR/MINOR/PATCH, the pip package's _VERSION, or the checkout's exact tag.
            serving_version_of() {
              local dir="$1" header line major="" minor="" patch="" v tag
              header="$dir/tensorflow_serving/model_servers/version.h"
              if [ -f "$header" ]; then
                local w1 w2 w3 rest
                while read -r w1 w2 w3 rest; do
                  if [ "$w1" = "#define" ] && [[ "$w3" =~ ^[0-9]+$ ]]; then
                    case "$w2" in *MAJOR*) major="$w3" ;; esac
                    case "$w2" in *MINOR*) minor="$w3" ;; esac
                    case "$w2" in *PATCH*) patch="$w3" ;; esac
                  fi
                done < "$header"
                if [ -n "$major" ] && [ -n "$minor" ] && [ -n "$patch" ]; then printf '%s' "$major.$minor.$patch"; return 0; fi
              fi
              local version_re='^[0-9]+\.[0-9]+(\.[0-9]+)?([-+].*)?$'
              if [ -f "$dir/tensorflow_serving/tools/pip_package/setup.py" ]; then
                while IFS= read -r line; do
                  line="$(trim "$line")"
                  if [[ "$line" == _VERSION*=* ]]; then
                    v="$(trim "${line#*=}")"
                    v="${v#[\"\']}"
                    v="${v%[\"\']}"
                    if [[ "$v" =~ $version_re ]]; then printf '%s' "$v"; return 0; fi
                  fi
                done < "$dir/tensorflow_serving/tools/pip_package/setup.py"
              fi
              if [ -e "$dir/.git" ] && command -v git > /dev/null 2>&1 && tag="$(git -C "$dir" describe --tags --exact-match HEAD 2>/dev/null)"; then
                tag="${tag#v}"
                if [[ "$tag" =~ $version_re ]]; then printf '%s' "$tag"; fi
              fi
              return 0
            }
            export_binary() {
              local dir="$artifacts/{{{ExportedServerManifest.Folder}}}" dest manifest tmp sha size commit="" serving_version need_glibc="" need_glibcxx=""
              local symbols="" compatible=false options_json="[]" n word
              dest="$dir/{{{ExportedServerManifest.BinaryName}}}"
              manifest="$dir/{{{ExportedServerManifest.FileName}}}"
              mkdir -p "$dir"
              for word in "$dest" "$manifest"; do
                if [ -L "$word" ] || { [ -e "$word" ] && [ ! -f "$word" ]; }; then
                  fail {{{ExitCodes.Usage}}} "$word is not a regular file; the toolkit replaces only regular files it can write: move it away and run BazelBuild again"
                fi
              done
              # Written beside the target, then renamed in: a reader sees the old file or the new one, never half.
              tmp="$dir/{{{Files.AtomicFile.TemporaryPrefix}}}$$"
              cp -- "$binary" "$tmp.bin"
              chmod 0755 "$tmp.bin"
              mv -f -- "$tmp.bin" "$dest"
              sha="$(sha256sum "$dest" | cut -d ' ' -f 1)"
              size="$(stat -c %s "$dest")"
              if command -v objdump > /dev/null 2>&1; then
                symbols="$(objdump -T "$dest" 2>/dev/null || true)"
              elif command -v readelf > /dev/null 2>&1; then
                symbols="$(readelf -V --wide "$dest" 2>/dev/null || true)"
              else
                say "note: neither objdump nor readelf is installed (binutils), so the manifest's glibc and glibcxx are null and centos7Compatible is false; yum install -y binutils and run BazelBuild again to fill them"
              fi
              if [ -n "$symbols" ]; then
                need_glibc="$(printf '%s\n' "$symbols" | grep -o 'GLIBC_[0-9][0-9.]*[0-9]' | sed 's/^GLIBC_//' | sort -u -V | tail -n 1 || true)"
                need_glibcxx="$(printf '%s\n' "$symbols" | grep -o 'GLIBCXX_[0-9][0-9.]*[0-9]' | sed 's/^GLIBCXX_//' | sort -u -V | tail -n 1 || true)"
                if [ -n "$need_glibc" ] && version_at_most "$need_glibc" {{{ExportedServerManifest.CentOs7Glibc}}} \
                  && { [ -z "$need_glibcxx" ] || version_at_most "$need_glibcxx" {{{ExportedServerManifest.CentOs7Glibcxx}}}; }; then
                  compatible=true
                fi
              fi
              if [ -e "$serving_dir/.git" ] && command -v git > /dev/null 2>&1; then
                commit="$(git -C "$serving_dir" rev-parse HEAD 2>/dev/null || true)"
              fi
              serving_version="$(serving_version_of "$serving_dir")"
              # The options that shape the binary (BazelInvocation.OptionsShapingTheBinary): where results are cached or sent is left out.
              local shaping=()
              for word in {{{ShapingWords()}}}; do
                case "$word" in
                  {{{string.Join('|', BazelInvocation.NotShapingPrefixes.Select(CasePrefix))}}}) ;;
                  *) shaping+=("$word") ;;
                esac
              done
              n=${#shaping[@]}
              if [ "$n" -gt 0 ]; then
                options_json="["
                for ((k = 0; k < n; k++)); do
                  options_json="$options_json"$'\n'"    $(json_string "${shaping[$k]}")"
                  if [ "$k" -lt $((n - 1)) ]; then options_json="$options_json,"; fi
                done
                options_json="$options_json"$'\n'"  ]"
              fi
              {
                printf '{\n'
            {{{lines}}}    printf '}\n'
              } > "$tmp.json"
              chmod 0644 "$tmp.json"
              mv -f -- "$tmp.json" "$manifest"
              say "exported $dest ($size bytes, sha256 $sha) with $manifest"
              if [ "$compatible" = false ] && [ -n "$need_glibc" ]; then
                warn "$dest needs GLIBC_$need_glibc${need_glibcxx:+ and GLIBCXX_$need_glibcxx}: it cannot run on CentOS 7 (GLIBC_{{{ExportedServerManifest.CentOs7Glibc}}}, GLIBCXX_{{{ExportedServerManifest.CentOs7Glibcxx}}})"
              fi
            }

            """;
    }
}
