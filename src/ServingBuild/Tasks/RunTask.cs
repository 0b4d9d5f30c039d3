namespace ServingBuild.Tasks;

/// <summary>A task as the Cake script needs it to build the graph: name, description, dependencies, whether it runs a stage.</summary>
public sealed record RunTask(string Name, string Description, IReadOnlyList<string> DependsOn, bool Runs);
