using System.Text;

namespace ServingBuild.Provision;

/// <summary>
/// The Script executor: the plan written as a standalone bash script for a host where .NET cannot start (CentOS 7).
/// The checks are kept, so the script is safe to run again; set -euo pipefail, a root check and an OS check at the
/// top. SERVINGBUILD_SYSROOT aims it at a folder instead of / (the tests run it that way).
/// </summary>
public static class ProvisionScript
{
    public static string Render(ProvisionPlan plan)
    {
        var s = new StringBuilder();
        void Line(string text = "") => s.Append(text).Append('\n');

        Line("#!/usr/bin/env bash");
        Line($"# Provision plan: {plan.Name}");
        Line("# Written by ServingBuild: ./build.sh --target=Provision --emit-script=FILE. Safe to run again: every step");
        Line("# checks first and is skipped when already satisfied. Run it as root (or with passwordless sudo).");
        Line("# SERVINGBUILD_SYSROOT=DIR aims the file changes at DIR instead of / (for tests); leave it unset on a real host.");
        Line("# The check and action bodies run in subshells on purpose: exit, cd and umask stay inside the step.");
        Line("# shellcheck disable=SC2234,SC2235");
        Line("set -euo pipefail");
        Line();
        if (plan.NeedsRoot)
        {
            Line("if [ \"$(id -u)\" -ne 0 ]; then");
            Line("  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then");
            Line("    exec sudo -n -- bash \"$0\" \"$@\"");
            Line("  fi");
            Line("  echo \"error: this script needs root or passwordless sudo; run it as root: sudo bash $0\" >&2");
            Line("  trap - EXIT");
            Line("  exit 3");
            Line("fi");
            Line();
        }

        Line("SYSROOT=\"${SERVINGBUILD_SYSROOT:-}\"");
        Line("current=\"start\"");
        Line("on_exit() {");
        Line("  local rc=$?");
        Line("  if [ \"$rc\" -ne 0 ]; then");
        Line("    echo \"error: provision step $current failed (exit $rc); fix the cause above and run this script again\" >&2");
        Line("  fi");
        Line("}");
        Line("trap on_exit EXIT");
        Line();
        Line("# Each step's check and action run in a subshell (a function body in parentheses), as the toolkit runs them.");
        Line("run_step() {");
        Line("  local tag=\"$1\" id=\"$2\" description=\"$3\" name=\"$4\"");
        Line("  current=\"$id\"");
        Line("  if \"check_$name\" >/dev/null 2>&1; then");
        Line("    echo \"$tag skip  $id: already satisfied\"");
        Line("    return 0");
        Line("  fi");
        Line("  echo \"$tag run   $id: $description\"");
        Line("  \"action_$name\"");
        Line("  if ! \"check_$name\" >/dev/null 2>&1; then");
        Line("    echo \"error: provision step $id ran but its check still fails\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("}");
        Line();
        Line("os_field() {");
        Line("  [ -r \"$SYSROOT/etc/os-release\" ] || return 0");
        Line("  awk -F= -v key=\"$1\" '$1 == key { gsub(/\"/, \"\", $2); print $2 }' \"$SYSROOT/etc/os-release\"");
        Line("}");
        Line("os_id=\"$(os_field ID)\"");
        Line("os_like=\"$(os_field ID_LIKE)\"");
        Line("os_version=\"$(os_field VERSION_ID)\"");
        var family = plan.OsId == "debian" ? "*\" debian \"*|*\" ubuntu \"*" : $"*\" {plan.OsId} \"*";
        Line("case \" $os_id $os_like \" in");
        Line($"  {family}) ;;");
        Line($"  *) echo \"error: this script is for {plan.Name}; this host is ${{os_id:-unknown}} ${{os_version}}\" >&2; trap - EXIT; exit 3 ;;");
        Line("esac");
        if (plan.OsVersionPrefix.Length > 0)
        {
            Line("case \"$os_version\" in");
            Line($"  {plan.OsVersionPrefix}|{plan.OsVersionPrefix}.*) ;;");
            Line($"  *) echo \"error: this script is for {plan.Name}; this host is $os_id $os_version\" >&2; trap - EXIT; exit 3 ;;");
            Line("esac");
        }

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var name = step.Id.Replace('-', '_');
            Line();
            Line($"# Step {i + 1}/{plan.Steps.Count}, {step.Id}: {step.Description}");
            if (step.Why is not null)
            {
                Line($"# Why: {step.Why}");
            }

            Line($"check_{name}() (");
            Line(step.Check);
            Line(")");
            Line($"action_{name}() (");
            Line(step.Action);
            Line(")");
            Line($"run_step \"[{i + 1}/{plan.Steps.Count}]\" {step.Id} \"{Escape(step.Description)}\" {name}");
        }

        foreach (var note in plan.Notes)
        {
            Line();
            Line($"echo \"note: {Escape(note)}\"");
        }

        Line();
        Line("current=\"done\"");
        Line($"echo \"provisioned: {Escape(plan.Name)}\"");
        return s.ToString();
    }

    /// <summary>Writes the script through the one atomic writer (never half-written), mode 0755.</summary>
    public static void Write(ProvisionPlan plan, string path) =>
        Files.AtomicFile.WriteAllText(path, Render(plan), (UnixFileMode)0b111_101_101);

    // Text inside a double-quoted echo: no expansion of $, `, " or \.
    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal);
}
