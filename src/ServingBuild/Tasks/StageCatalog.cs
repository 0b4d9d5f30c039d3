namespace ServingBuild.Tasks;

/// <summary>The tasks by name, with their one-line descriptions; the Cake script and the CLI both read this.</summary>
public static class StageCatalog
{
    public sealed record Entry(string Name, string Description, Func<IStage> Create);

    public static readonly IReadOnlyList<Entry> Stages =
    [
        new("Doctor", "Report the host: OS, glibc, CPUs, RAM, disk, prerequisites, Bazel found and wanted; changes nothing", () => new Doctor.DoctorStage()),
        new("Provision", "Install the host prerequisites (yum on CentOS 7, apt on Debian/Ubuntu), locally, over ssh or as a script", () => new Provision.ProvisionStage()),
        new("BazelBuild", "Build tensorflow_model_server with Bazel, sized to the host, diagnosing known failures", () => new BazelBuild.BazelBuildStage()),
        new("Protos", "Copy, rewrite and strip the serving protos into protos/, checked on the wire against upstream", () => new Protos.ProtosStage()),
        new("Stubs", "Generate and pack the C# client from protos/ with Grpc.Tools and check its surface", () => new Stubs.StubsStage()),
        new("Verify", "Call the built (or a running) model server with the generated client and report latency", () => new Verify.VerifyStage()),
        new("Test", "Install the test prerequisites and run every test project", () => new Test.TestStage()),
        new("Clean", "Remove artifacts/ and the toolkit's Bazel outputs in the bundled workspace", () => new Clean.CleanStage()),
    ];

    public static Entry? Find(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
