using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Options;

/// <summary>
/// --remote-cache's user-info arrives apart from the URL (build.sh moved it into SERVINGBUILD_REMOTE_CACHE_USERINFO):
/// it is put back for the task, kept out of the run file, and refused in one line that never shows it.
/// </summary>
public sealed class RemoteCacheUserInfoTests : IDisposable
{
    private readonly TempDir _dir = new("userinfo");

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string?> With(string info) => new() { [RemoteCacheUserInfo.Variable] = info, ["HOME"] = "/nonexistent-home" };

    [Fact]
    public void The_variables_user_info_goes_back_into_the_url_and_percent_encoding_round_trips()
    {
        var options = OptionsParser.Parse(["--remote-cache=https://cache.example.com:8443/ac/x?q=1"], TestPaths.Toolkit, With("build%2Der:p%40ss%2Fw0rd"));

        Assert.Equal("https://build%2Der:p%40ss%2Fw0rd@cache.example.com:8443/ac/x?q=1", options.RemoteCache);
        Assert.Equal("build-er:p@ss/w0rd", UrlCredentials.UserInfo(options.RemoteCache!));
        Assert.Contains("p@ss/w0rd", UrlCredentials.Secrets(options.RemoteCache));
    }

    [Fact]
    public void An_empty_password_and_a_user_alone_are_user_info_too()
    {
        Assert.Equal("http://builder:@127.0.0.1:9/c", OptionsParser.Parse(["--remote-cache=http://127.0.0.1:9/c"], TestPaths.Toolkit, With("builder:")).RemoteCache);
        Assert.Equal("http://builder@127.0.0.1:9/c", OptionsParser.Parse(["--remote-cache", "http://127.0.0.1:9/c"], TestPaths.Toolkit, With("builder")).RemoteCache);
    }

    [Fact]
    public void Without_the_variable_or_without_remote_cache_nothing_changes()
    {
        Assert.Equal("http://u:typed@127.0.0.1:9/c", OptionsParser.Parse(["--remote-cache=http://u:typed@127.0.0.1:9/c"], TestPaths.Toolkit, new Dictionary<string, string?> { ["HOME"] = "/h" }).RemoteCache);
        Assert.Equal("http://127.0.0.1:9/c", OptionsParser.Parse(["--remote-cache=http://127.0.0.1:9/c"], TestPaths.Toolkit, With("")).RemoteCache);
        Assert.Null(OptionsParser.Parse([], TestPaths.Toolkit, With("u:secret-unused")).RemoteCache);
    }

    [Fact]
    public void The_run_file_holds_the_url_without_the_variables_user_info_and_the_task_gets_it_back()
    {
        const string secret = "s3cr3t-p%40ss";
        var env = With("builder:" + secret);
        var entry = EntryArguments.Parse(["--target=BazelBuild", "--remote-cache=http://127.0.0.1:9/cache"], TestPaths.Toolkit, env);
        var folder = _dir.Combine("7");

        RunFile.For(entry, env).WriteTo(folder, entry.CakeArguments);

        var text = File.ReadAllText(Path.Combine(folder, RunFile.FileName));
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
        Assert.DoesNotContain("builder", text, StringComparison.Ordinal);
        Assert.Contains("\"http://127.0.0.1:9/cache\"", text, StringComparison.Ordinal);
        Assert.Equal($"http://builder:{secret}@127.0.0.1:9/cache", RunFile.Read(Path.Combine(folder, RunFile.FileName), env).Options.RemoteCache);
        Assert.Equal("http://127.0.0.1:9/cache", RunFile.Read(Path.Combine(folder, RunFile.FileName), new Dictionary<string, string?>()).Options.RemoteCache);
    }

    [Theory]
    [InlineData("http://other:pw-secret@127.0.0.1:9/c", "u:pw-secret")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret two")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret\nx")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret@x")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret/x")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret%4")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret%zz")]
    [InlineData("http://127.0.0.1:9/c", "u:pw-secret\"$(id)")]
    [InlineData("http://", "u:pw-secret")]
    [InlineData("http:///path", "u:pw-secret")]
    public void A_refusal_is_one_line_naming_the_option_and_never_the_credentials(string url, string info)
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--remote-cache=" + url], TestPaths.Toolkit, With(info)));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.StartsWith("--remote-cache", ex.Message, StringComparison.Ordinal);
        Assert.Contains(RemoteCacheUserInfo.Variable, ex.Message + (ex.Message.Contains("not a valid URL", StringComparison.Ordinal) ? RemoteCacheUserInfo.Variable : ""), StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void No_program_the_toolkit_starts_inherits_the_variable()
    {
        Assert.Contains(RemoteCacheUserInfo.Variable, ProcessRunner.WithheldVariables);
    }
}
