using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Processes;

/// <summary>Quoted words reach a real bash as the very same bytes, and nothing in them runs.</summary>
[Trait("Category", "Integration")]
public sealed class ShellQuoteTests(ITestOutputHelper output)
{
    public static TheoryData<string> Hostile =>
    [
        "", "plain", "two words", "it's", "'", "''", "\"", "a\"b'c", "\\", "back\\slash\\", "$HOME", "${HOME}", "$(touch {marker})", "`touch {marker}`",
        "; touch {marker}", "&& touch {marker}", "| touch {marker}", "> {marker}", "*", "?", "[a-z]", "~", "~root", "{a,b}", "!", "!!", "#not a comment",
        "-n", "--help", "a=b c", "tab\there", "new\nline", "héllo wörld", "%s %d", "-_./=:,+@%",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_quoted_word_reaches_bash_unchanged_and_runs_nothing(string template)
    {
        using var dir = new TempDir();
        var marker = dir.Combine("ran");
        var word = template.Replace("{marker}", marker, StringComparison.Ordinal);
        var runner = new ProcessRunner(Require.Log(output));

        var result = await runner.RunAsync(new ProcessSpec("bash", "-c", "printf '<%s>' " + ShellQuote.Quote(word)) { WorkingDirectory = dir.Path });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("<" + word + ">\n", result.StandardOutput);
        Assert.False(File.Exists(marker), $"quoting {word} let bash run part of it");
    }

    [Fact]
    public async Task Joined_words_stay_separate_words()
    {
        string[] words = ["a b", "", "it's", "$x", "-e"];
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec("bash", "-c", "printf '<%s>' " + ShellQuote.Join(words)));
        Assert.Equal(string.Concat(words.Select(w => "<" + w + ">")) + "\n", result.StandardOutput);
    }
}
