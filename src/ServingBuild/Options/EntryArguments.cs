using ServingBuild.Tasks;

namespace ServingBuild.Options;

/// <summary>
/// What a user typed to ./build.sh, read once: Cake's own arguments (the target and how Cake shows the run)
/// apart from the toolkit's options, every one validated. Cake is then given only the Cake arguments, in a form
/// it cannot misread, and never sees a user's option or a word it would answer with its own error.
/// </summary>
public sealed record EntryArguments
{
    /// <summary>Cake's own arguments the entry point accepts; Cake's others (--debug, --dryrun, ...) are not offered.</summary>
    public static readonly IReadOnlyList<OptionSpec> CakeSpecs =
    [
        new("target", "TASK", false, "the task to run (default: Default)"),
        new("verbosity", "quiet|minimal|normal|verbose|diagnostic", false, "how much Cake itself prints"),
        new("description", null, false, "list the tasks with their descriptions"),
        new("tree", null, false, "show the task graph"),
        new("exclusive", null, false, "run the target alone, without the tasks it depends on"),
        new("help", null, false, "print this usage"),
    ];

    private static readonly string[] Verbosities = ["quiet", "minimal", "normal", "verbose", "diagnostic"];

    /// <summary>The task to run, spelled as the registry spells it.</summary>
    public required string Target { get; init; }

    /// <summary>What Cake is given, one argument each (canonical --name=value forms of <see cref="CakeSpecs"/>).</summary>
    public required IReadOnlyList<string> CakeArguments { get; init; }

    /// <summary>The toolkit's options, validated.</summary>
    public required BuildOptions Options { get; init; }

    /// <summary>--help was given: print <see cref="Usage"/> and run nothing.</summary>
    public bool Help { get; init; }

    public static EntryArguments Parse(IReadOnlyList<string> args, ToolkitPaths paths, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var cake = new Dictionary<string, string?>(StringComparer.Ordinal);
        var toolkit = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                // A bare word is never an option; the usual slip is a task name without --target=.
                var task = StageCatalog.Find(arg);
                throw new OptionsException(task is not null
                    ? $"unexpected argument '{arg}'; to run that task write --target={task.Name}"
                    : $"unexpected argument '{Shorten(arg)}'; options look like --name=value (./build.sh --help, or README.md, Options)");
            }

            var eq = arg.IndexOf('=');
            var name = (eq < 0 ? arg[2..] : arg[2..eq]).ToLowerInvariant();
            var spec = CakeSpecs.FirstOrDefault(s => s.Name == name);
            if (spec is null)
            {
                // A toolkit option; `--name value` keeps its value next to it.
                toolkit.Add(arg);
                if (eq < 0 && OptionsParser.Specs.FirstOrDefault(s => s.Name == name) is { IsFlag: false }
                    && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    toolkit.Add(args[++i]);
                }

                continue;
            }

            string? value = eq < 0 ? null : arg[(eq + 1)..];
            if (value is null && !spec.IsFlag)
            {
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                else
                {
                    throw new OptionsException($"--{name} needs a value: {spec.Usage}" + (name == "target" ? $" with one of {StageCatalog.Names}" : ""));
                }
            }

            if (!cake.TryAdd(name, value))
            {
                throw new OptionsException($"--{name} was given twice; give it once ({spec.Usage})");
            }
        }

        var target = StageCatalog.DefaultTask;
        if (cake.TryGetValue("target", out var targetText))
        {
            target = targetText switch
            {
                null or "" => throw new OptionsException($"--target is empty; name a task: --target=TASK with one of {StageCatalog.Names}"),
                _ => StageCatalog.Find(targetText)?.Name
                    ?? throw new OptionsException($"unknown target '{Shorten(targetText)}'; valid targets: {StageCatalog.Names}"),
            };
        }

        var cakeArguments = new List<string> { "--target=" + target };
        if (cake.TryGetValue("verbosity", out var verbosity))
        {
            var level = Verbosities.FirstOrDefault(v => string.Equals(v, verbosity, StringComparison.OrdinalIgnoreCase))
                ?? throw new OptionsException($"--verbosity={Shorten(verbosity ?? "")}: expected one of {string.Join(", ", Verbosities)}");
            cakeArguments.Add("--verbosity=" + level);
        }

        var help = false;
        foreach (var flag in CakeSpecs.Where(s => s.IsFlag))
        {
            if (cake.TryGetValue(flag.Name, out var text) && IsOn(flag.Name, text))
            {
                if (flag.Name == "help")
                {
                    help = true;
                }
                else
                {
                    cakeArguments.Add("--" + flag.Name);
                }
            }
        }

        return new EntryArguments
        {
            Target = target,
            CakeArguments = cakeArguments,
            Options = OptionsParser.Parse(toolkit, paths, environment),
            Help = help,
        };
    }

    /// <summary>What --help prints: the tasks from the registry, then Cake's arguments and the toolkit's options.</summary>
    public static string Usage()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("usage: ./build.sh [--target=TASK] [--option=value ...]   (README.md has the details)");
        text.AppendLine();
        text.AppendLine("tasks:");
        foreach (var task in StageCatalog.Tasks)
        {
            text.AppendLine($"  {task.Name,-12} {task.Description}");
        }

        text.AppendLine();
        text.AppendLine("options:");
        foreach (var spec in CakeSpecs.Concat(OptionsParser.Specs))
        {
            text.AppendLine($"  {spec.Usage,-34} {spec.Help}");
        }

        return text.ToString();
    }

    private static bool IsOn(string name, string? text) => text switch
    {
        null or "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        "" => throw new OptionsException($"--{name}= has an empty value; write --{name} alone"),
        _ => throw new OptionsException($"--{name}={Shorten(text)}: expected true or false (or just --{name})"),
    };

    private static string Shorten(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 80 ? clean[..80] + "..." : clean;
    }
}
