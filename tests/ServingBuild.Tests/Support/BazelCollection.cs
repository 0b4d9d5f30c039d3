namespace ServingBuild.Tests.Support;

/// <summary>
/// Every test that runs Bazel joins this collection, so they run one at a time: they share the Bazel
/// server, the disk cache and /usr/include/stropts.h. Take <see cref="MiniServerBuild"/> in the constructor
/// to get the built tensorflow_model_server.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BazelCollection : ICollectionFixture<MiniServerBuild>
{
    public const string Name = "Bazel";
}
