using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// The remote-cache secrets through ./build.sh with real Bazel and a real nginx cache that answers 401 without
/// them: a bearer header (SERVINGBUILD_REMOTE_HEADERS) and a password in the URL both reach nginx, the builds
/// hit the cache, and neither secret is on the console, under artifacts/, anywhere in Bazel's output base, or on
/// any process's command line (the URL's password only on build.sh's own for the instant before it re-executes
/// itself without it), nor is either variable in any Bazel process's environment.
/// </summary>
[Trait("Category", "Integration")]
[Collection(BazelCollection.Name)]
public sealed partial class RemoteCacheSecretTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Header_and_url_password_reach_the_cache_and_appear_in_no_console_log_output_base_or_bazel_process()
    {
        Require.Program("bazel", "bazel-bootstrap");
        var nginx = Require.Program("nginx", "nginx-extras");
        var grep = Require.Program("grep", "grep");
        using var scratch = new ScratchWorkspace();
        using var web = new TempDir("servingbuild-nginx-auth");
        var port = FreePort.Pick();
        var token = "tok" + Guid.NewGuid().ToString("N");
        var password = "pw" + Guid.NewGuid().ToString("N");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("builder:" + password));
        Directory.CreateDirectory(web.Combine("data", "cache"));
        var conf = web.Write("nginx.conf", $$"""
            user root;
            daemon off;
            worker_processes 1;
            pid {{web.Path}}/nginx.pid;
            error_log {{web.Path}}/error.log;
            events { worker_connections 128; }
            http {
                client_body_temp_path {{web.Path}}/body;
                proxy_temp_path {{web.Path}}/proxy;
                fastcgi_temp_path {{web.Path}}/fastcgi;
                uwsgi_temp_path {{web.Path}}/uwsgi;
                scgi_temp_path {{web.Path}}/scgi;
                map_hash_bucket_size 256;
                log_format short '$request_method $uri $status';
                access_log {{web.Path}}/access.log short;
                # Only the two credentials open the cache; anything else is 401.
                map $http_authorization $denied {
                    default 1;
                    "Bearer {{token}}" 0;
                    "Basic {{basic}}" 0;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 0;
                    location /cache/ {
                        if ($denied) { return 401; }
                        root {{web.Path}}/data;
                        dav_methods PUT;
                        create_full_put_path on;
                        dav_access user:rw group:r all:r;
                    }
                }
            }
            """);
        var server = new ProcessRunner(Require.Log(output)).Start(new ProcessSpec(nginx, "-c", conf, "-p", web.Path) { Timeout = TimeSpan.FromMinutes(60) });
        using var cache1 = new TempDir();
        using var cache2 = new TempDir();
        // Other builds run on this host: only Bazel processes of this test's workspace and caches are judged.
        using var watch = new ProcessWatch([token, password], [Path.GetDirectoryName(scratch.ServingDir)!, cache1.Path, cache2.Path], ignore: grep);
        try
        {
            await WaitForPort(port, server);
            using var unauthorized = new HttpClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await unauthorized.GetAsync($"http://127.0.0.1:{port}/cache/ac/0")).StatusCode);

            // 1: a cold build filling the cache with the bearer header.
            var first = await BuildSh(scratch, cache1.Path, $"--remote-cache=http://127.0.0.1:{port}/cache", new() { ["SERVINGBUILD_REMOTE_HEADERS"] = "Authorization=Bearer " + token });
            Assert.True(first.ExitCode == 0, first.StandardError);
            Assert.NotEmpty(Directory.GetFiles(web.Combine("data", "cache", "cas")));
            var outputBase = (await scratch.BazelAsync("info", "output_base")).StandardOutput.Trim();
            Assert.True(Directory.Exists(outputBase), outputBase);
            var firstLeaks = await Leaks(grep, outputBase, first, token);

            // 2: after clean --expunge and with an empty disk cache, the password in the URL must open the cache.
            Assert.True((await scratch.BazelAsync("clean", "--expunge")).Succeeded);
            var beforeSecond = File.ReadAllLines(web.Combine("access.log")).Length;
            var second = await BuildSh(scratch, cache2.Path, $"--remote-cache=http://builder:{password}@127.0.0.1:{port}/cache", []);
            Assert.True(second.ExitCode == 0, second.StandardError);
            var hits = HitLine().Match(second.StandardOutput);
            Assert.True(hits.Success, "no BazelBuild summary line in the console");
            var (processes, remoteHits) = (int.Parse(hits.Groups["all"].Value), int.Parse(hits.Groups["hits"].Value));
            output.WriteLine($"rebuild through the forwarder with the URL's password: {remoteHits} remote cache hits of {processes} processes");
            Assert.True(remoteHits > 0 && remoteHits * 10 >= (processes - 1) * 9, $"only {remoteHits} of {processes} processes were remote cache hits");
            outputBase = (await scratch.BazelAsync("info", "output_base")).StandardOutput.Trim();
            var secondLeaks = await Leaks(grep, outputBase, second, token, password, "builder:" + password, basic);

            var access = File.ReadAllLines(web.Combine("access.log"));
            // The password left build.sh's command line and still reached nginx: the second build's reads were answered.
            var secondGets = access.Skip(beforeSecond).Count(l => l.StartsWith("GET /cache/", StringComparison.Ordinal) && l.EndsWith(" 200", StringComparison.Ordinal));
            output.WriteLine($"second build (credentials from the URL): {secondGets} authorized GETs");
            Assert.True(secondGets > 0, "no authorized GET in the second build");
            output.WriteLine($"nginx answered {access.Length} requests, {access.Count(l => l.EndsWith(" 401", StringComparison.Ordinal))} with 401 (the one unauthorized probe)");
            Assert.Single(access, l => l.EndsWith(" 401", StringComparison.Ordinal));

            output.WriteLine($"secret hits: first build {firstLeaks.Count}, second build {secondLeaks.Count}; process samples {watch.Samples}, Bazel processes seen {watch.BazelProcesses}, run files read {watch.RunFiles}");
            Assert.Empty(firstLeaks);
            Assert.Empty(secondLeaks);
            Assert.True(watch.BazelProcesses > 0, "the watch saw no Bazel process; it proves nothing");
            Assert.True(watch.RunFiles > 0, "the watch read no run file; it proves nothing about them");
            foreach (var process in watch.Findings.GroupBy(f => (f.Pid, f.Secret)))
            {
                output.WriteLine($"ps: {process.First() with { AgeSeconds = process.Min(f => f.AgeSeconds) }} (seen {process.Count()} times, until age {process.Max(f => f.AgeSeconds)} s)");
            }

            // The header value is on no command line at all. The URL's password is on the command line the user
            // typed: build.sh's, which cannot help being started with it, for the instant before its first lines move
            // it into SERVINGBUILD_REMOTE_CACHE_USERINFO and re-execute the script (same pid) without it; the 200 ms
            // sampling catches that instant only now and then. After it, no process shows it: not build.sh, not
            // prepare, Cake, the task process or Bazel.
            Assert.DoesNotContain(watch.Findings, f => f.Secret == 0);
            Assert.DoesNotContain(watch.Findings, f => f.Bazel);
            var firstInstant = watch.Findings.Where(f => f.Secret > 0 && f.BuildSh && f.AgeSeconds < FirstInstant.TotalSeconds).ToList();
            output.WriteLine($"build.sh's first instant caught {firstInstant.Count} times, at process ages {string.Join(", ", firstInstant.Select(f => $"{f.AgeSeconds:0.00} s"))}");
            Assert.Empty(watch.Findings.Except(firstInstant));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Every place a secret must not be: the console of the run, the toolkit's artifacts/, Bazel's whole output base.</summary>
    private async Task<List<string>> Leaks(string grep, string outputBase, ProcessResult run, params string[] secrets)
    {
        var leaks = new List<string>();
        foreach (var secret in secrets)
        {
            if ((run.StandardOutput + run.StandardError).Contains(secret, StringComparison.Ordinal))
            {
                leaks.Add("console");
            }

            foreach (var place in new[] { Path.Combine(TestPaths.Root, "artifacts"), outputBase })
            {
                // -R follows links (java.log is one); -a reads binary files (profiles, the action cache) as text.
                var found = await new ProcessRunner(Require.Log()).RunAsync(new ProcessSpec(grep, "-R", "-l", "-a", "-F", "--", secret, place) { Timeout = TimeSpan.FromMinutes(10) });
                Assert.True(found.ExitCode is 0 or 1 or 2, $"grep failed: {found.StandardError}");
                leaks.AddRange(found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        foreach (var leak in leaks)
        {
            output.WriteLine("LEAK: " + leak);
        }

        return leaks;
    }

    private async Task<ProcessResult> BuildSh(ScratchWorkspace scratch, string cacheDir, string remote, Dictionary<string, string?> environment)
    {
        environment["NO_COLOR"] = "1";
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec(Path.Combine(TestPaths.Root, "build.sh"),
            "--target=BazelBuild", $"--serving-dir={scratch.ServingDir}", $"--cache-dir={cacheDir}", remote)
        {
            WorkingDirectory = TestPaths.Root,
            Timeout = TimeSpan.FromMinutes(40),
            Environment = environment,
        });
        output.WriteLine($"build.sh --target=BazelBuild exit {result.ExitCode}");
        return result;
    }

    private static async Task WaitForPort(int port, RunningProcess server)
    {
        for (var i = 0; i < 100; i++)
        {
            if (server.HasExited)
            {
                Assert.Fail("nginx exited at start: " + string.Join('\n', (await server.Completion).Tail));
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"nginx did not listen on 127.0.0.1:{port} within 10 s");
    }

    /// <summary>
    /// How long build.sh may show what it was started with: its re-exec comes before any other command, a few
    /// milliseconds after bash starts; the bound leaves room for a loaded two-core host and the 10 ms tick of
    /// /proc's start times.
    /// </summary>
    private static readonly TimeSpan FirstInstant = TimeSpan.FromMilliseconds(500);

    /// <summary>Short enough to catch prepare (~0.3 s) and every Bazel client start.</summary>
    private const int Interval = 50;

    [GeneratedRegex(@"BazelBuild finished in .*\((?<all>\d+) processes, \d+ executed, (?<hits>\d+) remote cache hits\)")]
    private static partial Regex HitLine();

    /// <summary>
    /// Samples every process while the builds run: a secret on any command line, and SERVINGBUILD_REMOTE_HEADERS
    /// in the environment of any Bazel process (client or server), are findings.
    /// </summary>
    private sealed class ProcessWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly HashSet<Finding> _findings = [];
        private readonly HashSet<int> _bazel = [];
        private readonly IReadOnlyList<string> _ours;
        private readonly string _ignore;

        /// <param name="ignore">This test's own grep, whose command line holds the secret it looks for.</param>
        public ProcessWatch(IReadOnlyList<string> secrets, IReadOnlyList<string> ours, string ignore)
        {
            _ours = ours;
            _ignore = ignore;
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Sample(secrets);
                    await Task.Delay(Interval).ConfigureAwait(false);
                }
            });
        }

        public int Samples { get; private set; }

        public int BazelProcesses
        {
            get
            {
                lock (_findings)
                {
                    return _bazel.Count;
                }
            }
        }

        public IReadOnlyList<Finding> Findings
        {
            get
            {
                lock (_findings)
                {
                    return _findings.ToList();
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }

        /// <summary>Run files seen while a run was going on (each is removed when its run ends).</summary>
        public int RunFiles { get; private set; }

        private void Sample(IReadOnlyList<string> secrets)
        {
            Samples++;
            // The run file holds the options while the run goes on: the URL without the password.
            foreach (var runFile in Directory.Exists(Path.Combine(TestPaths.Root, "artifacts", "run"))
                ? Directory.EnumerateFiles(Path.Combine(TestPaths.Root, "artifacts", "run"), "run.json", SearchOption.AllDirectories)
                : [])
            {
                try
                {
                    var text = File.ReadAllText(runFile);
                    RunFiles++;
                    for (var i = 0; i < secrets.Count; i++)
                    {
                        if (text.Contains(secrets[i], StringComparison.Ordinal))
                        {
                            lock (_findings)
                            {
                                _findings.Add(new Finding(0, i, false, "run file " + runFile, false, 0));
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Removed between listing and reading.
                }
            }

            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    var age = Age(dir);
                    if (cmdline.StartsWith(_ignore + " ", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var isBazel = cmdline.Contains("bazel", StringComparison.Ordinal) && !cmdline.Contains("build.sh", StringComparison.Ordinal)
                        && !cmdline.Contains("ServingBuild", StringComparison.Ordinal) && !cmdline.Contains("Cake", StringComparison.OrdinalIgnoreCase)
                        && _ours.Any(o => cmdline.Contains(o, StringComparison.Ordinal));
                    lock (_findings)
                    {
                        if (isBazel)
                        {
                            _bazel.Add(pid);
                        }

                        for (var i = 0; i < secrets.Count; i++)
                        {
                            if (cmdline.Contains(secrets[i], StringComparison.Ordinal))
                            {
                                _findings.Add(new Finding(pid, i, isBazel, "command line: " + Short(cmdline, secrets[i]), cmdline.Contains("build.sh", StringComparison.Ordinal), Math.Round(age, 2)));
                            }
                        }
                    }

                    var environ = isBazel ? File.ReadAllText(Path.Combine(dir, "environ")) : "";
                    foreach (var variable in new[] { "SERVINGBUILD_REMOTE_HEADERS", global::ServingBuild.Options.RemoteCacheUserInfo.Variable })
                    {
                        if (environ.StartsWith(variable + "=", StringComparison.Ordinal) || environ.Contains("\0" + variable + "=", StringComparison.Ordinal))
                        {
                            lock (_findings)
                            {
                                _findings.Add(new Finding(pid, -1, true, $"environment holds {variable}: " + Short(cmdline, ""), false, 0));
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The process ended between listing and reading.
                }
            }
        }

        /// <summary>
        /// A process showing a secret: which one (index into the secrets; -1: a variable in its environment), whether it
        /// is Bazel's or build.sh's, and how old the process was when it showed it.
        /// </summary>
        public sealed record Finding(int Pid, int Secret, bool Bazel, string What, bool BuildSh, double AgeSeconds);

        /// <summary>Seconds since the process started: /proc/uptime less its start time (field 22 of stat, in 1/100 s ticks).</summary>
        private static double Age(string dir)
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var started = long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture) / 100.0;
            var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return uptime - started;
        }

        private static string Short(string cmdline, string secret) =>
            (secret.Length == 0 ? cmdline : cmdline.Replace(secret, "<SECRET>", StringComparison.Ordinal)) is var t && t.Length > 200 ? t[..200] : t;
    }
}
