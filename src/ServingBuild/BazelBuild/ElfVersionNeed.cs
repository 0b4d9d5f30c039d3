namespace ServingBuild.BazelBuild;

/// <summary>One symbol version an ELF binary needs from a shared library, e.g. libc.so.6 GLIBC_2.34.</summary>
public sealed record ElfVersionNeed(string File, string Version);
