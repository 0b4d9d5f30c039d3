namespace ServingBuild.Provision;

/// <summary>
/// The empty /usr/include/stropts.h that lets '@curl//:curl' compile where glibc dropped the header (2.30 and
/// later; Debian 12 has none). It must sit in a builtin include folder: Bazel refuses an -isystem outside the
/// execroot. Created only when absent, so a real header is never replaced.
/// </summary>
public static class StroptsShim
{
    /// <summary>Where the shim goes: a builtin include folder of the host's compiler.</summary>
    public const string HeaderPath = "/usr/include/stropts.h";

    public static readonly ProvisionStep Step = new(
        "stropts-shim",
        "Create an empty /usr/include/stropts.h (0644) when the header is absent",
        "test -e \"$SYSROOT/usr/include/stropts.h\"",
        """
        umask 022
        mkdir -p "$SYSROOT/usr/include"
        : > "$SYSROOT/usr/include/stropts.h"
        chmod 0644 "$SYSROOT/usr/include/stropts.h"
        echo "created an empty $SYSROOT/usr/include/stropts.h (this glibc has no stropts.h; @curl//:curl includes it)"
        """,
        NeedsRoot: true)
    {
        Why = "glibc 2.30 and later have no stropts.h; '@curl//:curl' fails with 'fatal error: stropts.h: No such file or directory'",
    };
}
