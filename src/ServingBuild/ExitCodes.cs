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
    /// <summary>A bug in the toolkit: an exception it did not expect (EX_SOFTWARE); the line says where the log is.</summary>
    public const int InternalError = 70;
    /// <summary>Stopped by SIGHUP (128 + 1); everything the task started was stopped.</summary>
    public const int Hangup = 129;
    /// <summary>Interrupted by SIGINT, Ctrl-C (128 + 2); everything the task started was stopped.</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM (128 + 15); everything the task started was stopped.</summary>
    public const int Terminated = 143;

    /// <summary>The documented code for a stop by this signal (SIGHUP 129, SIGINT 130, SIGTERM 143).</summary>
    public static int ForSignal(System.Runtime.InteropServices.PosixSignal signal) => signal switch
    {
        System.Runtime.InteropServices.PosixSignal.SIGHUP => Hangup,
        System.Runtime.InteropServices.PosixSignal.SIGTERM => Terminated,
        _ => Interrupted,
    };
}
