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

        var spec = OptionsParser.Specs.FirstOrDefault(s => s.Name == name)
            ?? throw new InvalidOperationException($"--{name} is not a toolkit option");
        return spec.IsFlag ? "flag" : spec.Repeatable ? "many" : "value";
    }

    private static string Usage(string name) =>
        OptionsParser.Specs.FirstOrDefault(s => s.Name == name)?.Usage ?? "--target=TASK";

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

    /// <summary>What the parser does with each host option's value: one line per option, none left out.</summary>
    private static readonly Dictionary<string, string> Assignment = new(StringComparer.Ordinal)
    {
        ["target"] = "target=\"$value\"; target_given=1",
        ["serving-dir"] = "serving_given=\"$value\"",
        ["bazel"] = "bazel_option=\"$value\"",
        ["bazel-opt"] = "bazel_opts+=(\"$value\")",
        ["jobs"] = "jobs=\"$value\"",
        ["cache-dir"] = "cache_dir=\"$value\"",
        ["remote-cache"] = "remote_cache=\"$value\"",
        ["distdir"] = """
            IFS=',' read -r -a parts <<< "$value,"
                  for part in ${parts[@]+"${parts[@]}"}; do distdir_given+=("$(trim "$part")"); done
            """,
        ["bazel-mirror"] = "bazel_mirror=\"$value\"",
    };

    private static string Assignments()
    {
        var s = new StringBuilder();
        foreach (var n in HostScript.HostOptions)
        {
            if (Kind(n) == "flag")
            {
                s.Append($"    {n}) flag_value \"$name\" \"$value\"; {n.Replace('-', '_')}=$flag ;;\n");
            }
            else if (Assignment.TryGetValue(n, out var code))
            {
                s.Append(code.Contains('\n', StringComparison.Ordinal) ? $"    {n})\n      {code}\n      ;;\n" : $"    {n}) {code} ;;\n");
            }
            else
            {
                throw new InvalidOperationException($"HostScript.HostOptions has --{n}, but HostScriptOptions does not say what the script does with its value");
            }
        }

        return s.ToString();
    }

    /// <summary>
    /// check_value: OptionsParser's rules for every value, in its words: not empty, not longer than
    /// OptionsParser.MaxValueLength, no control character and no bidirectional override (matched as UTF-8 bytes, so
    /// the host's locale does not matter).
    /// </summary>
    private static string CheckValue()
    {
        var names = HostScript.HostOptions.Where(n => n != "target").ToList();
        var empty = new StringBuilder();
        foreach (var n in names)
        {
            empty.Append($"      {n}) fail {ExitCodes.Usage} {BashText.Single(ParserMessage($"--{n}="))} ;;\n");
        }

        const string Sample = "jobs";
        string Generic(string message, string number, string placeholder)
        {
            var marked = message.Replace($"--{Sample} ", "--@SB_NAME@ ", StringComparison.Ordinal).Replace(number, placeholder, StringComparison.Ordinal);
            if (!marked.Contains("@SB_NAME@", StringComparison.Ordinal) || !marked.Contains(placeholder, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"OptionsParser's value message changed shape: {message}");
            }

            return marked;
        }

        var tooLong = Generic(ParserMessage($"--{Sample}=" + new string('1', OptionsParser.MaxValueLength + 1)), $"{OptionsParser.MaxValueLength + 1}", "@SB_LEN@");
        var control = Generic(ParserMessage($"--{Sample}=1\u0001"), "U+0001", "U+@SB_CODE@");
        var bidi = Enumerable.Range(0x202A, 5).Concat(Enumerable.Range(0x2066, 4)).ToList();
        foreach (var cp in bidi)
        {
            // Each one OptionsParser refuses, with the message above.
            if (ParserMessage($"--{Sample}=1{(char)cp}") != control.Replace("@SB_NAME@", Sample, StringComparison.Ordinal).Replace("@SB_CODE@", $"{cp:X4}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"OptionsParser no longer refuses U+{cp:X4} as a direction override");
            }
        }

        var bytes = string.Join(' ', bidi.Select(cp => "$'" + string.Concat(System.Text.Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)).Select(b => $"\\x{b:x2}")) + "'"));
        var codes = string.Join(' ', bidi.Select(cp => $"{cp:X4}"));
        var map = new[] { ("@SB_NAME@", "name"), ("@SB_LEN@", "len"), ("@SB_CODE@", "code") };
        return $$$"""
            bidi_chars=({{{bytes}}})
            bidi_codes=({{{codes}}})
            check_value() {
              local name="$1" value="$2" prefix code len i
              if [ -z "$value" ]; then
                case "$name" in
            {{{empty}}}    esac
              fi
              len=${#value}
              if [ "$len" -gt {{{OptionsParser.MaxValueLength}}} ]; then fail {{{ExitCodes.Usage}}} {{{BashText.Template(tooLong, map)}}}; fi
              prefix="${value%%[[:cntrl:]]*}"
              if [ "$prefix" != "$value" ]; then
                code="$(printf '%04X' "'${value:${#prefix}:1}")"
                fail {{{ExitCodes.Usage}}} {{{BashText.Template(control, map)}}}
              fi
              for i in "${!bidi_chars[@]}"; do
                if [[ "$value" == *"${bidi_chars[$i]}"* ]]; then
                  code="${bidi_codes[$i]}"
                  fail {{{ExitCodes.Usage}}} {{{BashText.Template(control, map)}}}
                fi
              done
            }
            """;
    }

    /// <summary>The message the entry point (EntryArguments, which reads --target) gives for these arguments.</summary>
    private static string EntryMessage(params string[] args)
    {
        try
        {
            EntryArguments.Parse(args, new ToolkitPaths("/nonexistent-servingbuild-root"), new Dictionary<string, string?> { ["HOME"] = "/nonexistent-home" });
        }
        catch (OptionsException ex)
        {
            return ex.Message;
        }

        throw new InvalidOperationException($"EntryArguments accepted {string.Join(' ', args)}; HostScript expected a message");
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
            target_given=0
            serving_given=""
            bazel_option=""
            bazel_opts=()
            install_bazel=0
            allow_bazel_mismatch=0
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
            var message = n == "target"
                ? EntryMessage($"--{n}")
                : ParserMessage($"--{n}");
            s.Append($"    {n}) fail {ExitCodes.Usage} {BashText.Single(message)} ;;\n");
        }

        s.Append($$$"""
              esac
            }
            {{{CheckValue()}}}
            given_twice() {
              case "$1" in

            """);
        foreach (var n in names.Where(n => Kind(n) != "many"))
        {
            var message = n == "target"
                ? EntryMessage($"--{n}=Doctor", $"--{n}=Doctor")
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
                  has_value=1
                  shift
                else
                  needs_value "$name"
                fi
              fi
              if [ "$has_value" = 1 ] && [ "$name" != target ]; then check_value "$name" "$value"; fi
              if [ "$kind" != many ]; then
                case "$seen" in
                  *" $name "*) given_twice "$name" ;;
                esac
                seen="$seen$name "
              fi
              case "$name" in
            {{{Assignments()}}}  esac
            done

            if [ "$target_given" = 1 ] && [ -z "$target" ]; then fail {{{ExitCodes.Usage}}} {{{BashText.Single(EntryMessage("--target="))}}}; fi
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
        var unknownTarget = EntryMessage($"--target={Value}");
        // How long a shown value may be: the entry point cuts a longer one and adds "...".
        var longTarget = new string('x', 1000);
        var shown = EntryMessage($"--target={longTarget}");
        var shownLimit = shown.Contains("x...'", StringComparison.Ordinal)
            ? shown.Split('\'')[1].Length - 3
            : throw new InvalidOperationException("the entry point no longer shortens an unknown target; update HostScriptOptions");
        var remoteTwice = AttachMessage("http://user:pw@cache.invalid/", "user:pw");
        var remoteBadInfo = AttachMessage("http://cache.invalid/", "user:p w");
        var remoteBadUrl = AttachMessage("http://", "user:pw");
        var remotePrefixes = badRemote[(badRemote.IndexOf("starting with ", StringComparison.Ordinal) + "starting with ".Length)..]
            .Split(", ", StringSplitOptions.TrimEntries);
        s.Append($$$"""
              __description) ;;
              *)
                # Shown as the entry point shows it: control characters as ?, at most {{{shownLimit}}} characters.
                value="${target//[[:cntrl:]]/?}"
                if [ ${#value} -gt {{{shownLimit}}} ]; then value="${value:0:{{{shownLimit}}}}..."; fi
                fail {{{ExitCodes.Usage}}} {{{BashText.Template(unknownTarget, (Value, "value"))}}}
                ;;
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
              # An absolute URL of those schemes (any case); http and https with a host without spaces.
              mirror_re='^([A-Za-z]+)://([^/?#]*)'
              [[ "$value" =~ $mirror_re ]] || fail {{{ExitCodes.Usage}}} {{{BashText.Template(mirrorNotUrl, (Value, "value"))}}}
              mirror_host="${BASH_REMATCH[2]}"
              case "$(printf '%s' "${BASH_REMATCH[1]}" | tr '[:upper:]' '[:lower:]')" in
                http|https)
                  if [ -z "$mirror_host" ] || [[ "$mirror_host" == *[[:space:]]* ]]; then fail {{{ExitCodes.Usage}}} {{{BashText.Template(mirrorNotUrl, (Value, "value"))}}}; fi
                  ;;
                file) ;;
                *) fail {{{ExitCodes.Usage}}} {{{BashText.Template(mirrorNotUrl, (Value, "value"))}}} ;;
              esac
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
