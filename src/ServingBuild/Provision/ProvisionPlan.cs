using System.Text;

namespace ServingBuild.Provision;

/// <summary>An ordered list of steps for one kind of host, with the notes a user should read after it runs.</summary>
public sealed record ProvisionPlan(string Name, IReadOnlyList<ProvisionStep> Steps)
{
    /// <summary>os-release ID and VERSION_ID prefix the plan is written for (the emitted script checks them).</summary>
    public required string OsId { get; init; }

    public required string OsVersionPrefix { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    public bool NeedsRoot => Steps.Any(s => s.NeedsRoot);

    /// <summary>The plan as text: what --dry-run prints and what the golden fixture holds.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("plan: ").Append(Name).Append('\n');
        text.Append("($SYSROOT is $SERVINGBUILD_SYSROOT: empty on a real host, a folder standing in for / in tests)\n");
        for (var i = 0; i < Steps.Count; i++)
        {
            var s = Steps[i];
            text.Append('\n');
            text.Append($"step {i + 1}/{Steps.Count}: {s.Id}{(s.NeedsRoot ? " (needs root)" : "")}\n");
            text.Append("  description: ").Append(s.Description).Append('\n');
            if (s.Why is not null)
            {
                text.Append("  why: ").Append(s.Why).Append('\n');
            }

            AppendBlock(text, "check", s.Check);
            AppendBlock(text, "action", s.Action);
        }

        foreach (var note in Notes)
        {
            text.Append("\nnote: ").Append(note).Append('\n');
        }

        return text.ToString();
    }

    private static void AppendBlock(StringBuilder text, string label, string body)
    {
        text.Append("  ").Append(label).Append(":\n");
        foreach (var line in body.Split('\n'))
        {
            text.Append("    ").Append(line).Append('\n');
        }
    }
}
