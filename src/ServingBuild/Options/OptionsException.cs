namespace ServingBuild.Options;

/// <summary>A bad command line: unknown option, bad value or missing path.</summary>
public sealed class OptionsException(string message) : ToolkitException(message, ExitCodes.Usage);
