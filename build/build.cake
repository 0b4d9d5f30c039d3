// The task graph, built from the toolkit's one registry of tasks (src/ServingBuild/Tasks/StageCatalog.cs) as
// `ServingBuild.Cli.dll prepare` wrote it into this run's file: names, descriptions and dependencies are
// written nowhere else. Each task is one call into the toolkit (build/modules/toolkit.cake).
#load "modules/toolkit.cake"

var toolkit = new Toolkit();
foreach (var task in toolkit.Tasks)
{
    var cakeTask = Task(task.Name).Description(task.Description);
    foreach (var dependency in task.DependsOn)
    {
        cakeTask.IsDependentOn(dependency);
    }

    if (task.Runs)
    {
        var name = task.Name;
        cakeTask.Does(() => toolkit.Run(name));
    }
}

// prepare checked --target against the registry and spelled it as the registry does.
var target = Argument("target", "Default");
try
{
    RunTarget(target);
}
catch when (toolkit.FailedExitCode is int code)
{
    // Cake ends a failed run with exit code 1; keep the task's own documented code (README, Exit codes).
    Console.Error.WriteLine("error: " + toolkit.FailureMessage);
    toolkit.Forget();
    System.Environment.Exit(code);
}

toolkit.Forget();
