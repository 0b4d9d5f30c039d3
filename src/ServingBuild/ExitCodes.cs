namespace ServingBuild;

/// <summary>Process exit codes, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A stage ran and failed (build error, failed check, bad proto input).</summary>
    public const int StageFailed = 1;
    /// <summary>The command line is wrong: unknown task or option, bad value, missing path.</summary>
    public const int Usage = 2;
    /// <summary>The host lacks something the stage needs (a program, root, a supported OS).</summary>
    public const int Prerequisite = 3;
    /// <summary>The protos changed under a rule of the --breaking category (WIRE by default) that --accept-breaking does not cover.</summary>
    public const int BreakingDrift = 4;
    /// <summary>Doctor found problems.</summary>
    public const int DoctorFindings = 5;
    /// <summary>Interrupted (Ctrl-C).</summary>
    public const int Interrupted = 130;
}
