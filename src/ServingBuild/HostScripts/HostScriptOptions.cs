using System.Text;
using ServingBuild.Options;
using ServingBuild.Tasks;

namespace ServingBuild.HostScripts;

/// <summary>
/// The host script's command line: the same option names and value rules as OptionsParser, and its messages,
/// taken from OptionsParser itself by parsing placeholder values.
/// </summary>
internal static class HostScriptOptions
{
    private const string Value = "@SB_VALUE@";

    /// <summary>How an option takes its value on the host.</summary>
    private static string Kind(string name)
    {
        if (name == "target")
        {
            return "value";
        }

        var spec = OptionsParser.Specs.FirstOrDefault(s => s.Name == name);
        if (spec is null)
        {
            // --bazel-mirror=URL is added to the C# parser by another change; until then it is a plain value here.
            return name == "bazel-mirror" ? "value" : throw new InvalidOperationException($"--{name} is not a toolkit option");
        }

        return spec.IsFlag ? "flag" : spec.Repeatable ? "many" : "value";
    }

    private static string Usage(string name) =>
        OptionsParser.Specs.FirstOrDefault(s => s.Name == name)?.Usage ?? (name == "target" ? "--target=TASK" : $"--{name}=URL");

    /// <summary>The message OptionsParser gives for these arguments (placeholders in, placeholders out).</summary>
    internal static string ParserMessage(params string[] args)
    {
        try
        {
            OptionsParser.Parse(args, new ToolkitPaths("/nonexistent-servingbuild-root"), new Dictionary<string, string?> { ["HOME"] = "/nonexistent-home" });
        }
        catch (OptionsException ex)
        {
            return ex.Message;
        }

        throw new InvalidOperationException($"OptionsParser accepted {string.Join(' ', args)}; HostScript expected a message");
    }

    /// <summary>The message RemoteCacheUserInfo gives for this URL and variable.</summary>
    private static string AttachMessage(string url, string info)
    {
        try
        {
            RemoteCacheUserInfo.Attach(url, new Dictionary<string, string?> { [RemoteCacheUserInfo.Variable] = info });
        }
        catch (OptionsException ex)
        {
            return ex.Message;
        }

        throw new InvalidOperationException($"RemoteCacheUserInfo accepted {url}; HostScript expected a message");
    }

    public static string Render()
    {
        var names = HostScript.HostOptions;
        var supported = string.Join(", ", names.Select(Usage)) + ", --description";
        var tasks = StageCatalog.Stages.Select(s => s.Name).Append("Default").ToList();
        var s = new StringBuilder();
        s.Append($$$"""
            # ---- command line: the options OptionsParser knows, those that make sense without .NET ----
            orig_args=("$@")
            target=""
            serving_given=""
            bazel_option=""
            bazel_opts=()
            jobs=""
            cache_dir=""
            remote_cache=""
            distdirs=()
            distdir_given=()
            auto_fix=0
            dry_run=0
            bazel_mirror=""
            skip_vault=0
            verbose=0
            seen=" "

            flag_value() {
              case "$2" in
                ""|true|1|yes) flag=1 ;;
                false|0|no) flag=0 ;;
                *)
                  local name="$1" value="$2"
                  case "$name" in

            """);
        foreach (var n in names.Where(n => Kind(n) == "flag"))
        {
            s.Append($"          {n}) fail {ExitCodes.Usage} {BashText.Template(ParserMessage($"--{n}={Value}"), (Value, "value"))} ;;\n");
        }

        s.Append($$$"""
                  esac
                  ;;
              esac
            }
            needs_value() {
              case "$1" in

            """);
        foreach (var n in names.Where(n => Kind(n) != "flag"))
        {
            var message = n is "target" or "bazel-mirror" && OptionsParser.Specs.All(sp => sp.Name != n)
                ? $"--{n} needs a value: {Usage(n)}"
                : ParserMessage($"--{n}");
            s.Append($"    {n}) fail {ExitCodes.Usage} {BashText.Single(message)} ;;\n");
        }

        s.Append($$$"""
              esac
            }
            given_twice() {
              case "$1" in

            """);
        foreach (var n in names.Where(n => Kind(n) != "many"))
        {
            var message = n is "target" or "bazel-mirror" && OptionsParser.Specs.All(sp => sp.Name != n)
                ? $"--{n} was given twice; give it once ({Usage(n)})"
                : ParserMessage($"--{n}={(Kind(n) == "flag" ? "true" : "1")}", $"--{n}={(Kind(n) == "flag" ? "true" : "1")}");
            s.Append($"    {n}) fail {ExitCodes.Usage} {BashText.Single(message)} ;;\n");
        }

        var unexpected = ParserMessage(Value);
        s.Append($$$"""
              esac
            }

            while [ $# -gt 0 ]; do
              arg="$1"
              shift
              case "$arg" in
                --?*) ;;
                *) value="$arg"; fail {{{ExitCodes.Usage}}} {{{BashText.Template(unexpected, (Value, "value"))}}} ;;
              esac
              name="${arg#--}"
              value=""
              has_value=0
              case "$name" in
                *=*) value="${name#*=}"; name="${name%%=*}"; has_value=1 ;;
              esac
              name="$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')"
              case "$name" in
                description|showdescription|help) target="__description" ; continue ;;
                {{{string.Join('|', names.Where(n => Kind(n) == "flag"))}}}) kind=flag ;;
                {{{string.Join('|', names.Where(n => Kind(n) == "value"))}}}) kind=value ;;
                {{{string.Join('|', names.Where(n => Kind(n) == "many"))}}}) kind=many ;;
                *) fail {{{ExitCodes.Usage}}} "--$name is not supported on this host, where .NET cannot start (glibc $host_glibc); supported here: {{{supported}}} (README.md, CentOS 7 build hosts)" ;;
              esac
              if [ "$has_value" = 0 ] && [ "$kind" != flag ]; then
                if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
                  value="$1"
                  shift
                else
                  needs_value "$name"
                fi
              fi
              if [ "$kind" != many ]; then
                case "$seen" in
                  *" $name "*) given_twice "$name" ;;
                esac
                seen="$seen$name "
              fi
              case "$name" in
                target) target="$value" ;;
                serving-dir) serving_given="$value" ;;
                bazel) bazel_option="$value" ;;
                bazel-opt) bazel_opts+=("$value") ;;
                jobs) jobs="$value" ;;
                cache-dir) cache_dir="$value" ;;
                remote-cache) remote_cache="$value" ;;
                distdir)
                  IFS=',' read -r -a parts <<< "$value,"
                  for part in ${parts[@]+"${parts[@]}"}; do distdir_given+=("$(trim "$part")"); done
                  ;;
                bazel-mirror) bazel_mirror="$value" ;;
                auto-fix) flag_value "$name" "$value"; auto_fix=$flag ;;
                dry-run) flag_value "$name" "$value"; dry_run=$flag ;;
                skip-vault) flag_value "$name" "$value"; skip_vault=$flag ;;
                verbose) flag_value "$name" "$value"; verbose=$flag ;;
              esac
            done

            case "$(printf '%s' "${target:-Default}" | tr '[:upper:]' '[:lower:]')" in

            """);
        foreach (var t in tasks)
        {
            s.Append($"  {t.ToLowerInvariant()}) target={t} ;;\n");
        }

        var missingDir = ParserMessage($"--serving-dir=/{Value}").Replace($"=/{Value}:", "=@SB_GIVEN@:", StringComparison.Ordinal).Replace($"(/{Value})", "(@SB_FULL@)", StringComparison.Ordinal);
        var missingDistdir = ParserMessage($"--distdir=/{Value}").Replace($"=/{Value}:", "=@SB_GIVEN@:", StringComparison.Ordinal).Replace($"(/{Value})", "(@SB_FULL@)", StringComparison.Ordinal);
        var emptyDistdir = ParserMessage("--distdir=");
        var missingBazel = ParserMessage($"--bazel=/{Value}/bazel").Replace($"=/{Value}/bazel:", "=@SB_GIVEN@:", StringComparison.Ordinal).Replace($"(/{Value}/bazel)", "(@SB_FULL@)", StringComparison.Ordinal);
        var badJobs = ParserMessage($"--jobs={Value}");
        var mirrorNotUrl = ParserMessage($"--bazel-mirror={Value}");
        var mirrorCredentials = ParserMessage("--bazel-mirror=https://user:pw@mirror.invalid/bazel");
        var mirrorNotPlain = ParserMessage($"--bazel-mirror=https://mirror.invalid/{Value}?q");
        mirrorNotPlain = mirrorNotPlain.Replace($"https://mirror.invalid/{Value}?q", Value, StringComparison.Ordinal);
        var badRemote = ParserMessage($"--remote-cache={Value}");
        var remoteTwice = AttachMessage("http://user:pw@cache.invalid/", "user:pw");
        var remoteBadInfo = AttachMessage("http://cache.invalid/", "user:p w");
        var remoteBadUrl = AttachMessage("http://", "user:pw");
        var remotePrefixes = badRemote[(badRemote.IndexOf("starting with ", StringComparison.Ordinal) + "starting with ".Length)..]
            .Split(", ", StringSplitOptions.TrimEntries);
        s.Append($$$"""
              __description) ;;
              *) fail {{{ExitCodes.Usage}}} "unknown target '$target'; valid targets: {{{string.Join(", ", tasks)}}}" ;;
            esac

            # Values, checked as OptionsParser checks them (relative paths are taken from the toolkit root, where build.sh runs).
            bundled=0
            if [ -z "$serving_given" ]; then
              bundled=1
              serving_dir="$root/tests/serving-mini"
            else
              full="$(absolute "$serving_given")"
              given="$serving_given"
              [ -d "$full" ] || fail {{{ExitCodes.Usage}}} {{{BashText.Template(missingDir, ("@SB_GIVEN@", "given"), ("@SB_FULL@", "full"))}}}
              serving_dir="$(cd "$full" && pwd)"
            fi
            if [ -n "$jobs" ]; then
              value="$jobs"
              if ! [[ "$jobs" =~ ^[0-9]+$ ]] || [ "$((10#$jobs))" -eq 0 ]; then fail {{{ExitCodes.Usage}}} {{{BashText.Template(badJobs, (Value, "value"))}}}; fi
              jobs="$((10#$jobs))"
            fi
            if [ -n "$remote_cache" ]; then
              value="$remote_cache"
              case "$(printf '%s' "$remote_cache" | tr '[:upper:]' '[:lower:]')" in
                {{{string.Join('|', remotePrefixes.Select(p => p + "*"))}}}) ;;
                *) fail {{{ExitCodes.Usage}}} {{{BashText.Template(badRemote, (Value, "value"))}}} ;;
              esac
            fi
            # build.sh moved --remote-cache's user:password@ out of the command line into this variable (README, Remote
            # cache); it goes back into the URL here, checked as RemoteCacheUserInfo.Attach checks it, and no child inherits it.
            remote_info="${{{{RemoteCacheUserInfo.Variable}}}:-}"
            unset {{{RemoteCacheUserInfo.Variable}}}
            if [ -n "$remote_cache" ] && [ -n "$remote_info" ]; then
              info_re='^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@'
              [[ ! "$remote_cache" =~ $info_re ]] || fail {{{ExitCodes.Usage}}} {{{BashText.Single(remoteTwice)}}}
              info_re='[][:space:][:cntrl:]/?#@\"<>`^{}|]|%([^0-9A-Fa-f]|[0-9A-Fa-f]([^0-9A-Fa-f]|$)|$)'
              [[ ! "$remote_info" =~ $info_re ]] || fail {{{ExitCodes.Usage}}} {{{BashText.Single(remoteBadInfo)}}}
              info_re='^[^/?#@]+'
              [[ "${remote_cache#*://}" =~ $info_re ]] || fail {{{ExitCodes.Usage}}} {{{BashText.Single(remoteBadUrl)}}}
              remote_cache="${remote_cache%%://*}://$remote_info@${remote_cache#*://}"
            fi
            remote_secret=""
            info_re='^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)@'
            if [[ "$remote_cache" =~ $info_re ]]; then remote_secret="${BASH_REMATCH[1]}"; fi
            if [ -n "$bazel_option" ] && [[ "$bazel_option" == */* ]]; then
              given="$bazel_option"
              full="$(absolute "$bazel_option")"
              [ -f "$full" ] || fail {{{ExitCodes.Usage}}} {{{BashText.Template(missingBazel, ("@SB_GIVEN@", "given"), ("@SB_FULL@", "full"))}}}
              bazel_option="$full"
            fi
            for given in ${distdir_given[@]+"${distdir_given[@]}"}; do
              [ -n "$given" ] || fail {{{ExitCodes.Usage}}} {{{BashText.Single(emptyDistdir)}}}
              full="$(absolute "$given")"
              [ -d "$full" ] || fail {{{ExitCodes.Usage}}} {{{BashText.Template(missingDistdir, ("@SB_GIVEN@", "given"), ("@SB_FULL@", "full"))}}}
              distdirs+=("$full")
            done
            if [ -z "$cache_dir" ]; then
              if [ -n "${XDG_CACHE_HOME:-}" ]; then cache_dir="$XDG_CACHE_HOME/servingbuild"; else cache_dir="${HOME:-/root}/.cache/servingbuild"; fi
            fi
            cache_dir="$(absolute "$cache_dir")"
            if [ -n "$bazel_mirror" ]; then
              # OptionsParser's rules: an http, https or file URL, no credentials, a plain folder (no query, fragment,
              # quotes, $, backquote or spaces).
              value="$bazel_mirror"
              mirror_re='^(https?|file)://[^[:space:]]*$'
              [[ "$value" =~ $mirror_re ]] || fail {{{ExitCodes.Usage}}} {{{BashText.Template(mirrorNotUrl, (Value, "value"))}}}
              mirror_re='^[A-Za-z]+://[^/]*@'
              if [[ "$value" =~ $mirror_re ]]; then fail {{{ExitCodes.Usage}}} {{{BashText.Single(mirrorCredentials)}}}; fi
              case "$value" in
                *[\?#\'\"\`\$[:space:]]*) fail {{{ExitCodes.Usage}}} {{{BashText.Template(mirrorNotPlain, (Value, "value"))}}} ;;
              esac
              while [[ "$bazel_mirror" == */ ]]; do bazel_mirror="${bazel_mirror%/}"; done
            fi

            """);
        return s.ToString();
    }
}
