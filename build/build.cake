// The task graph. Thin by design: every task is one call into the toolkit (src/ServingBuild, no Cake
// dependency) through its compiled entry point, so a Cake.Frosting host can replace this file later
// without touching any logic. build.sh / build.ps1 build that entry point and pass its path in
// SERVINGBUILD_CLI.
#load "modules/toolkit.cake"

var target = Argument("target", "Default");
var toolkit = new Toolkit(Context);

// A bad option fails in one line before any task runs (Setup does not run for --description).
Setup(context => toolkit.CheckOptions());

Task("Doctor")
    .Description("Report the host: OS, glibc, CPUs, RAM, disk, prerequisites, Bazel found and wanted; changes nothing")
    .Does(() => toolkit.Run("Doctor"));

Task("Provision")
    .Description("Install the host prerequisites (yum on CentOS 7, apt on Debian/Ubuntu), locally, over ssh or as a script")
    .Does(() => toolkit.Run("Provision"));

Task("BazelBuild")
    .Description("Build tensorflow_model_server with Bazel, sized to the host, diagnosing known failures")
    .Does(() => toolkit.Run("BazelBuild"));

Task("Protos")
    .Description("Copy, rewrite and strip the serving protos into protos/, checked on the wire against upstream")
    .Does(() => toolkit.Run("Protos"));

Task("Stubs")
    .Description("Generate and pack the C# client from protos/ with Grpc.Tools and check its surface")
    .Does(() => toolkit.Run("Stubs"));

Task("Verify")
    .Description("Call the built (or a running) model server with the generated client and report latency")
    .Does(() => toolkit.Run("Verify"));

Task("Test")
    .Description("Install the test prerequisites and run every test project")
    .Does(() => toolkit.Run("Test"));

Task("Clean")
    .Description("Remove artifacts/ and the toolkit's Bazel outputs in the bundled workspace")
    .Does(() => toolkit.Run("Clean"));

Task("Default")
    .Description("The whole pipeline: Provision, BazelBuild, Protos, Stubs, Verify")
    .IsDependentOn("Provision")
    .IsDependentOn("BazelBuild")
    .IsDependentOn("Protos")
    .IsDependentOn("Stubs")
    .IsDependentOn("Verify");

// A bad target fails in one line naming the valid ones (Cake's own error would not list them).
toolkit.CheckTarget(target, Tasks.Select(t => t.Name));
try
{
    RunTarget(target);
}
catch when (toolkit.FailedExitCode is int code)
{
    // Cake ends a failed run with exit code 1; keep the task's own documented code (README, Exit codes).
    Console.Error.WriteLine("error: " + toolkit.FailureMessage);
    System.Environment.Exit(code);
}
