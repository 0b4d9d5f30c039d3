using ServingBuild.Protos;
using ServingBuild.Stubs;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Files;

/// <summary>Every JSON file in the one style, and the files earlier toolkits wrote still read.</summary>
public sealed class ToolkitJsonTests
{
    [Fact]
    public void The_committed_lock_reads_and_is_written_back_the_same_but_for_the_outputs_root()
    {
        var protos = Path.Combine(TestPaths.Root, "protos");
        var committed = File.ReadAllText(Path.Combine(protos, ProtosLock.FileName));

        var written = ProtosLock.Read(protos)!.ToJson();

        // The hand-rolled writer left "root" out of outputs; the generated one writes it (0, which reads the same).
        Assert.Equal(WithoutRootZero(committed), WithoutRootZero(written));
        using var dir = new TempDir();
        dir.Write(ProtosLock.FileName, written);
        Assert.Equal(written, ProtosLock.Read(dir.Path)!.ToJson());
    }

    [Fact]
    public void The_lock_keeps_base64_plus_and_slash_unescaped()
    {
        var written = ToolkitCopyLock() with { Descriptors = "ab+/cd==" };
        Assert.Contains("\"descriptors\": \"ab+/cd==\"", written.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stamp_written_before_the_one_style_pascal_case_still_reads()
    {
        using var dir = new TempDir();
        var path = dir.Write("stamp.json", "{\n  \"InputsHash\": \"abc\",\n  \"PackageVersion\": \"2.20.0-client.1\",\n  \"PackagePath\": \"/p.nupkg\"\n}");
        Assert.Equal(new StubsStamp("abc", "2.20.0-client.1", "/p.nupkg"), StubsStamp.Read(path));

        new StubsStamp("def", "0.0.0-client.1", "/q.nupkg").Write(path);
        Assert.Contains("\"inputsHash\": \"def\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(new StubsStamp("def", "0.0.0-client.1", "/q.nupkg"), StubsStamp.Read(path));
    }

    [Fact]
    public void The_verify_report_round_trips_in_camel_case()
    {
        using var dir = new TempDir();
        var report = new VerifyReport
        {
            Server = "127.0.0.1:1",
            Model = "half_plus_two",
            Ready = true,
            Checks = [new VerifyCheck("predict", true, "ok")],
            Latency = new LatencySummary(3, 1.5, 2.5, 3.5),
        };
        var path = dir.Combine("verify-report.json");
        report.WriteTo(path);

        var text = File.ReadAllText(path);
        Assert.Contains("\"checks\": [", text, StringComparison.Ordinal);
        Assert.Contains("\"p50Ms\": 1.5", text, StringComparison.Ordinal);
        var back = VerifyReport.ReadFrom(path);
        Assert.True(back.Passed);
        Assert.Equal(report.Checks, back.Checks);
        Assert.Equal(report.Latency, back.Latency);
    }

    private static string WithoutRootZero(string json) => json.Replace(",\n      \"root\": 0", "", StringComparison.Ordinal);

    private static ProtosLock ToolkitCopyLock() => ProtosLock.Read(Path.Combine(TestPaths.Root, "protos"))!;
}
