using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>
/// Command lines a careless or hostile user types, through the real ./build.sh: each ends in the toolkit's own
/// one-line error with the documented exit code, no stack trace, before any task runs, and with nothing outside
/// artifacts/ changed (a value holding shell syntax is never run by anything).
/// </summary>
[Trait("Category", "Integration")]
[Collection(EntryPointCollection.Name)]
public class HostileArgumentsTests(ITestOutputHelper output)
{
    /// <summary>Stands for a value longer than any path (100,000 characters), made at run time to keep test names short.</summary>
    private const string Huge = "<huge>";

    public static TheoryData<string, string[], int, string> Cases => new()
    {
        { "empty keep-rpc", ["--keep-rpc="], ExitCodes.Usage, "--keep-rpc is empty" },
        { "empty model-name", ["--model-name="], ExitCodes.Usage, "--model-name is empty" },
        { "empty serving-dir", ["--serving-dir="], ExitCodes.Usage, "--serving-dir is empty" },
        { "empty protos-out", ["--target=Protos", "--protos-out="], ExitCodes.Usage, "--protos-out is empty" },
        { "empty emit-script", ["--emit-script="], ExitCodes.Usage, "--emit-script is empty" },
        { "flag with an empty value", ["--dry-run="], ExitCodes.Usage, "--dry-run= has an empty value" },
        { "bare target", ["--target"], ExitCodes.Usage, "--target needs a value" },
        { "bare target before an option", ["--target", "--dry-run"], ExitCodes.Usage, "--target needs a value" },
        { "empty target", ["--target="], ExitCodes.Usage, "--target is empty" },
        { "unknown target", ["--target=unknown"], ExitCodes.Usage, "unknown target 'unknown'" },
        { "odd-case target name, unknown value", ["--TARGET=Nope"], ExitCodes.Usage, "unknown target 'Nope'" },
        { "positional task name", ["Protos"], ExitCodes.Usage, "write --target=Protos" },
        { "positional words", ["please", "build"], ExitCodes.Usage, "unexpected argument 'please'" },
        { "bare double dash", ["--"], ExitCodes.Usage, "unexpected argument '--'" },
        { "single-dash short option", ["-t", "Doctor"], ExitCodes.Usage, "unexpected argument '-t'" },
        { "unknown option", ["--nope=1"], ExitCodes.Usage, "unknown option --nope" },
        { "misspelt option", ["--keep-rcp=Predict"], ExitCodes.Usage, "did you mean --keep-rpc" },
        { "Cake's own dryrun", ["--dryrun"], ExitCodes.Usage, "did you mean --dry-run" },
        { "odd-case option name", ["--SERVING-DIR=/nonexistent-servingbuild"], ExitCodes.Usage, "/nonexistent-servingbuild" },
        { "command substitution", ["--serving-dir=$(touch pwned-subst)"], ExitCodes.Usage, "--serving-dir=$(touch pwned-subst)" },
        { "backticks", ["--serving-dir=`touch pwned-backtick`"], ExitCodes.Usage, "--serving-dir=`touch pwned-backtick`" },
        { "semicolon", ["--serving-dir=x;touch pwned-semicolon"], ExitCodes.Usage, "--serving-dir=x;touch pwned-semicolon" },
        { "quotes and backslashes arrive as typed", ["--serving-dir=a\\b\"c'd"], ExitCodes.Usage, "--serving-dir=a\\b\"c'd:" },
        { "newline in a value", ["--model-name=half\nplus"], ExitCodes.Usage, "control character U+000A" },
        { "tab in a value", ["--serving-dir=\t"], ExitCodes.Usage, "control character U+0009" },
        { "terminal escape in a value", ["--protos-out=x\u001b[31m"], ExitCodes.Usage, "control character U+001B" },
        { "direction override in a value", ["--model-name=abc\u202Edef"], ExitCodes.Usage, "control character U+202E" },
        { "value starting with a dash", ["--serving-dir=-rf"], ExitCodes.Usage, "--serving-dir=-rf: no such directory" },
        { "bazel starting with a dash", ["--bazel=-version"], ExitCodes.Usage, "cannot start with '-'" },
        { "ssh option as the build host", ["--build-host=-oProxyCommand=x"], ExitCodes.Usage, "--build-host=-oProxyCommand=x" },
        { "ssh option as the server host", ["--server=-oProxyCommand:22"], ExitCodes.Usage, "--server=-oProxyCommand:22" },
        { "space in the server", ["--server=a b:1"], ExitCodes.Usage, "--server=a b:1" },
        { "huge value", ["--serving-dir=" + Huge], ExitCodes.Usage, "the limit is 4096" },
        { "unicode path", ["--serving-dir=/nonexistent/模型-ü"], ExitCodes.Usage, "/nonexistent/模型-ü" },
        { "duplicate option", ["--serving-dir=/a", "--serving-dir=/b"], ExitCodes.Usage, "--serving-dir was given twice" },
        { "duplicate target", ["--target=Doctor", "--target=Protos"], ExitCodes.Usage, "--target was given twice" },
        { "shell in an RPC name", ["--keep-rpc=Predict;rm -rf x"], ExitCodes.Usage, "is not an RPC name" },
        { "negative jobs", ["--jobs=-1"], ExitCodes.Usage, "--jobs=-1" },
        { "flag with a word", ["--dry-run=maybe"], ExitCodes.Usage, "true or false" },
        { "unknown verbosity", ["--verbosity=loud"], ExitCodes.Usage, "--verbosity=loud" },
        { "Cake flag with a word", ["--description=maybe"], ExitCodes.Usage, "true or false" },
        { "option without its value at the end", ["--target=Doctor", "--keep-rpc"], ExitCodes.Usage, "--keep-rpc needs a value" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Fails_in_one_line_with_the_documented_code_and_changes_nothing(string what, string[] args, int code, string expected) =>
        FailsInOneLine(what, args, code, expected, BuildScript.RunAsync);

    /// <summary>build.ps1 starts the entry point through its own process code (signal forwarding): the same arguments, as typed.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public Task Build_ps1_fails_in_the_same_line_with_the_same_code_and_changes_nothing(string what, string[] args, int code, string expected) =>
        FailsInOneLine(what, args, code, expected, BuildScript.RunPowerShellAsync);

    private async Task FailsInOneLine(string what, string[] args, int code, string expected, Func<ITestOutputHelper, string[], Task<ServingBuild.Processes.ProcessResult>> run)
    {
        output.WriteLine(what);
        args = args.Select(a => a.Replace(Huge, new string('a', 100_000), StringComparison.Ordinal)).ToArray();
        var before = BuildScript.HashTree();

        var result = await run(output, args);

        Assert.Equal(code, result.ExitCode);
        var line = BuildScript.AssertOneErrorLine(result);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.True(line.Length < 1000, $"the error line is {line.Length} characters long");
        Assert.DoesNotContain("Task", result.StandardOutput, StringComparison.Ordinal); // Cake never started: no task summary
        var after = BuildScript.HashTree();
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }
}
