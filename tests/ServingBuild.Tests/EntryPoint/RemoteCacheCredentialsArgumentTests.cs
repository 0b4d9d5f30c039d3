using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>
/// Hostile and odd --remote-cache credentials through the real ./build.sh --target=BazelBuild --dry-run: build.sh
/// moves the user-info out of its command line into SERVINGBUILD_REMOTE_CACHE_USERINFO as text (nothing typed is
/// run), the task gets it back (the dry run names the forwarder that adds it), and a refusal is one `error:` line
/// with exit 2 that names --remote-cache and never shows the secret.
/// </summary>
[Trait("Category", "Integration")]
[Collection(EntryPointCollection.Name)]
public sealed class RemoteCacheCredentialsArgumentTests(ITestOutputHelper output)
{
    /// <summary>Stands for a file name that exists only if something ran what was typed.</summary>
    private const string Marker = "<marker>";

    private const string Forwarder = "Bazel talks to a loopback forwarder that adds the credentials";

    /// <summary>what, the arguments, SERVINGBUILD_REMOTE_CACHE_USERINFO already set (or null), exit code, the secret that must not show.</summary>
    public static TheoryData<string, string[], string?, int, string> Cases => new()
    {
        { "semicolons", ["--remote-cache=http://us;er:pw;SECRET-semi@127.0.0.1:9/cache"], null, 0, "SECRET-semi" },
        { "command substitution without spaces", ["--remote-cache=http://u:$(touch${IFS}" + Marker + ")SECRET-subst@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-subst" },
        { "command substitution with a space", ["--remote-cache=http://u:$(touch " + Marker + ")SECRET-space@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-space" },
        { "semicolon command", ["--remote-cache=http://u:x;touch${IFS}" + Marker + ";SECRET-cmd@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-cmd" },
        { "single quotes", ["--remote-cache=http://u:'SECRET-squote'@127.0.0.1:9/cache"], null, 0, "SECRET-squote" },
        { "double quote", ["--remote-cache=http://u:\"SECRET-dquote@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-dquote" },
        { "backtick", ["--remote-cache=http://u:`touch${IFS}" + Marker + "`SECRET-tick@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-tick" },
        { "newline", ["--remote-cache=http://u:SECRET-new\nline@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-new" },
        { "@ percent-encoded in the password", ["--remote-cache=http://u:p%40SECRET-enc@127.0.0.1:9/cache"], null, 0, "SECRET-enc" },
        { "raw @ in the password", ["--remote-cache=http://u:p@SECRET-raw@127.0.0.1:9/cache"], null, ExitCodes.Usage, "SECRET-raw" },
        { "empty password", ["--remote-cache=http://SECRET-user:@127.0.0.1:9/cache"], null, 0, "SECRET-user" },
        { "separate value", ["--dry-run", "--remote-cache", "https://u:SECRET-sep@127.0.0.1:9/cache"], null, 0, "SECRET-sep" },
        { "odd-case option name", ["--Remote-Cache=http://u:SECRET-case@127.0.0.1:9/cache"], null, 0, "SECRET-case" },
        { "no host", ["--remote-cache=http://u:SECRET-nohost@"], null, ExitCodes.Usage, "SECRET-nohost" },
        { "no user-info", ["--remote-cache=http://127.0.0.1:9/cache"], null, 0, "" },
        { "user-info only in the variable", ["--remote-cache=http://127.0.0.1:9/cache"], "u:SECRET-var", 0, "SECRET-var" },
        { "user-info in the URL and the variable", ["--remote-cache=http://u:SECRET-url@127.0.0.1:9/cache"], "u:SECRET-var2", ExitCodes.Usage, "SECRET-url" },
        { "user-info in two URLs", ["--remote-cache=http://u:SECRET-one@127.0.0.1:9/a", "--remote-cache=http://u:SECRET-two@127.0.0.1:9/b"], null, ExitCodes.Usage, "SECRET-one" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Credentials_leave_the_command_line_as_text_and_a_refusal_shows_no_secret(string what, string[] args, string? variable, int code, string secret)
    {
        output.WriteLine(what);
        var marker = "pwned-" + Guid.NewGuid().ToString("N")[..8];
        args = args.Select(a => a.Replace(Marker, marker, StringComparison.Ordinal)).ToArray();
        var environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1", [RemoteCacheUserInfo.Variable] = variable };
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec(BuildScript.Path, ["--target=BazelBuild", "--dry-run", .. args.Where(a => a != "--dry-run")])
        {
            WorkingDirectory = TestPaths.Root,
            Timeout = TimeSpan.FromMinutes(5),
            Environment = environment,
        });
        output.WriteLine($"exit {result.ExitCode}");

        Assert.Equal(code, result.ExitCode);
        if (secret.Length > 0)
        {
            Assert.DoesNotContain(secret, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        }

        if (code == 0)
        {
            // The task had the credentials back (the forwarder is planned only when there are some to add).
            Assert.Equal(secret.Length > 0, result.StandardOutput.Contains(Forwarder, StringComparison.Ordinal));
            Assert.Contains(secret.Length > 0 ? "--remote_cache=http://127.0.0.1:<port>/<random>" : "--remote_cache=http://127.0.0.1:9/cache", result.StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            var line = BuildScript.AssertOneErrorLine(result);
            Assert.StartsWith("error: --remote-cache", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Task", result.StandardOutput, StringComparison.Ordinal); // Cake never started
        }

        Assert.False(File.Exists(Path.Combine(TestPaths.Root, marker)), "something ran the typed text");
        Assert.Empty(Directory.GetFiles(TestPaths.Root, marker, SearchOption.AllDirectories));
    }
}
