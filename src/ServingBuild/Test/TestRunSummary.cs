using System.Xml.Linq;

namespace ServingBuild.Test;

/// <summary>Counts read from the TRX files dotnet test writes; the last line of the Test task.</summary>
public sealed record TestRunSummary(int Passed, int Failed, int Skipped)
{
    public static TestRunSummary operator +(TestRunSummary a, TestRunSummary b) =>
        new(a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped);

    public static TestRunSummary FromTrx(string path)
    {
        var ns = XNamespace.Get("http://microsoft.com/schemas/VisualStudio/TeamTest/2010");
        var counters = XDocument.Load(path).Descendants(ns + "Counters").FirstOrDefault()
            ?? throw new ToolkitException($"{path}: no <Counters> element; the test run did not finish");
        int Read(string name) => int.TryParse(counters.Attribute(name)?.Value, out var v) ? v : 0;
        var failed = Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        return new TestRunSummary(Read("passed"), failed, Read("notExecuted"));
    }

    /// <summary>The line CI reads: "N passed, N failed" (", N skipped" when any were).</summary>
    public override string ToString() =>
        $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");
}
