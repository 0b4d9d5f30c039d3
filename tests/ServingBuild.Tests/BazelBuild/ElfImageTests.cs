using System.Diagnostics;
using System.Text.RegularExpressions;
using ServingBuild.BazelBuild;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>ELF reading against real binaries of this machine, checked against binutils' readelf -V.</summary>
[Trait("Category", "Integration")]
public sealed class ElfImageTests
{
    private static readonly string Ls = File.Exists("/bin/ls") ? "/bin/ls" : "/usr/bin/ls";

    [Fact]
    public void Reads_the_GLIBC_needs_of_bin_ls_as_readelf_reports_them()
    {
        var readelf = ReadelfNeeds(Ls);
        Assert.NotEmpty(readelf);

        var image = ElfImage.TryRead(Ls)!;

        Assert.Equal(readelf.Order(), image.VersionNeeds.Select(n => $"{n.File} {n.Version}").Order());
        var highest = readelf.Select(n => ElfImage.ParseVersion(n.Split(' ')[1], "GLIBC_")).Where(v => v is not null).Max();
        Assert.Equal(highest, image.Glibc);
        Assert.True(image.IsDynamic);
    }

    [Fact]
    public void Reads_a_GLIBCXX_need_from_a_program_linked_with_libstdcxx()
    {
        // protoc (protobuf-compiler) and g++ are C++ programs linking libstdc++; Debian's bazel launcher may be a script.
        var cxx = new[] { "/usr/bin/protoc", "/usr/bin/g++", "/usr/bin/bazel" }
            .Select(p => new FileInfo(p).ResolveLinkTarget(true)?.FullName ?? p)
            .FirstOrDefault(p => File.Exists(p) && File.ReadAllBytes(p)[..4].SequenceEqual("\u007fELF"u8.ToArray()) && ReadelfNeeds(p).Any(n => n.Contains("GLIBCXX_", StringComparison.Ordinal)));
        Assert.True(cxx is not null, "no C++ program with GLIBCXX needs found (protobuf-compiler or g++; ./build.sh --target=Test installs them)");

        var expected = ReadelfNeeds(cxx!).Select(n => ElfImage.ParseVersion(n.Split(' ')[1], "GLIBCXX_")).Where(v => v is not null).Max();

        Assert.Equal(expected, ElfImage.TryRead(cxx!)!.Glibcxx);
    }

    [Fact]
    public void The_machine_of_a_host_binary_is_the_host_machine()
    {
        var header = Run("readelf", "-h", Ls);
        var machine = Regex.Match(header, @"Machine:\s+(.+)").Groups[1].Value.Trim();

        var image = ElfImage.TryRead(Ls)!;

        Assert.Equal(ElfImage.HostMachine, image.Machine);
        Assert.Equal(Environment.Is64BitOperatingSystem, image.Is64Bit);
        Assert.NotEmpty(machine);
    }

    [Fact]
    public void A_script_and_a_text_file_are_not_ELF_images()
    {
        using var dir = new TempDir("elf");
        Assert.Null(ElfImage.TryRead(dir.Write("run.sh", "#!/bin/sh\nexit 0\n")));
        Assert.Null(ElfImage.TryRead(dir.Write("notes.txt", "x")));
    }

    [Fact]
    public void A_truncated_ELF_file_is_refused_in_one_line()
    {
        using var dir = new TempDir("elf");
        var path = dir.Combine("cut");
        File.WriteAllBytes(path, File.ReadAllBytes(Ls)[..40]);

        var ex = Assert.Throws<ToolkitException>(() => ElfImage.TryRead(path));

        Assert.Contains(path, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task The_manifest_of_bin_ls_carries_its_size_sha256_and_GLIBC_need()
    {
        using var serving = new TempDir("serving");
        using var log = Require.Log();
        var context = new StageContext(ServingBuild.Options.OptionsParser.Parse([], TestPaths.Toolkit), TestPaths.Toolkit, log);

        var manifest = await ServerExport.DescribeAsync(Ls, serving.Path, "7.4.1", ["--config=release"], context, CancellationToken.None);

        Assert.Equal(new FileInfo(Ls).Length, manifest.Size);
        Assert.Equal(Run("sha256sum", Ls).Split(' ')[0], manifest.Sha256);
        Assert.Equal(ElfImage.TryRead(Ls)!.Glibc!.ToString(), manifest.Glibc);
        Assert.Null(manifest.ServingCommit);
        Assert.Equal(ServerManifest.RunsOnCentOs7(Version.Parse(manifest.Glibc!), manifest.Glibcxx is null ? null : Version.Parse(manifest.Glibcxx)), manifest.CentOs7Compatible);
    }

    /// <summary>"libc.so.6 GLIBC_2.34" for each entry of readelf -V's version needs section.</summary>
    private static List<string> ReadelfNeeds(string path)
    {
        var needs = new List<string>();
        var inNeeds = false;
        var file = "";
        foreach (var line in Run("readelf", "-V", "-W", path).Split('\n'))
        {
            if (line.StartsWith("Version needs section", StringComparison.Ordinal))
            {
                inNeeds = true;
                continue;
            }

            if (inNeeds && line.StartsWith("Version ", StringComparison.Ordinal))
            {
                inNeeds = false;
            }

            if (!inNeeds)
            {
                continue;
            }

            if (Regex.Match(line, @"File: (\S+)") is { Success: true } f)
            {
                file = f.Groups[1].Value;
            }
            else if (Regex.Match(line, @"Name: (\S+)") is { Success: true } n)
            {
                needs.Add($"{file} {n.Groups[1].Value}");
            }
        }

        return needs;
    }

    private static string Run(string program, params string[] args)
    {
        Require.Program(program, program == "readelf" ? "binutils" : "coreutils");
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return text;
    }
}
