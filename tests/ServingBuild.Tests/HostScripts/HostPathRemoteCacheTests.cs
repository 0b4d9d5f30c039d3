using ServingBuild.Options;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// --remote-cache credentials on a host where .NET cannot start (CentOS 7, reached through build.sh's glibc check):
/// build.sh moves them off its command line before that check, and the generated host script takes them back from
/// SERVINGBUILD_REMOTE_CACHE_USERINFO for Bazel (its command line: there is no forwarder without .NET), whose
/// environment does not get the variable, and masks it in the console and the log.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostPathRemoteCacheTests(ITestOutputHelper output) : IDisposable
{
    private readonly HostPathToolkit _toolkit = new();

    public void Dispose() => _toolkit.Dispose();

    [Fact]
    public async Task The_urls_credentials_reach_Bazel_percent_encoded_and_neither_build_sh_nor_the_host_script_shows_them()
    {
        // A stand-in Bazel records its arguments, whether it inherited the variable, and every command line on the host.
        var state = _toolkit.Temp("state");
        var bazel = _toolkit.Write("standins/bazel", $$"""
            #!/bin/bash
            if [ "$1" = --version ]; then echo "bazel 4.2.3"; exit 0; fi
            printf '%s\n' "$@" > {{state}}/args
            printf '%s' "${{{RemoteCacheUserInfo.Variable}}-unset}" > {{state}}/variable
            ps -eo pid=,args= > {{state}}/ps
            echo $$ > {{state}}/pid
            exit 1
            """);
        File.SetUnixFileMode(bazel, (UnixFileMode)0b111_101_101);
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N")[..12];

        var run = await _toolkit.BuildShAsync(output, null, "--target=BazelBuild", $"--bazel={bazel}", $"--remote-cache=http://builder:p%40{secret}@127.0.0.1:9/cache");

        Assert.Equal(ExitCodes.StageFailed, run.ExitCode);
        Assert.DoesNotContain(secret, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"--remote_cache=http://builder:p%40{secret}@127.0.0.1:9/cache", File.ReadLines(Path.Combine(state, "args")));
        Assert.Equal("unset", File.ReadAllText(Path.Combine(state, "variable")));
        Assert.Contains("--remote_cache=http://***@127.0.0.1:9/cache", run.StandardOutput, StringComparison.Ordinal);
        foreach (var log in Directory.GetFiles(Path.Combine(_toolkit.Root, "artifacts", "logs"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(log), StringComparison.Ordinal);
        }

        var bazelPid = File.ReadAllText(Path.Combine(state, "pid")).Trim();
        var others = File.ReadLines(Path.Combine(state, "ps")).Where(l => l.TrimStart().Split(' ')[0] != bazelPid).ToList();
        Assert.Contains(others, l => l.Contains("build.sh", StringComparison.Ordinal) || l.Contains("servingbuild-host.sh", StringComparison.Ordinal));
        Assert.DoesNotContain(others, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_given_twice_or_not_fit_for_a_url_are_refused_in_the_parsers_words_without_showing_them()
    {
        // In the URL and in the variable: build.sh refuses before the glibc check, in RemoteCacheUserInfo's words.
        var twice = await _toolkit.BuildShAsync(output, new Dictionary<string, string?> { [RemoteCacheUserInfo.Variable] = "u:var-secret" },
            "--target=BazelBuild", "--remote-cache=http://u:url-secret@127.0.0.1:9/cache");
        Assert.Equal(ExitCodes.Usage, twice.ExitCode);
        var twiceExpected = Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--remote-cache=http://u:url-secret@127.0.0.1:9/cache"], _toolkit.Paths,
            new Dictionary<string, string?> { [RemoteCacheUserInfo.Variable] = "u:var-secret", ["HOME"] = "/nonexistent-home" })).Message;
        Assert.Equal("error: " + twiceExpected, twice.StandardError.Trim());
        Assert.DoesNotContain("secret", twice.StandardOutput + twice.StandardError, StringComparison.Ordinal);

        // Only in the variable, with user-info a URL cannot hold: the host script refuses it as the C# path does.
        var bad = await _toolkit.BuildShAsync(output, new Dictionary<string, string?> { [RemoteCacheUserInfo.Variable] = "u:var secret" },
            "--target=BazelBuild", "--remote-cache=http://127.0.0.1:9/cache");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        var expected = Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--remote-cache=http://127.0.0.1:9/cache"], _toolkit.Paths,
            new Dictionary<string, string?> { [RemoteCacheUserInfo.Variable] = "u:var secret", ["HOME"] = "/nonexistent-home" })).Message;
        Assert.Equal("error: " + expected, bad.StandardError.Trim());
        Assert.DoesNotContain("var secret", bad.StandardOutput + bad.StandardError, StringComparison.Ordinal);
    }
}
