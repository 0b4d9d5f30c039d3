using System.Text;

namespace ServingBuild.Tests.Support;

/// <summary>Sends a TaskLog's console view to xunit's test output.</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        try
        {
            output.WriteLine(value ?? "");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; a late line from a background process is dropped.
        }
    }
}
