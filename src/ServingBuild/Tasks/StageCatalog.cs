namespace ServingBuild.Tasks;

/// <summary>
/// The one registry of tasks: name, one-line description, the tasks each depends on, and the stage that runs it
/// (none for a task that only groups others, such as Default). build/build.cake builds Cake's task graph from
/// this list (it reaches it through the run file `ServingBuild.Cli.dll prepare` writes), and the CLI runs stages
/// from it, so nothing here is written twice.
/// </summary>
public static class StageCatalog
{
    public sealed record Entry(string Name, string Description, IReadOnlyList<string> DependsOn, Func<IStage>? Create)
    {
        /// <summary>True for a task that runs a stage; false for one that only runs its dependencies.</summary>
        public bool Runs => Create is not null;
    }

    public const string DefaultTask = "Default";

    public static readonly IReadOnlyList<Entry> Tasks =
    [
        new("Doctor", "Report the host: OS, glibc, CPUs, RAM, disk, prerequisites, Bazel found and wanted; changes nothing", [], () => new Doctor.DoctorStage()),
        new("Provision", "Install the host prerequisites (yum on CentOS 7, apt on Debian/Ubuntu), locally, over ssh or as a script", [], () => new Provision.ProvisionStage()),
        new("BazelBuild", "Build tensorflow_model_server with Bazel, sized to the host, diagnosing known failures", [], () => new BazelBuild.BazelBuildStage()),
        new("Protos", "Copy, rewrite and strip the serving protos into protos/, checked on the wire against upstream", [], () => new Protos.ProtosStage()),
        new("Stubs", "Generate and pack the C# client from protos/ with Grpc.Tools and check its surface", [], () => new Stubs.StubsStage()),

        // The verifier calls the server through the generated client, so Verify needs Stubs' output first.
        new("Verify", "Call the built (or a running) model server with the generated client and report latency", ["Stubs"], () => new Verify.VerifyStage()),
        new("Test", "Install the test prerequisites and run every test project", [], () => new Test.TestStage()),
        new("Clean", "Remove artifacts/ and the toolkit's Bazel outputs in the bundled workspace", [], () => new Clean.CleanStage()),
        new(DefaultTask, "The whole pipeline: Provision, BazelBuild, Protos, Stubs, Verify", ["Provision", "BazelBuild", "Protos", "Stubs", "Verify"], null),
    ];

    /// <summary>The tasks that run a stage (every task but Default).</summary>
    public static IEnumerable<Entry> Stages => Tasks.Where(t => t.Runs);

    public static Entry? Find(string name) =>
        Tasks.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", Tasks.Select(t => t.Name));
}
