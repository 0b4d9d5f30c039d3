using System.Xml.Linq;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Verify;

public sealed class VerifyJUnitReportTests
{
    private static VerifyReport Report => new()
    {
        Server = "127.0.0.1:8500",
        Model = "half_plus_two",
        Binary = "artifacts/bin/tensorflow_model_server",
        Ready = true,
        ReadyAfterSeconds = 0.25,
        Checks =
        [
            new VerifyCheck("predict_float_val", true, "x=[1, 2, 5] gave y=[2.5, 3, 4.5]"),
            new VerifyCheck("predict_tensor_content", false, "gave y=[0, 0, 0] & <nothing>"),
        ],
    };

    [Fact]
    public void Each_check_is_a_testcase_and_a_failed_one_carries_what_was_seen()
    {
        var suite = VerifyJUnitReport.ToXml(Report).Root!.Element("testsuite")!;

        Assert.Equal(["server_ready", "predict_float_val", "predict_tensor_content"], suite.Elements("testcase").Select(c => (string)c.Attribute("name")!));
        Assert.Equal("3", (string?)suite.Attribute("tests"));
        Assert.Equal("1", (string?)suite.Attribute("failures"));
        var failure = suite.Elements("testcase").Single(c => c.Element("failure") is not null).Element("failure")!;
        Assert.Equal("gave y=[0, 0, 0] & <nothing>", (string?)failure.Attribute("message"));
    }

    [Fact]
    public void A_server_that_never_became_ready_is_a_failed_testcase()
    {
        var suite = VerifyJUnitReport.ToXml(Report with { Ready = false, NotReadyReason = "UNAVAILABLE", Checks = [] }).Root!.Element("testsuite")!;

        var ready = Assert.Single(suite.Elements("testcase"));
        Assert.Equal("UNAVAILABLE", (string?)ready.Element("failure")!.Attribute("message"));
    }

    [Fact]
    public void Is_written_atomically_as_well_formed_XML()
    {
        using var dir = new TempDir("junit");
        var path = dir.Combine("test-results", "verify.xml");

        VerifyJUnitReport.Write(Report, path);

        Assert.Equal("testsuites", XDocument.Load(path).Root!.Name.LocalName);
        Assert.Equal((byte)'<', File.ReadAllBytes(path)[0]); // no byte order mark
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, ".servingbuild-tmp-*"));
    }
}
