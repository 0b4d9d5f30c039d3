using System.Globalization;
using System.Xml.Linq;
using ServingBuild.Files;
using ServingBuild.Tasks;

namespace ServingBuild.Verify;

/// <summary>
/// The Verify checks as JUnit XML (artifacts/test-results/verify.xml), the format GitHub and GitLab show as test
/// results: one testsuite "Verify", one testcase per check plus the server's readiness, a failure element with
/// what was seen for each failed one.
/// </summary>
public static class VerifyJUnitReport
{
    public const string FileName = "verify.xml";

    /// <summary>artifacts/test-results/verify.xml; beside a report written elsewhere (tests), verify-report.xml there.</summary>
    public static string PathFor(ToolkitPaths paths, string? reportPath = null) =>
        reportPath is null
            ? Path.Combine(paths.Artifacts, "test-results", FileName)
            : Path.ChangeExtension(reportPath, ".xml");

    public static XDocument ToXml(VerifyReport report)
    {
        var cases = new List<XElement>
        {
            Case("server_ready", report.Ready ? null : report.NotReadyReason ?? "not ready", report.ReadyAfterSeconds,
                report.Ready ? $"answered after {report.ReadyAfterSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s" : null),
        };
        cases.AddRange(report.Checks.Select(c => Case(c.Name, c.Passed ? null : c.Detail, 0, c.Detail)));
        var failures = cases.Count(c => c.Element("failure") is not null);
        var suite = new XElement("testsuite",
            new XAttribute("name", "Verify"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(report.ReadyAfterSeconds)),
            new XAttribute("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                Property("server", report.Server),
                Property("model", report.Model),
                Property("binary", report.Binary ?? "(already running)")),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XAttribute("name", "servingbuild"),
                new XAttribute("tests", cases.Count),
                new XAttribute("failures", failures),
                new XAttribute("errors", 0),
                suite));
    }

    public static void Write(VerifyReport report, string path)
    {
        var document = ToXml(report);
        // UTF-8 without a byte order mark: some CI parsers read the BOM as text before the declaration.
        var settings = new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true };
        AtomicFile.Write(path, stream =>
        {
            using var writer = System.Xml.XmlWriter.Create(stream, settings);
            document.Save(writer);
        });
    }

    private static XElement Case(string name, string? failure, double seconds, string? output)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", "servingbuild.Verify"),
            new XAttribute("name", name),
            new XAttribute("time", Seconds(seconds)));
        if (failure is not null)
        {
            element.Add(new XElement("failure", new XAttribute("message", failure), new XAttribute("type", "VerifyCheck"), failure));
        }
        else if (output is not null)
        {
            element.Add(new XElement("system-out", output));
        }

        return element;
    }

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", value));

    private static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture);
}
