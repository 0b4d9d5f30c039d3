using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ELFSharp.ELF;

namespace ServingBuild.BazelBuild;

/// <summary>
/// What the dynamic loader will ask of an ELF executable: its machine (e_machine), its class, and the symbol
/// versions it needs from shared libraries (.gnu.version_r), such as GLIBC_2.34 or GLIBCXX_3.4.30.
/// ELFSharp reads the header and the sections; it does not decode version needs, so the Elf_Verneed and
/// Elf_Vernaux records are walked here (their names are offsets into .dynstr).
/// </summary>
public sealed record ElfImage(ushort Machine, bool Is64Bit, bool IsDynamic, IReadOnlyList<ElfVersionNeed> VersionNeeds)
{
    /// <summary>The four bytes every ELF file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>The newest GLIBC_x.y[.z] the binary needs; null for a static binary or one that needs none.</summary>
    public Version? Glibc => Highest("GLIBC_");

    /// <summary>The newest GLIBCXX_x.y.z (libstdc++) the binary needs; null when it does not link libstdc++.</summary>
    public Version? Glibcxx => Highest("GLIBCXX_");

    /// <summary>e_machine as its usual name (x86_64, aarch64, ...), or the number.</summary>
    public string MachineName => NameOf(Machine);

    /// <summary>Reads <paramref name="path"/>; null when it does not start with the ELF magic (a script, text, another format).</summary>
    /// <exception cref="ToolkitException">The file starts like an ELF file but cannot be read as one.</exception>
    public static ElfImage? TryRead(string path)
    {
        if (!StartsWithMagic(path))
        {
            return null;
        }

        IELF? elf = null;
        try
        {
            if (!ELFReader.TryLoad(path, out elf))
            {
                throw new ToolkitException($"{path} starts like an ELF file but is not a readable one (truncated or damaged); rebuild it");
            }

            var needs = new List<ElfVersionNeed>();
            if (elf.TryGetSection(".gnu.version_r", out var verneed) && elf.TryGetSection(".dynstr", out var dynstr))
            {
                var little = elf.Endianess == ELFSharp.Endianess.LittleEndian;
                needs.AddRange(ReadVersionNeeds(verneed.GetContents(), dynstr.GetContents(), little));
            }

            var dynamic = elf.TryGetSection(".dynamic", out _);
            return new ElfImage((ushort)elf.Machine, elf.Class == Class.Bit64, dynamic, needs);
        }
        catch (Exception ex) when (ex is not ToolkitException && ex is not OutOfMemoryException)
        {
            throw new ToolkitException($"{path} starts like an ELF file but cannot be read ({ex.Message}); rebuild it");
        }
        finally
        {
            (elf as IDisposable)?.Dispose();
        }
    }

    /// <summary>True when the file's first bytes are the ELF magic.</summary>
    public static bool StartsWithMagic(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(Magic);
    }

    /// <summary>e_machine of the process running now (what this host's loader accepts), or null for an architecture not listed.</summary>
    public static ushort? HostMachine => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 62,
        Architecture.Arm64 => 183,
        Architecture.X86 => 3,
        Architecture.Arm or Architecture.Armv6 => 40,
        Architecture.S390x => 22,
        Architecture.Ppc64le => 21,
        Architecture.RiscV64 => 243,
        Architecture.LoongArch64 => 258,
        _ => null,
    };

    public static string NameOf(ushort machine) => machine switch
    {
        62 => "x86_64",
        183 => "aarch64",
        3 => "i386",
        40 => "arm",
        22 => "s390x",
        21 => "ppc64",
        243 => "riscv64",
        258 => "loongarch64",
        _ => "e_machine " + machine.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>"2.34" from "GLIBC_2.34"; null for GLIBC_PRIVATE and other non-numeric versions.</summary>
    public static Version? ParseVersion(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var text = name[prefix.Length..];
        return text.Split('.').All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) && Version.TryParse(text.Contains('.') ? text : text + ".0", out var v) ? v : null;
    }

    private Version? Highest(string prefix) =>
        VersionNeeds.Select(n => ParseVersion(n.Version, prefix)).Where(v => v is not null).Max();

    // Elf32_Verneed and Elf64_Verneed have the same layout: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32,
    // vn_next u32; Elf_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
    private static IEnumerable<ElfVersionNeed> ReadVersionNeeds(byte[] section, byte[] strings, bool little)
    {
        ushort U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(section.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(section.AsSpan(at));
        uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(section.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(section.AsSpan(at));

        var result = new List<ElfVersionNeed>();
        var entry = 0;
        // Bounded by the section's size so a damaged chain cannot loop forever.
        for (var guard = 0; entry >= 0 && entry + 16 <= section.Length && guard < section.Length; guard++)
        {
            var count = U16(entry + 2);
            var file = StringAt(strings, U32(entry + 4));
            var aux = entry + (int)U32(entry + 8);
            for (var i = 0; i < count && aux >= 0 && aux + 16 <= section.Length; i++)
            {
                result.Add(new ElfVersionNeed(file, StringAt(strings, U32(aux + 8))));
                var nextAux = U32(aux + 12);
                if (nextAux == 0)
                {
                    break;
                }

                aux += (int)nextAux;
            }

            var next = U32(entry + 12);
            if (next == 0)
            {
                break;
            }

            entry += (int)next;
        }

        return result;
    }

    private static string StringAt(byte[] strings, uint offset)
    {
        if (offset >= strings.Length)
        {
            return "";
        }

        var end = Array.IndexOf(strings, (byte)0, (int)offset);
        return Encoding.UTF8.GetString(strings, (int)offset, (end < 0 ? strings.Length : end) - (int)offset);
    }
}
