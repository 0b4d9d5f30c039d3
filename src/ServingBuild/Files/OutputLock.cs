using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ServingBuild.Files;

/// <summary>
/// An exclusive flock(2) on a folder, held while a run writes into it, so two runs on one output take
/// turns instead of breaking each other. The lock is on the folder itself (no lock file to leave behind),
/// the kernel drops it when the process dies (also on SIGKILL), and a run that cannot get it within the
/// wait fails in one line.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private int _fd;

    private OutputLock(int fd, string folder)
    {
        _fd = fd;
        Folder = folder;
    }

    public string Folder { get; }

    /// <summary>Locks <paramref name="folder"/> (which must exist), waiting up to <paramref name="wait"/> for another run to finish.</summary>
    /// <param name="what">The output, in the user's words, for the failure line: "--protos-out=/x".</param>
    public static async Task<OutputLock> AcquireAsync(string folder, string what, TimeSpan wait, CancellationToken cancellationToken, Action<string>? waiting = null)
    {
        if (OperatingSystem.IsWindows())
        {
            return new OutputLock(-1, folder);
        }

        var fd = UnixCalls.Open(folder, UnixCalls.ORdOnly | UnixCalls.ODirectory | UnixCalls.OCloexec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new ToolkitException($"cannot lock {folder} for {what}: {UnixCalls.Describe(errno)}; choose a folder you can read and write", ExitCodes.Usage);
        }

        var clock = Stopwatch.StartNew();
        var told = false;
        try
        {
            while (true)
            {
                if (UnixCalls.Flock(fd, UnixCalls.LockEx | UnixCalls.LockNb) == 0)
                {
                    return new OutputLock(fd, folder);
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != UnixCalls.EWouldBlock && errno != UnixCalls.EIntr)
                {
                    throw new ToolkitException($"cannot lock {folder} for {what}: {UnixCalls.Describe(errno)}; choose a folder on a local file system", ExitCodes.StageFailed);
                }

                if (clock.Elapsed >= wait)
                {
                    throw new OutputBusyException(what, folder, wait);
                }

                if (!told)
                {
                    waiting?.Invoke($"another servingbuild run is writing {what}; waiting up to {wait.TotalSeconds:0} s for it to finish");
                    told = true;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            UnixCalls.Close(fd);
            throw;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            UnixCalls.Close(_fd); // closing the last descriptor releases the flock
            _fd = -1;
        }
    }
}
