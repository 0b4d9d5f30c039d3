namespace ServingBuild.Options;

/// <summary>One command-line option: its name, whether it takes a value, whether it repeats, and its help line.</summary>
public sealed record OptionSpec(string Name, string? ValueName, bool Repeatable, string Help)
{
    public bool IsFlag => ValueName is null;

    public string Usage => IsFlag ? $"--{Name}" : $"--{Name}={ValueName}";
}
