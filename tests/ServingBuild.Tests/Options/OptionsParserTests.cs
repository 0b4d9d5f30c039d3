using ServingBuild.Options;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Options;

public class OptionsParserTests
{
    private static BuildOptions Parse(params string[] args) => OptionsParser.Parse(args, TestPaths.Toolkit);

    [Fact]
    public void Defaults_point_at_the_bundled_workspace_and_protos_folder()
    {
        var o = Parse();
        Assert.Equal(TestPaths.ServingMini, o.ServingDir);
        Assert.True(o.ServingDirIsBundled);
        Assert.Equal(Path.Combine(TestPaths.Root, "protos"), o.ProtosOut);
        Assert.Equal(["Predict"], o.KeepRpcs);
        Assert.Equal(ProtoLayout.Flat, o.ProtoLayout);
        Assert.False(o.DryRun);
    }

    [Fact]
    public void Keep_rpc_accepts_commas_and_repeats()
    {
        var o = Parse("--keep-rpc=Predict,Classify", "--keep-rpc=Regress");
        Assert.Equal(["Predict", "Classify", "Regress"], o.KeepRpcs);
    }

    [Fact]
    public void Bazel_opt_repeats_in_order_and_flags_need_no_value()
    {
        var o = Parse("--bazel-opt=--config=release", "--bazel-opt=--copt=-O2", "--dry-run", "--auto-fix=true");
        Assert.Equal(["--config=release", "--copt=-O2"], o.BazelOpts);
        Assert.True(o.DryRun);
        Assert.True(o.AutoFix);
    }

    [Fact]
    public void Cakes_own_arguments_are_split_off_and_spelt_as_the_registry_spells_them()
    {
        var entry = EntryArguments.Parse(["--target=protos", "--verbosity=Diagnostic", "--keep-rpc=Predict", "--exclusive", "--dry-run"], TestPaths.Toolkit);
        Assert.Equal("Protos", entry.Target);
        Assert.Equal(["--target=Protos", "--verbosity=diagnostic", "--exclusive"], entry.CakeArguments);
        Assert.True(entry.Options.DryRun);
        Assert.Equal(["Predict"], entry.Options.KeepRpcs);
    }

    [Fact]
    public void Cakes_own_arguments_are_unknown_options_to_a_task_run_directly()
    {
        var ex = Assert.Throws<OptionsException>(() => Parse("--target=Protos"));
        Assert.Contains("unknown option --target", ex.Message);
    }

    [Theory]
    [InlineData("--serving-dir=/nonexistent", "/nonexistent")]
    [InlineData("--keep-rpc=", "--keep-rpc is empty")]
    [InlineData("--servng-dir=x", "did you mean --serving-dir")]
    [InlineData("--server=localhost", "host:port")]
    [InlineData("--server=localhost:70000", "host:port")]
    [InlineData("--jobs=0", "--jobs=0")]
    [InlineData("--proto-layout=tree", "flat or upstream")]
    [InlineData("--remote-cache=ftp://x", "--remote-cache=ftp://x")]
    [InlineData("--dry-run=maybe", "true or false")]
    [InlineData("stray", "unexpected argument 'stray'")]
    public void Bad_input_fails_in_one_line_naming_it(string arg, string expected)
    {
        var ex = Assert.Throws<OptionsException>(() => Parse(arg));
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }

    [Fact]
    public void A_single_option_given_twice_is_refused()
    {
        var ex = Assert.Throws<OptionsException>(() => Parse("--protos-out=a", "--protos-out=b"));
        Assert.Contains("given twice", ex.Message);
    }

    [Fact]
    public void Server_accepts_host_and_port()
    {
        Assert.Equal("127.0.0.1:8500", Parse("--server=127.0.0.1:8500").Server);
        Assert.Equal("[::1]:8500", Parse("--server=[::1]:8500").Server);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/bazel/", "http://127.0.0.1:8080/bazel")]
    [InlineData("https://mirror.example.com/bazel-releases", "https://mirror.example.com/bazel-releases")]
    [InlineData("file:///srv/bazel", "file:///srv/bazel")]
    public void Bazel_mirror_takes_a_release_folder_url(string value, string expected) =>
        Assert.Equal(expected, OptionsParser.Parse(["--bazel-mirror=" + value], TestPaths.Toolkit).BazelMirror);

    [Theory]
    [InlineData("mirror.example.com/bazel", "expected an http://")]
    [InlineData("ftp://mirror.example.com/bazel", "expected an http://")]
    [InlineData("https://user:secret@mirror.example.com/bazel", "carries credentials")]
    [InlineData("https://mirror.example.com/bazel?token=x", "no query")]
    [InlineData("https://mirror.example.com/ba'zel", "no query")]
    public void Bazel_mirror_refuses_what_would_break_or_leak(string value, string message)
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--bazel-mirror=" + value], TestPaths.Toolkit));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }
}
