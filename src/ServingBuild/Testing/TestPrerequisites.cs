using ServingBuild.Running;

namespace ServingBuild.Testing;

/// <summary>What the test suite needs on a Debian/Ubuntu host, installed before the tests run.</summary>
public static class TestPrerequisites
{
    public static Task EnsureAsync(StageContext context, CancellationToken cancellationToken) =>
        Provisioning.ProvisionStage.EnsureTestPrerequisitesAsync(context, cancellationToken);
}
