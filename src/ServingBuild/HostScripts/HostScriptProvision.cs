using System.Text;
using ServingBuild.BazelBuild;
using ServingBuild.Doctor;
using ServingBuild.Host;
using ServingBuild.Provision;

namespace ServingBuild.HostScripts;

/// <summary>
/// Doctor and Provision in the host script: the CentOS 7 plan's steps exactly as CentOs7Plan writes them (every
/// combination of devtoolset, vault and pinned Bazel the planner can ask for), chosen at run time the way
/// ProvisionPlanner chooses. The Bazel step changes shape with the version (BazelRelease.KindFor: the installer
/// before BazelRelease.PlainBinarySince, the plain binary from it on; `bazel --version` in the check from
/// BazelInstallStep.VersionOptionSince on), so it is written once per shape, each with a placeholder version of that
/// shape; bash picks the shape by comparing the pinned version with those same constants, puts the version in after
/// checking it is a Bazel version (BazelVersion.VersionPattern), and --bazel-mirror replaces the release base URL.
/// </summary>
internal static class HostScriptProvision
{
    internal const string PlaceholderSuffix = "-sbwanted";
    internal const string Architecture = "x86_64";

    /// <summary>The versions at which the Bazel step's text changes, in ascending order.</summary>
    internal static readonly IReadOnlyList<string> Boundaries = [BazelRelease.PlainBinarySince, BazelInstallStep.VersionOptionSince];

    /// <summary>One shape of the Bazel step: versions from <paramref name="From"/> (inclusive; null: the oldest) to the next boundary.</summary>
    internal sealed record Shape(int Number, string? From, string Placeholder);

    internal static IReadOnlyList<Shape> Shapes()
    {
        var shapes = new List<Shape> { new(1, null, "0.0.1" + PlaceholderSuffix) };
        for (var i = 0; i < Boundaries.Count; i++)
        {
            var parts = Boundaries[i].Split('.');
            if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            {
                throw new InvalidOperationException($"Bazel step boundary {Boundaries[i]} is not a plain release (a.b.c); the host script compares versions with plain releases only");
            }

            shapes.Add(new Shape(i + 2, Boundaries[i], $"{parts[0]}.{parts[1]}.{int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 1}{PlaceholderSuffix}"));
        }

        for (var i = 0; i < shapes.Count; i++)
        {
            var p = shapes[i].Placeholder;
            if (!BazelVersion.IsVersion(p) || (shapes[i].From is { } from && BazelVersion.IsBefore(p, from)) || (i + 1 < shapes.Count && !BazelVersion.IsBefore(p, shapes[i + 1].From!)))
            {
                throw new InvalidOperationException($"placeholder version {p} does not fall in its shape of the Bazel step");
            }
        }

        return shapes;
    }

    private sealed record Variant(bool Modern, bool Vault, int BazelShape, ProvisionPlan Plan)
    {
        public string Key => $"{(Modern ? 1 : 0)}{(Vault ? 1 : 0)}{BazelShape}";
    }

    private static string Fn(string id) => id.Replace('-', '_');

    private static string T(string text, params (string Placeholder, string Variable)[] map) => BashText.Template(text, map);

    public static string Render()
    {
        var shapes = Shapes();
        var variants = new List<Variant>();
        foreach (var modern in new[] { true, false })
        {
            foreach (var vault in new[] { true, false })
            {
                foreach (var shape in shapes.Select(sh => (Shape?)sh).Append(null))
                {
                    var plan = CentOs7Plan.Create(new PlanInputs
                    {
                        Profile = PlanProfile.Build,
                        NeedsModernCompiler = modern,
                        SkipVault = !vault,
                        WantedBazel = shape?.Placeholder,
                        Architecture = Architecture,
                    });
                    variants.Add(new Variant(modern, vault, shape?.Number ?? 0, plan));
                }
            }
        }

        // One function per step id; a step must read the same in every plan that holds it (the Bazel step: in every
        // plan of its shape).
        var steps = new Dictionary<string, ProvisionStep>(StringComparer.Ordinal);
        var bazelSteps = new SortedDictionary<int, ProvisionStep>();
        foreach (var variant in variants.Where(v => v.BazelShape > 0))
        {
            var bazel = variant.Plan.Steps.Single(Mentions);
            if (bazelSteps.TryGetValue(variant.BazelShape, out var known) && known != bazel)
            {
                throw new InvalidOperationException("the Bazel step differs between CentOS 7 plans of one shape; HostScript writes one template per shape");
            }

            bazelSteps[variant.BazelShape] = bazel;
        }

        foreach (var step in variants.SelectMany(v => v.Plan.Steps).Where(st => !Mentions(st)))
        {
            if (steps.TryGetValue(step.Id, out var known) && known != step)
            {
                throw new InvalidOperationException($"plan step '{step.Id}' differs between CentOS 7 plans; HostScript writes one function per step");
            }

            steps[step.Id] = step;
        }

        var s = new StringBuilder();
        s.Append($$$"""
            # ---- the CentOS 7 plan (CentOs7Plan), every step checked first ----
            probe_script=""
            IFS= read -r -d '' probe_script <<'SB_PROBE' || true
            {{{HostProbe.Script.TrimEnd('\n')}}}
            SB_PROBE

            """);

        foreach (var step in steps.Values)
        {
            s.Append(StepFunctions(step));
        }

        s.Append(BazelChoice(bazelSteps));

        s.Append("step_description() {\n  case \"$1\" in\n");
        foreach (var step in steps.Values)
        {
            s.Append($"    {step.Id}) printf '%s' {BashText.Single(step.Description)} ;;\n");
        }

        s.Append("    *) printf '%s' \"$bazel_description\" ;;\n  esac\n}\n");
        s.Append("step_check_head() {\n  case \"$1\" in\n");
        foreach (var step in steps.Values)
        {
            s.Append($"    {step.Id}) printf '%s' {BashText.Single(step.Check.Split('\n')[0])} ;;\n");
        }

        s.Append("    *) printf '%s' \"$bazel_check_head\" ;;\n  esac\n}\n");
        s.Append("step_has_missing_query() {\n  case \"$1\" in\n");
        var withQuery = steps.Values.Concat(bazelSteps.Values).Where(st => st.MissingQuery is not null).Select(st => st.Id).Distinct().ToList();
        s.Append(withQuery.Count > 0 ? $"    {string.Join('|', withQuery)}) return 0 ;;\n" : "");
        s.Append("    *) return 1 ;;\n  esac\n}\n\n");

        s.Append("# The plan ProvisionPlanner picks: devtoolset (modern), vault repos, pinned Bazel.\nselect_plan() {\n  plan_notes=()\n  case \"$modern$vault$bazel_shape\" in\n");
        foreach (var v in variants)
        {
            s.Append($"    {v.Key})\n");
            s.Append($"      plan_name={BashText.Single(v.Plan.Name)}\n");
            s.Append($"      plan_steps=({string.Join(' ', v.Plan.Steps.Select(st => st.Id))})\n");
            foreach (var note in v.Plan.Notes)
            {
                s.Append($"      plan_notes+=({BashText.Single(note)})\n");
            }

            s.Append("      ;;\n");
        }

        s.Append($$$"""
              esac
              if [ "$bazel_shape" != 0 ]; then
                local placeholder i
                placeholder="$(bazel_placeholder "$bazel_shape")"
                plan_name=${plan_name//"$placeholder"/"$wanted"}
                for i in ${plan_notes[@]+"${!plan_notes[@]}"}; do plan_notes[i]=${plan_notes[$i]//"$placeholder"/"$wanted"}; done
                eval "$(bazel_step_code "$bazel_shape")"
              fi
            }

            {{{ReadWanted()}}}
            # ProvisionPlanner.Inputs: the bundled workspace pins nothing; a checkout pinning Bazel 0.x builds with CentOS 7's gcc.
            plan_inputs() {
              wanted=""
              wanted_source=""
              if [ "$bundled" = 0 ]; then read_wanted; fi
              bazel_shape=0
              if [ -n "$wanted" ]; then bazel_shape="$(bazel_shape_of "$wanted")"; fi
              modern=1
              case "$wanted" in 0.*) modern=0 ;; esac
              vault=1
              if [ "$skip_vault" = 1 ]; then vault=0; fi
            }

            os_field() {
              [ -r "$SYSROOT/etc/os-release" ] || return 0
              awk -F= -v key="$1" '$1 == key { gsub(/"/, "", $2); print $2 }' "$SYSROOT/etc/os-release"
            }
            # 0 when this is a host the CentOS 7 plan is for.
            is_centos7() {
              local id version
              id="$(os_field ID)"
              version="$(os_field VERSION_ID)"
              [ "$id" = centos ] && case "$version" in 7|7.*) true ;; *) false ;; esac
            }

            # Steps' checks in order: fills step_status (present/MISSING) and missing_count.
            check_plan() {
              local id
              step_status=()
              missing_count=0
              for id in "${plan_steps[@]}"; do
                if "check_${id//-/_}" > /dev/null 2>&1; then
                  step_status+=(present)
                else
                  step_status+=(MISSING)
                  missing_count=$((missing_count + 1))
                fi
              done
            }

            task_provision() {
              local id i k n ran=0 skipped=0 rc last out tag os_name arch user_name uid step_count check_head log_hint
              start_log Provision
              plan_inputs
              if ! is_centos7; then
                fail {{{ExitCodes.Prerequisite}}} "no provisioning plan here for $(os_field ID) $(os_field VERSION_ID): where .NET cannot start, Provision runs the CentOS 7 plan; on another OS install the prerequisites by hand (README, Provision)"
              fi
              arch="$(uname -m)"
              if [ "$arch" != {{{Architecture}}} ]; then
                fail {{{ExitCodes.Prerequisite}}} "the host script carries the CentOS 7 plan for {{{Architecture}}}; this host is $arch: drive it from a machine with .NET: ./build.sh --target=Provision --build-host=user@this-host"
              fi
              select_plan
              os_name="$(os_field PRETTY_NAME)"
              user_name="$(id -un)"
              uid="$(id -u)"
              step_count=${#plan_steps[@]}
              say {{{T(PlanLines.Host(LocalExecutor.ThisMachine, "@SB_OS@", "@SB_ARCH@", "@SB_GLIBC@", "@SB_USER@"), ("@SB_OS@", "os_name"), ("@SB_ARCH@", "arch"), ("@SB_GLIBC@", "host_glibc"), ("@SB_USER@", "user_name"))}}}
              say {{{T(PlanLines.Plan("@SB_NAME@", "@SB_COUNT@"), ("@SB_NAME@", "plan_name"), ("@SB_COUNT@", "step_count"))}}}
              n=$step_count
              if [ "$dry_run" = 1 ]; then
                check_plan
                say {{{BashText.Single(PlanLines.DryRunHeader)}}}
                for i in "${!plan_steps[@]}"; do
                  id="${plan_steps[$i]}"
                  k=$((i + 1))
                  tag={{{T(PlanLines.Tag("@SB_I@", "@SB_N@"), ("@SB_I@", "k"), ("@SB_N@", "n"))}}}
                  if [ "${step_status[$i]}" = present ]; then
                    say {{{T(PlanLines.WouldSkip("@SB_TAG@", "@SB_ID@"), ("@SB_TAG@", "tag"), ("@SB_ID@", "id"))}}}
                  else
                    say {{{T(PlanLines.WouldRun("@SB_TAG@", "@SB_ID@"), ("@SB_TAG@", "tag"), ("@SB_ID@", "id"))}}}
                  fi
                done
                return 0
              fi
              if [ "$uid" != 0 ]; then
                check_plan
                if [ "$missing_count" -gt 0 ]; then
                  for i in "${!plan_steps[@]}"; do
                    if [ "${step_status[$i]}" = MISSING ]; then id="${plan_steps[$i]}"; break; fi
                  done
                  if command -v sudo > /dev/null 2>&1 && sudo -n true > /dev/null 2>&1; then
                    say "running the plan as root through sudo"
                    local again=()
                    for out in "${orig_args[@]}"; do
                      case "$out" in --target=*|--target) ;; *) again+=("$out") ;; esac
                    done
                    sudo -n -- env SERVINGBUILD_ROOT="$root" SERVINGBUILD_SYSROOT="$SYSROOT" SERVINGBUILD_HOST_GLIBC="$host_glibc" PATH="$PATH" \
                      bash "${BASH_SOURCE[0]}" --target=Provision ${again[@]+"${again[@]}"} || exit $?
                    return 0
                  fi
                  fail {{{ExitCodes.Prerequisite}}} {{{T(PlanLines.RootRequired(LocalExecutor.ThisMachine, "@SB_ID@", "@SB_USER@", "@SB_UID@"), ("@SB_ID@", "id"), ("@SB_USER@", "user_name"), ("@SB_UID@", "uid"))}}}
                fi
              fi
              mkdir -p "$logs"
              out="$logs/provision-step.out"
              log_hint={{{T(PlanLines.LogHint("@SB_LOG@"), ("@SB_LOG@", "task_log"))}}}
              i=0
              for id in "${plan_steps[@]}"; do
                i=$((i + 1))
                tag={{{T(PlanLines.Tag("@SB_I@", "@SB_N@"), ("@SB_I@", "i"), ("@SB_N@", "n"))}}}
                if "check_${id//-/_}" > /dev/null 2>&1; then
                  say {{{T(PlanLines.Skip("@SB_TAG@", "@SB_ID@"), ("@SB_TAG@", "tag"), ("@SB_ID@", "id"))}}}
                  skipped=$((skipped + 1))
                  continue
                fi
                last="$(step_description "$id")"
                say {{{T(PlanLines.Run("@SB_TAG@", "@SB_ID@", "@SB_DESCRIPTION@"), ("@SB_TAG@", "tag"), ("@SB_ID@", "id"), ("@SB_DESCRIPTION@", "last"))}}}
                set +e
                "action_${id//-/_}" 2>&1 | tee "$out" | while IFS= read -r line || [ -n "$line" ]; do say {{{T(PlanLines.Output("@SB_LINE@"), ("@SB_LINE@", "line"))}}}; done
                rc=${PIPESTATUS[0]}
                set -e
                if [ "$rc" -ne 0 ]; then
                  last="$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 || true)"
                  last="$(trim "${last:-no output}")"
                  rm -f "$out"
                  fail {{{ExitCodes.StageFailed}}} {{{T(PlanLines.StepFailed("@SB_ID@", LocalExecutor.ThisMachine, PlanLines.ExitCode("@SB_RC@"), "@SB_LAST@", "@SB_HINT@"), ("@SB_ID@", "id"), ("@SB_RC@", "rc"), ("@SB_LAST@", "last"), ("@SB_HINT@", "log_hint"))}}}
                fi
                rm -f "$out"
                if ! "check_${id//-/_}" > /dev/null 2>&1; then
                  check_head="$(step_check_head "$id")"
                  fail {{{ExitCodes.StageFailed}}} {{{T(PlanLines.CheckStillFails("@SB_ID@", LocalExecutor.ThisMachine, "@SB_HEAD@", "@SB_HINT@"), ("@SB_ID@", "id"), ("@SB_HEAD@", "check_head"), ("@SB_HINT@", "log_hint"))}}}
                fi
                ran=$((ran + 1))
              done
              say {{{T(PlanLines.Provisioned(LocalExecutor.ThisMachine, "@SB_RAN@", "@SB_SKIPPED@"), ("@SB_RAN@", "ran"), ("@SB_SKIPPED@", "skipped"))}}}
              for last in ${plan_notes[@]+"${plan_notes[@]}"}; do
                say {{{T(PlanLines.Note("@SB_NOTE@"), ("@SB_NOTE@", "last"))}}}
              done
            }

            # ---- Doctor: the host probe (HostProbe) and the plan's checks, as a table; changes nothing ----
            row_item=()
            row_status=()
            row_detail=()
            findings=()
            row() {
              row_item+=("$1")
              row_status+=("$2")
              row_detail+=("$3")
              if [ "${4:-0}" = 1 ]; then findings+=("$1"); fi
            }
            gib() {
              local tenths=$(( ($1 * 10 + 536870912) / 1073741824 ))
              printf '%d.%d GiB' $((tenths / 10)) $((tenths % 10))
            }
            last_version() {
              printf '%s\n' "$1" | grep -o '[0-9][0-9]*\(\.[0-9][0-9]*\)\{1,\}' | tail -n 1 || true
            }
            task_doctor() {
              local out line key value i iw=0 sw=6 dashes found_version
              local f_id="" f_version="" f_like="" f_pretty="" f_arch="" f_kernel="" f_glibc="" f_glibcxx="" f_cpus=0 f_mem=0 f_avail=0
              local f_disk_path="" f_disk_free=0 f_uid="" f_user="" f_sudo="" f_bazel_path="" f_bazel_line="" f_bazel_package=""
              start_log Doctor
              out="$(bash -c "$probe_script" 2>/dev/null)" || fail {{{ExitCodes.Prerequisite}}} "probing this machine failed; run bash -x on scripts/host/servingbuild-host.sh to see why"
              while IFS= read -r line; do
                key="${line%%=*}"
                value="$(trim "${line#*=}")"
                value="${value#\"}"
                value="${value%\"}"
                case "$key" in
                  os.ID) f_id="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" ;;
                  os.VERSION_ID) f_version="$value" ;;
                  os.ID_LIKE) f_like="$value" ;;
                  os.PRETTY_NAME) f_pretty="$value" ;;
                  arch) f_arch="$value" ;;
                  kernel) f_kernel="$value" ;;
                  glibc) f_glibc="$(last_version "$value")" ;;
                  glibcxx) f_glibcxx="$value" ;;
                  cpus) f_cpus="$value" ;;
                  mem_kib) f_mem=$((value * 1024)) ;;
                  mem_available_kib) f_avail=$((value * 1024)) ;;
                  disk_path) f_disk_path="$value" ;;
                  disk_free_kib) f_disk_free=$((value * 1024)) ;;
                  uid) f_uid="$value" ;;
                  user) f_user="$value" ;;
                  sudo) f_sudo="$value" ;;
                  bazel_path) f_bazel_path="$value" ;;
                  bazel_version) f_bazel_line="$value" ;;
                  bazel_package_version) f_bazel_package="$value" ;;
                esac
              done <<< "$out"
              plan_inputs
              local supported=0
              if is_centos7 && [ "$f_arch" = {{{Architecture}}} ]; then supported=1; fi
              row host "" "this machine"
              if [ "$supported" = 1 ]; then
                row os ok "${f_pretty:-$f_id $f_version} (ID=$f_id VERSION_ID=$f_version${f_like:+ ID_LIKE=$f_like})"
              else
                row os unsupported "${f_pretty:-$f_id $f_version} (ID=$f_id VERSION_ID=$f_version${f_like:+ ID_LIKE=$f_like}); where .NET cannot start, the host script carries the CentOS 7 ({{{Architecture}}}) plan only" 1
              fi
              row architecture "" "$f_arch, kernel $f_kernel"
              row glibc "" "${f_glibc:-unknown}"
              row "libstdc++" "" "${f_glibcxx:-not found}"
              row ".NET can start" no "needs glibc >= {{{HostFacts.DotnetMinimumGlibc}}} and GLIBCXX_{{{HostFacts.DotnetMinimumGlibcxx}}}; Doctor, Provision, BazelBuild and Clean run here through scripts/host/servingbuild-host.sh, the rest from a machine with .NET"
              row cpus "" "$f_cpus"
              local mem_total mem_avail disk_free disk_wanted
              mem_total="$(gib "$f_mem")"
              mem_avail="$(gib "$f_avail")"
              disk_free="$(gib "$f_disk_free")"
              disk_wanted="$(gib {{{HostFacts.WantedFreeDiskBytes}}})"
              if [ "$f_mem" -ge {{{DoctorReport.LowMemoryBytes}}} ]; then
                row memory ok {{{T(DoctorReport.MemoryOk("@SB_T@", "@SB_A@"), ("@SB_T@", "mem_total"), ("@SB_A@", "mem_avail"))}}}
              else
                row memory low {{{T(DoctorReport.MemoryLow("@SB_T@"), ("@SB_T@", "mem_total"))}}}
              fi
              if [ "$f_disk_free" -ge {{{HostFacts.WantedFreeDiskBytes}}} ]; then
                row "free disk" ok {{{T(DoctorReport.DiskOk("@SB_F@", "@SB_P@", "@SB_W@"), ("@SB_F@", "disk_free"), ("@SB_P@", "f_disk_path"), ("@SB_W@", "disk_wanted"))}}}
              else
                row "free disk" low {{{T(DoctorReport.DiskLow("@SB_F@", "@SB_P@", "@SB_W@"), ("@SB_F@", "disk_free"), ("@SB_P@", "f_disk_path"), ("@SB_W@", "disk_wanted"))}}} 1
              fi
              missing_count=0
              if [ "$supported" = 1 ]; then
                select_plan
                check_plan
              fi
              if [ "$f_uid" = 0 ]; then
                row root yes {{{T(DoctorReport.RootYes("@SB_U@"), ("@SB_U@", "f_user"))}}}
              elif [ "$f_sudo" = yes ]; then
                row root sudo {{{T(DoctorReport.RootSudo("@SB_U@"), ("@SB_U@", "f_user"))}}}
              else
                row root no {{{T(DoctorReport.RootNo("@SB_U@"), ("@SB_U@", "f_user"))}}} "$([ "$missing_count" -gt 0 ] && echo 1 || echo 0)"
              fi
              # The pin as BazelBuild reads it (the plan above leaves the bundled workspace's pin to the tests profile).
              read_wanted
              # The Bazel BazelBuild would use (BazelLocator): --bazel, $BAZEL, the pinned install, then PATH (the probe's).
              local f_bazel_how=PATH pinned="" root
              if [ -n "$bazel_option" ] || [ -n "${BAZEL:-}" ]; then
                if [ -n "$bazel_option" ]; then f_bazel_how="--bazel"; else f_bazel_how="\$BAZEL"; fi
                f_bazel_path="$(command -v "${bazel_option:-$BAZEL}" 2>/dev/null || true)"
                f_bazel_line=""
                f_bazel_package=""
                if [ -n "$f_bazel_path" ]; then f_bazel_line="$("$f_bazel_path" --version 2>/dev/null | head -n 1 || true)"; fi
              elif [ -n "$wanted" ]; then
                for root in {{{HostScriptBuild.ToolsRoots()}}}; do
                  if [ -f "$root/$wanted/bin/bazel" ] && grep -q '^sha256=' "$root/$wanted/{{{BazelInstaller.MarkerName}}}" 2> /dev/null; then
                    pinned="$wanted"
                    f_bazel_path="$root/$wanted/bin/bazel"
                    f_bazel_how={{{T(BazelLocator.PinnedHow("@SB_V@", "@SB_ROOT@"), ("@SB_V@", "wanted"), ("@SB_ROOT@", "root"))}}}
                    f_bazel_line="$("$f_bazel_path" --version 2>/dev/null | head -n 1 || true)"
                    f_bazel_package=""
                    break
                  fi
                done
              fi
              if [ -z "$f_bazel_path" ]; then
                row "bazel found" missing {{{BashText.Single(DoctorReport.BazelMissing(DoctorReport.NoBazelOnPath))}}} 1
              else
                if [ -z "$f_bazel_line" ]; then f_bazel_line={{{BashText.Single(DoctorReport.NoVersionPrinted)}}}; fi
                if [ -n "$f_bazel_package" ]; then
                  row "bazel found" ok {{{T(DoctorReport.BazelFound("@SB_P@", "@SB_L@", "@SB_K@", "@SB_H@"), ("@SB_P@", "f_bazel_path"), ("@SB_L@", "f_bazel_line"), ("@SB_K@", "f_bazel_package"), ("@SB_H@", "f_bazel_how"))}}}
                else
                  row "bazel found" ok {{{T(DoctorReport.BazelFound("@SB_P@", "@SB_L@", null, "@SB_H@"), ("@SB_P@", "f_bazel_path"), ("@SB_L@", "f_bazel_line"), ("@SB_H@", "f_bazel_how"))}}}
                fi
              fi
              if [ -z "$wanted" ]; then
                row "bazel wanted" "" {{{BashText.Single(DoctorReport.WantedNotPinned)}}}
              else
                found_version=""
                if [[ "$f_bazel_line" =~ [0-9]+\.[0-9]+\.[0-9]+ ]]; then found_version="${BASH_REMATCH[0]}"; fi
                if [ -z "$found_version" ] && [[ "$f_bazel_package" =~ ^([0-9]+:)?([0-9]+\.[0-9]+\.[0-9]+) ]]; then found_version="${BASH_REMATCH[2]}"; fi
                # A pinned install of the toolkit's own: its folder and marker name the version (releases before 1.0 have no --version).
                if [ -z "$found_version" ] && [ -n "$pinned" ]; then found_version="$pinned"; fi
                if [ "$found_version" = "$wanted" ]; then
                  row "bazel wanted" ok {{{T(DoctorReport.WantedOk("@SB_V@", "@SB_S@"), ("@SB_V@", "wanted"), ("@SB_S@", "wanted_source"))}}}
                else
                  if [ -z "$found_version" ]; then found_version={{{BashText.Single(DoctorReport.NoVersion)}}}; fi
                  row "bazel wanted" mismatch {{{T(DoctorReport.WantedMismatch("@SB_V@", "@SB_S@", "@SB_F@"), ("@SB_V@", "wanted"), ("@SB_S@", "wanted_source"), ("@SB_F@", "found_version"))}}} 1
                fi
              fi
              if [ "$supported" = 1 ]; then
                row plan "" "$plan_name"
                for i in "${!plan_steps[@]}"; do
                  key="${plan_steps[$i]}"
                  if [ "${step_status[$i]}" = present ]; then
                    row "$key" present "$(step_description "$key")"
                  elif step_has_missing_query "$key" && value="$("missing_${key//-/_}" 2>/dev/null | tr '\n' ' ')" && [ -n "$(trim "$value")" ]; then
                    value="$(trim "$value")"
                    row "$key" MISSING {{{T(DoctorReport.StepMissingPackages("@SB_V@"), ("@SB_V@", "value"))}}} 1
                  else
                    value="$(step_description "$key")"
                    row "$key" MISSING {{{T(DoctorReport.StepMissing("@SB_V@"), ("@SB_V@", "value"))}}} 1
                  fi
                done
              fi
              for i in "${!row_item[@]}"; do
                if [ ${#row_item[$i]} -gt "$iw" ]; then iw=${#row_item[$i]}; fi
                if [ ${#row_status[$i]} -gt "$sw" ]; then sw=${#row_status[$i]}; fi
              done
              say "$(printf '%-*s  %-*s  %s' "$iw" item "$sw" status detail)"
              printf -v dashes '%*s' "$iw" ''
              printf -v line '%*s' "$sw" ''
              say "${dashes// /-}  ${line// /-}  ------"
              for i in "${!row_item[@]}"; do
                say "$(printf '%-*s  %-*s  %s' "$iw" "${row_item[$i]}" "$sw" "${row_status[$i]}" "${row_detail[$i]}")"
              done
              if [ ${#findings[@]} -eq 0 ]; then
                say {{{BashText.Single(DoctorReport.AllGood)}}}
                return 0
              fi
              local joined
              joined="$(printf ', %s' "${findings[@]}")"
              local count=${#findings[@]}
              joined="${joined#, }"
              say {{{T(DoctorReport.Findings("@SB_N@", "@SB_J@"), ("@SB_N@", "count"), ("@SB_J@", "joined"))}}}
              task_log=""
              exit {{{ExitCodes.DoctorFindings}}}
            }

            """);
        return s.ToString();
    }

    /// <summary>
    /// read_wanted: the pin as WantedBazelVersion.Read finds it (.bazelversion, ENV BAZEL_VERSION in Dockerfile.devel,
    /// the WORKSPACE check), with its patterns converted to POSIX and its messages.
    /// </summary>
    private static string ReadWanted()
    {
        var version = PosixPattern.FromDotNet(BazelVersion.VersionPattern);
        var env = PosixPattern.FromDotNet(WantedBazelVersion.EnvPattern, out var envGroups);
        var check = PosixPattern.FromDotNet(WantedBazelVersion.WorkspaceCheckPattern, out var checkGroups);
        var code = new BazelVersionFileException("").ExitCode;
        var where = ("@SB_WHERE@", "where");
        var text = ("@SB_T@", "t");
        var call = ("@SB_CALL@", "call");
        return $$$"""
            # The version the checkout pins (WantedBazelVersion): .bazelversion, then ENV BAZEL_VERSION in Dockerfile.devel,
            # then the WORKSPACE's check.
            version_re={{{BashText.Single(version)}}}
            env_re={{{BashText.Single(env)}}}
            check_re={{{BashText.Single(check)}}}
            read_wanted() {
              wanted=""
              wanted_source=""
              local f="$serving_dir/.bazelversion" line n=0 t where call
              if [ -f "$f" ]; then
                while IFS= read -r line || [ -n "$line" ]; do
                  n=$((n + 1))
                  t="$(trim "$line")"
                  if [ -z "$t" ] || [[ "$t" == \#* ]]; then continue; fi
                  where="$f:$n"
                  [[ "$t" =~ $version_re ]] || fail {{{code}}} {{{BashText.Template(WantedBazelVersion.NotAVersionInBazelversion("@SB_WHERE@", "@SB_T@"), where, text)}}}
                  wanted="$t"
                  wanted_source="$f"
                  return 0
                done < "$f"
              fi
              f="$serving_dir/{{{WantedBazelVersion.DockerfileRelative}}}"
              if [ -f "$f" ]; then
                n=0
                while IFS= read -r line || [ -n "$line" ]; do
                  n=$((n + 1))
                  shopt -s nocasematch
                  if [[ "$line" =~ $env_re ]]; then
                    shopt -u nocasematch
                    t="${BASH_REMATCH[{{{envGroups["v"]}}}]}"
                    t="${t#"${t%%[!\"\']*}"}"
                    t="${t%"${t##*[!\"\']}"}"
                    where="$f:$n"
                    [[ "$t" =~ $version_re ]] || fail {{{code}}} {{{BashText.Template(WantedBazelVersion.NotAVersionInDockerfile("@SB_WHERE@", "@SB_T@"), where, text)}}}
                    wanted="$t"
                    wanted_source="$f:$n"
                    return 0
                  fi
                  shopt -u nocasematch
                done < "$f"
              fi
              f="$serving_dir/WORKSPACE"
              if [ -f "$f" ]; then
                n=0
                while IFS= read -r line || [ -n "$line" ]; do
                  n=$((n + 1))
                  line="${line%%#*}"
                  if [[ "$line" =~ $check_re ]]; then
                    call="${BASH_REMATCH[{{{checkGroups["call"]}}}]}"
                    t="${BASH_REMATCH[{{{checkGroups["v"]}}}]}"
                    where="$f:$n"
                    [[ "$t" =~ $version_re ]] || fail {{{code}}} {{{BashText.Template(WantedBazelVersion.NotAVersionInWorkspace("@SB_WHERE@", "@SB_CALL@", "@SB_T@"), where, call, text)}}}
                    wanted="$t"
                    wanted_source={{{BashText.Template(WantedBazelVersion.WorkspaceSource("@SB_WHERE@", "@SB_CALL@"), where, call)}}}
                    return 0
                  fi
                done < "$f"
              fi
            }

            """;
    }

    /// <summary>How the Bazel step names its folder's root: under $SYSROOT, inside double quotes.</summary>
    private const string SystemToolsWord = "$SYSROOT" + BazelLocator.SystemToolsRoot + "/";

    private static bool Mentions(ProvisionStep step) =>
        step.Check.Contains(PlaceholderSuffix, StringComparison.Ordinal) || step.Action.Contains(PlaceholderSuffix, StringComparison.Ordinal)
        || step.Description.Contains(PlaceholderSuffix, StringComparison.Ordinal);

    /// <summary>
    /// The Bazel step's templates (one per shape) and the bash that picks one: version_before, the same order as
    /// BazelVersion.IsBefore for a plain release (numbers first; with equal numbers a pre-release, -... or rc...,
    /// comes before), bazel_shape_of, bazel_placeholder and bazel_template.
    /// </summary>
    internal static string BazelChoice() => BazelChoice(new SortedDictionary<int, ProvisionStep>(Shapes().ToDictionary(
        sh => sh.Number, sh => CentOs7Plan.Create(new PlanInputs { WantedBazel = sh.Placeholder, Architecture = Architecture }).Steps.Single(Mentions))));

    private static string BazelChoice(SortedDictionary<int, ProvisionStep> bazelSteps)
    {
        var shapes = Shapes();
        var s = new StringBuilder();
        s.Append($"# The Bazel step, one template per shape (BazelInstallStep: the installer before {BazelRelease.PlainBinarySince}, then the plain binary).\n");
        s.Append("bazel_description=\"\"\nbazel_check_head=\"\"\n");
        foreach (var shape in shapes)
        {
            var step = bazelSteps[shape.Number];
            // Each URL is a bare word (ShellQuote leaves it unquoted), so bash puts the mirror in shell-quoted the same way.
            var bare = " " + BazelRelease.DownloadBase + "/";
            if (step.Action.Split(BazelRelease.DownloadBase).Length != step.Action.Split(bare).Length)
            {
                throw new InvalidOperationException("the Bazel step's release URL is not a bare word; --bazel-mirror could not replace its base safely");
            }

            // --install-bazel runs this step with another folder: every mention of the system folder is one word to swap.
            var mentions = (step.Check + step.Action).Split(BazelLocator.SystemToolsRoot).Length;
            if (mentions < 3 || mentions != (step.Check + step.Action).Split(SystemToolsWord).Length)
            {
                throw new InvalidOperationException($"the Bazel step names {BazelLocator.SystemToolsRoot} other than as {SystemToolsWord}; --install-bazel could not aim it at the tools cache");
            }

            s.Append($"bazel_step_{shape.Number}=\"\"\n");
            s.Append($"IFS= read -r -d '' bazel_step_{shape.Number} <<'SB_BAZEL_STEP' || true\n");
            s.Append(StepFunctions(step));
            s.Append($"bazel_description={BashText.Single(step.Description)}\n");
            s.Append($"bazel_check_head={BashText.Single(step.Check.Split('\n')[0])}\n");
            s.Append("SB_BAZEL_STEP\n");
        }

        s.Append($"release_base={BashText.Single(BazelRelease.DownloadBase)}\n");
        s.Append($"tools_word={BashText.Single(SystemToolsWord)}\n");
        s.Append($$$"""
            # The Bazel step's bash for $wanted in shape $1. $wanted passed version_re (digits, letters, dots, dashes):
            # inert in any quoting of the step's bash; the mirror replaces the base at the start of a bare URL word,
            # shell-quoted as ShellQuote would. With $2 (--install-bazel) the step's folder {{{BazelLocator.SystemToolsRoot}}}/<v> becomes
            # $bazel_install_root/<v>: the words stay variables, expanded when the step runs. Unquoted assignments with
            # quoted replacements: the same in bash 4.2 and 5.2 (no & expansion).
            bazel_step_code() {
              local placeholder code
              placeholder="$(bazel_placeholder "$1")"
              code="$(bazel_template "$1")"
              code=${code//"$placeholder"/"$wanted"}
              if [ -n "$bazel_mirror" ]; then code=${code//"$release_base"/"$(shell_quote "$bazel_mirror")"}; fi
              if [ "${2:-}" = install ]; then code=${code//"$tools_word"/'$bazel_install_root/'}; fi
              printf '%s' "$code"
            }

            """);
        s.Append("""
            # 0 when $1 is an older release than $2, a plain release a.b.c (BazelVersion.IsBefore).
            version_before() {
              local re='^([0-9]+)\.([0-9]+)\.([0-9]+)(.*)$' a b c rest x y z
              [[ "$1" =~ $re ]] || return 1
              a=$((10#${BASH_REMATCH[1]})); b=$((10#${BASH_REMATCH[2]})); c=$((10#${BASH_REMATCH[3]})); rest="${BASH_REMATCH[4]}"
              [[ "$2" =~ $re ]] || return 1
              x=$((10#${BASH_REMATCH[1]})); y=$((10#${BASH_REMATCH[2]})); z=$((10#${BASH_REMATCH[3]}))
              if [ "$a" -ne "$x" ]; then [ "$a" -lt "$x" ]; return; fi
              if [ "$b" -ne "$y" ]; then [ "$b" -lt "$y" ]; return; fi
              if [ "$c" -ne "$z" ]; then [ "$c" -lt "$z" ]; return; fi
              case "$rest" in -*|rc*) return 0 ;; *) return 1 ;; esac
            }
            # The shape of the Bazel step for a version (BazelRelease.KindFor, BazelInstallStep.VersionOptionSince).
            bazel_shape_of() {

            """);
        for (var i = shapes.Count - 1; i >= 1; i--)
        {
            s.Append($"  {(i == shapes.Count - 1 ? "if" : "elif")} ! version_before \"$1\" {BashText.Single(shapes[i].From!)}; then printf '%s' {shapes[i].Number}\n");
        }

        s.Append($"  else printf '%s' {shapes[0].Number}; fi\n}}\n");
        s.Append("bazel_placeholder() {\n  case \"$1\" in\n");
        foreach (var shape in shapes)
        {
            s.Append($"    {shape.Number}) printf '%s' {BashText.Single(shape.Placeholder)} ;;\n");
        }

        s.Append("  esac\n}\nbazel_template() {\n  case \"$1\" in\n");
        foreach (var shape in shapes)
        {
            s.Append($"    {shape.Number}) printf '%s' \"$bazel_step_{shape.Number}\" ;;\n");
        }

        s.Append("  esac\n}\n\n");
        return s.ToString();
    }

    private static string StepFunctions(ProvisionStep step) => StepFunctions(step, Fn(step.Id));

    internal static string StepFunctions(ProvisionStep step, string fn)
    {
        var s = new StringBuilder();
        s.Append($"# {step.Id}: {step.Description}\n");
        if (step.Why is not null)
        {
            s.Append($"# Why: {step.Why}\n");
        }

        s.Append($"check_{fn}() (\n{step.Check}\n)\n");
        s.Append($"action_{fn}() (\n{step.Action}\n)\n");
        if (step.MissingQuery is not null)
        {
            s.Append($"missing_{fn}() (\n{step.MissingQuery}\n)\n");
        }

        return s.ToString();
    }
}
