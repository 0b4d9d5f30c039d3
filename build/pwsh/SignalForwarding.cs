// Compiled by build.ps1 (Add-Type, once per .NET version, then loaded from artifacts/.stamps) on Linux and macOS,
// when pwsh runs build.ps1 as its script. A PowerShell scriptblock cannot run on the thread that delivers a signal
// (it has no runspace), so build.ps1's signal handling lives here. It does what build.sh's traps do: SIGINT, SIGTERM
// and SIGHUP sent to pwsh are passed on to the child build.ps1 is waiting for (the toolkit build, the prepare step,
// Cake), pwsh waits for that child to stop what it started, and then exits 130, 143 or 129. Without it no child
// hears of the signal: pwsh 7.6 holds SIGTERM until the whole run has ended, and Ctrl+C handling only stops the
// script, so Cake, the task and the task's children go on.
using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace ServingBuild.EntryPoint
{
    public static class SignalForwarding
    {
        // Signal numbers that kill(2) takes; PosixSignal's values are .NET's own. The same on Linux and macOS.
        private const int SigHup = 1;
        private const int SigInt = 2;
        private const int SigTerm = 15;

        private static readonly object Gate = new object();
        private static PosixSignalRegistration[] _registrations = Array.Empty<PosixSignalRegistration>();
        private static int _childPid;
        private static int _signal;

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        /// <summary>From here on, SIGINT, SIGTERM and SIGHUP no longer stop pwsh: they go to the running child.</summary>
        public static void Register()
        {
            _registrations = new[]
            {
                PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Received(context, SigInt)),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Received(context, SigTerm)),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Received(context, SigHup)),
            };
        }

        /// <summary>
        /// Runs <paramref name="file"/> with <paramref name="arguments"/> as separate argv entries (nothing is
        /// joined or re-quoted), its output to the console or, with <paramref name="log"/>, to that file. Returns
        /// its exit code; when a signal arrived meanwhile, pwsh exits with 128 + the signal once the child ended.
        /// </summary>
        public static int Run(string file, string[] arguments, string workingDirectory, string log)
        {
            ExitIfSignalled(); // a signal between two children: the next one never starts
            var start = new ProcessStartInfo(file)
            {
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = !string.IsNullOrEmpty(log),
                RedirectStandardError = !string.IsNullOrEmpty(log),
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var writer = string.IsNullOrEmpty(log) ? null : new StreamWriter(log, append: false);
            using var process = new Process { StartInfo = start };
            if (writer != null)
            {
                process.OutputDataReceived += (_, e) => Append(writer, e.Data);
                process.ErrorDataReceived += (_, e) => Append(writer, e.Data);
            }

            lock (Gate)
            {
                process.Start();
                _childPid = process.Id;
                if (_signal != 0)
                {
                    kill(_childPid, _signal); // arrived while it was starting
                }
            }

            if (writer != null)
            {
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            process.WaitForExit();
            lock (Gate)
            {
                _childPid = 0;
            }

            ExitIfSignalled();
            return process.ExitCode;
        }

        /// <summary>
        /// Ends pwsh with 130, 143 or 129 when a signal arrived. Environment.Exit, not a script's `exit`: pwsh stops
        /// the running script on SIGINT (its Ctrl+C handling) and would end with 0 before an `exit` ran.
        /// </summary>
        public static void ExitIfSignalled()
        {
            int signal;
            lock (Gate)
            {
                signal = _signal;
            }

            if (signal != 0)
            {
                Console.Out.Flush();
                Environment.Exit(128 + signal);
            }
        }

        private static void Received(PosixSignalContext context, int signal)
        {
            context.Cancel = true; // pwsh stays to wait for its child
            lock (Gate)
            {
                _signal = signal;
                if (_childPid != 0)
                {
                    kill(_childPid, signal);
                }
            }
        }

        private static void Append(StreamWriter writer, string line)
        {
            if (line == null)
            {
                return;
            }

            lock (writer)
            {
                writer.WriteLine(line);
            }
        }
    }
}
