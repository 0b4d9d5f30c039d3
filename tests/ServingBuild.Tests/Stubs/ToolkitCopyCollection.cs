namespace ServingBuild.Tests.Stubs;

/// <summary>Tests that share one built <see cref="ToolkitCopy"/> (the build takes a minute; it runs once).</summary>
[CollectionDefinition(Name)]
public sealed class ToolkitCopyCollection : ICollectionFixture<ToolkitCopy>
{
    public const string Name = "built toolkit copy";
}
