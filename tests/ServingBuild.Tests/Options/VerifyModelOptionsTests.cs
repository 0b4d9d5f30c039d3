using ServingBuild.Options;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Options;

/// <summary>Verify's model options: --model-base-path, --model-version, --signature-name, --request, --expect, --tolerance.</summary>
public sealed class VerifyModelOptionsTests : IDisposable
{
    private readonly TempDir _dir = new("verify-options");

    private static BuildOptions Parse(params string[] args) => OptionsParser.Parse(args, TestPaths.Toolkit);

    [Fact]
    public void Defaults_are_the_bundled_half_plus_two_with_a_relative_tolerance_of_1e_6()
    {
        var o = Parse();
        Assert.Null(o.ModelBasePath);
        Assert.Null(o.ModelVersion);
        Assert.Null(o.SignatureName);
        Assert.Null(o.RequestFile);
        Assert.Null(o.ExpectFile);
        Assert.Equal(1e-6, o.Tolerance);
    }

    [Fact]
    public void Paths_become_absolute_and_numbers_are_read_invariantly()
    {
        var request = _dir.Write("r.json", "{}");
        var expect = _dir.Write("e.json", "{}");
        var o = Parse($"--model-base-path={_dir.Path}", "--model-version=00000123", "--signature-name=scale", $"--request={request}", $"--expect={expect}", "--tolerance=2.5e-3");
        Assert.Equal(_dir.Path, o.ModelBasePath);
        Assert.Equal(123, o.ModelVersion);
        Assert.Equal("scale", o.SignatureName);
        Assert.Equal(request, o.RequestFile);
        Assert.Equal(expect, o.ExpectFile);
        Assert.Equal(2.5e-3, o.Tolerance);
    }

    [Theory]
    [InlineData("--model-version=-1", "--model-version=-1: expected a version number (0 or more)")]
    [InlineData("--model-version=latest", "--model-version=latest: expected a version number")]
    [InlineData("--tolerance=-0.1", "--tolerance=-0.1: expected a relative tolerance of 0 or more")]
    [InlineData("--tolerance=NaN", "--tolerance=NaN: expected a relative tolerance of 0 or more")]
    [InlineData("--signature-name=", "--signature-name is empty")]
    [InlineData("--model-base-path=/no/such/models", "--model-base-path=/no/such/models: no such directory")]
    [InlineData("--request=/no/such/request.json", "--request=/no/such/request.json: no such file")]
    public void A_bad_value_is_one_line_naming_the_option(string arg, string message)
    {
        var ex = Assert.Throws<OptionsException>(() => Parse(arg));
        Assert.StartsWith(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }

    [Fact]
    public void An_expectation_without_a_request_is_refused()
    {
        var expect = _dir.Write("e.json", "{}");
        var ex = Assert.Throws<OptionsException>(() => Parse($"--expect={expect}"));
        Assert.Equal($"--expect={expect} needs --request=FILE: the expected outputs are for the request you send", ex.Message);
    }

    public void Dispose() => _dir.Dispose();
}
