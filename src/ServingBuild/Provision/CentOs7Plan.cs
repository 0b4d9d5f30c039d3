namespace ServingBuild.Provision;

/// <summary>
/// The CentOS 7 host plan (yum and rpm; bash 4.2). CentOS 7 is past end of life, so its mirrorlist no longer
/// answers: the repos are pointed at vault.centos.org first. Build prerequisites follow upstream's
/// Dockerfile.devel, translated to CentOS 7's package names where CentOS 7 has them.
/// </summary>
public static class CentOs7Plan
{
    public const string VaultRelease = "7.9.2009";
    public const string DevtoolsetVersion = "11";

    /// <summary>
    /// Upstream's Dockerfile.devel list as CentOS 7 names it. Left out: software-properties-common and python-dev
    /// (Ubuntu only; python3-devel instead), zeromq-devel (EPEL only, and the model server does not link it),
    /// openjdk-8-jre-headless (java-1.8.0-openjdk-devel brings it).
    /// </summary>
    public static readonly IReadOnlyList<string> BuildPackages =
    [
        "automake", "ca-certificates", "curl", "freetype-devel", "gcc", "gcc-c++", "git", "java-1.8.0-openjdk-devel",
        "libcurl-devel", "libpng-devel", "libtool", "make", "mlocate", "patch", "pkgconfig", "python3", "python3-devel",
        "swig", "tar", "unzip", "wget", "which", "zip", "zlib-devel",
    ];

    /// <summary>The plan's bzip2 step; --auto-fix runs this same step on CentOS 7 (SafeFixer).</summary>
    public static readonly ProvisionStep Bzip2Step =
        Yum("bzip2", ["bzip2"], "tar needs bzip2 to unpack .tar.bz2 archives during the build ('tar (child): bzip2: Cannot exec')");

    public static ProvisionPlan Create(PlanInputs inputs)
    {
        var vault = inputs.Architecture == "x86_64"
            ? $"http://vault.centos.org/{VaultRelease}"
            : $"http://vault.centos.org/altarch/{VaultRelease}";
        var steps = new List<ProvisionStep>();
        var notes = new List<string>();

        if (!inputs.SkipVault)
        {
            steps.Add(new ProvisionStep(
                "yum-vault",
                $"Point the base, updates and extras repos at {vault} (originals kept as *.servingbuild-orig)",
                $"grep -q '^baseurl={vault}/' \"$SYSROOT/etc/yum.repos.d/CentOS-Base.repo\" \\\n  || curl -fsS --max-time 15 -o /dev/null 'http://mirrorlist.centos.org/?release=7&arch={inputs.Architecture}&repo=os'",
                ReplaceRepoFile("CentOS-Base.repo",
                [
                    ("base", "Base", $"{vault}/os/$basearch/", "RPM-GPG-KEY-CentOS-7"),
                    ("updates", "Updates", $"{vault}/updates/$basearch/", "RPM-GPG-KEY-CentOS-7"),
                    ("extras", "Extras", $"{vault}/extras/$basearch/", "RPM-GPG-KEY-CentOS-7"),
                ]),
                NeedsRoot: true)
            {
                Why = "CentOS 7 reached end of life on 2024-06-30; mirrorlist.centos.org no longer answers and yum fails until the repos use the vault",
            });
        }
        else
        {
            notes.Add("--skip-vault: the yum repos are left as they are; yum fails if they still use mirrorlist.centos.org");
        }

        steps.Add(Bzip2Step);
        steps.Add(Yum("pyqt4", ["PyQt4"], "the seed's host steps install it (rpm names are case-sensitive: PyQt4)"));
        steps.Add(Yum("build-prerequisites", BuildPackages, "what upstream's Dockerfile.devel installs, under CentOS 7's names"));

        if (inputs.NeedsModernCompiler)
        {
            steps.Add(Yum("scl-release", ["centos-release-scl"], "Software Collections, for a gcc newer than CentOS 7's 4.8.5"));
            if (!inputs.SkipVault)
            {
                steps.Add(new ProvisionStep(
                    "scl-vault",
                    $"Point the Software Collections repos at {vault}/sclo (originals kept as *.servingbuild-orig)",
                    $"grep -q '^baseurl={vault}/sclo/' \"$SYSROOT/etc/yum.repos.d/CentOS-SCLo-scl-rh.repo\" \\\n  || curl -fsS --max-time 15 -o /dev/null 'http://mirrorlist.centos.org/?release=7&arch={inputs.Architecture}&repo=sclo-rh'",
                    ReplaceRepoFile("CentOS-SCLo-scl.repo", [("centos-sclo-sclo", "SCLo sclo", $"{vault}/sclo/$basearch/sclo/", "RPM-GPG-KEY-CentOS-SIG-SCLo")])
                        + "\n" + ReplaceRepoFile("CentOS-SCLo-scl-rh.repo", [("centos-sclo-rh", "SCLo rh", $"{vault}/sclo/$basearch/rh/", "RPM-GPG-KEY-CentOS-SIG-SCLo")]),
                    NeedsRoot: true)
                {
                    Why = "centos-release-scl's repos use the mirrorlist too",
                });
            }

            var dts = $"devtoolset-{DevtoolsetVersion}";
            steps.Add(Yum("devtoolset", [$"{dts}-gcc", $"{dts}-gcc-c++", $"{dts}-binutils"], "TensorFlow Serving 2.x needs C++17; CentOS 7's gcc 4.8.5 cannot compile it"));
            notes.Add($"build with devtoolset's compiler: scl enable {dts} -- bash, or CC=/opt/rh/{dts}/root/usr/bin/gcc");
        }

        steps.Add(StroptsShim.Step);
        if (inputs.WantedBazel is { } bazel)
        {
            steps.Add(BazelInstallStep.For(bazel, inputs.Architecture, inputs.BazelMirror));
            notes.AddRange(BazelInstallStep.Notes(bazel, inputs.Architecture, jdk8Installed: true));
        }

        var name = "CentOS 7" + (inputs.SkipVault ? "" : $", vault {VaultRelease}") + (inputs.NeedsModernCompiler ? $", devtoolset-{DevtoolsetVersion}" : "")
            + (inputs.WantedBazel is { } b ? $", Bazel {b}" : "");
        return new ProvisionPlan(name, steps)
        {
            OsId = "centos",
            OsVersionPrefix = "7",
            Notes = notes,
        };
    }

    private static ProvisionStep Yum(string id, IReadOnlyList<string> packages, string why) => new(
        id,
        "yum install " + string.Join(' ', packages),
        "rpm -q " + string.Join(' ', packages),
        "yum install -y " + string.Join(' ', packages),
        NeedsRoot: true)
    {
        Why = why,
        MissingQuery = $"rpm -q {string.Join(' ', packages)} | sed -n 's/^package \\(.*\\) is not installed$/\\1/p' || true",
    };

    /// <summary>Bash that keeps the original repo file once, then writes the vault version next to it and renames it in.</summary>
    private static string ReplaceRepoFile(string file, IReadOnlyList<(string Id, string Name, string BaseUrl, string Key)> repos)
    {
        var lines = new List<string>
        {
            "repos=\"$SYSROOT/etc/yum.repos.d\"",
            $"if [ -e \"$repos/{file}\" ] && [ ! -e \"$repos/{file}.servingbuild-orig\" ]; then",
            $"  cp -p \"$repos/{file}\" \"$repos/{file}.servingbuild-orig\"",
            "fi",
            $"cat > \"$repos/{file}.servingbuild-new\" <<'REPO'",
        };
        foreach (var r in repos)
        {
            lines.Add($"[{r.Id}]");
            lines.Add($"name=CentOS-{VaultRelease} - {r.Name} (vault)");
            lines.Add($"baseurl={r.BaseUrl}");
            lines.Add("gpgcheck=1");
            lines.Add("enabled=1");
            lines.Add($"gpgkey=file:///etc/pki/rpm-gpg/{r.Key}");
        }

        lines.Add("REPO");
        lines.Add($"mv \"$repos/{file}.servingbuild-new\" \"$repos/{file}\"");
        lines.Add("yum clean all");
        return string.Join('\n', lines);
    }
}
