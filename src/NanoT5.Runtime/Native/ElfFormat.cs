// The ELF64 format as NanoT5 reads and edits it: the one copy of its field offsets, used by ElfLibrary (measuring a
// library before dlopen) and ElfVersionNeedPatcher (making libLibTorchSharp.so load on a libstdc++ older than GCC 13).
//
// One file because MSBuild's inline task factory compiles exactly one: build/NativeFix.targets compiles this file
// alone, against netstandard2.0 and without defines, into the PatchLibTorchSharpForOldLibStdCxx task that runs after
// every build and publish; the runtime compiles it as part of Native (NET defined) without that task. So it uses only
// the base class library, in a form netstandard2.0 has (arrays and explicit little-endian reads, no spans or records).
//
// The patch. TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++ and needs the symbol
// std::ios_base_library_init() at version GLIBCXX_3.4.32. GCC 13's <iostream> only *references* that symbol (to pull
// in libstdc++'s own stream initialisation); nothing calls it. Older libstdc++ lacks both the symbol and the version,
// so dlopen fails. The patch is three in-place edits that keep the file's size and layout:
//   1. the version need GLIBCXX_3.4.32 gets VER_FLG_WEAK (a missing weak version is not fatal);
//   2. every dynamic symbol bound to that version becomes unversioned (.gnu.version entry 1);
//   3. those symbols become STB_WEAK, so an absent definition resolves to 0 instead of failing.
// Streams still work: libtorch_cpu.so, built with an older GCC, constructs std::ios_base::Init itself.
#nullable enable
// The inline task factory compiles without implicit usings: these are needed there, redundant in the runtime.
#pragma warning disable IDE0005
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
#if !NET
using Microsoft.Build.Framework;
#endif
#pragma warning restore IDE0005

namespace NanoT5.Native;

/// <summary>The fields of an ELF file header that NanoT5 reads; the table fields are meaningful for ELF64 little-endian files.</summary>
internal sealed class ElfHeader
{
    /// <summary>Bytes of an ELF64 file header.</summary>
    public const int Size = 64;

    /// <summary>e_type of a shared library (ET_DYN).</summary>
    public const ushort SharedObject = 3;

    private ElfHeader(byte[] header)
    {
        Class = header[4];
        Encoding = header[5];
        Type = ElfBytes.U16(header, 16);
        Machine = ElfBytes.U16(header, 18);
        ProgramHeaderOffset = ElfBytes.U64(header, 32);
        SectionHeaderOffset = ElfBytes.U64(header, 40);
        ProgramHeaderEntrySize = ElfBytes.U16(header, 54);
        ProgramHeaderCount = ElfBytes.U16(header, 56);
        SectionHeaderEntrySize = ElfBytes.U16(header, 58);
        SectionHeaderCount = ElfBytes.U16(header, 60);
    }

    /// <summary>EI_CLASS: 1 for 32-bit, 2 for 64-bit.</summary>
    public byte Class { get; }

    /// <summary>EI_DATA: 1 for little-endian, 2 for big-endian.</summary>
    public byte Encoding { get; }

    public bool IsLittleEndian64 => Class == 2 && Encoding == 1;

    /// <summary>e_type (3: shared library).</summary>
    public ushort Type { get; }

    /// <summary>e_machine (62: x86-64, 183: AArch64).</summary>
    public ushort Machine { get; }

    public ulong ProgramHeaderOffset { get; }

    public ulong SectionHeaderOffset { get; }

    public ushort ProgramHeaderEntrySize { get; }

    public ushort ProgramHeaderCount { get; }

    public ushort SectionHeaderEntrySize { get; }

    public ushort SectionHeaderCount { get; }

    /// <summary>Whether <paramref name="bytes"/> start with the ELF magic number.</summary>
    public static bool HasMagic(byte[] bytes) =>
        bytes.Length >= 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    /// <summary>The header at the start of <paramref name="bytes"/> (at least <see cref="Size"/> bytes).</summary>
    public static ElfHeader Read(byte[] bytes) =>
        bytes.Length >= Size ? new ElfHeader(bytes) : throw new ArgumentException($"an ELF64 header is {Size} bytes; got {bytes.Length}", nameof(bytes));
}

/// <summary>The fields of an ELF64 program header (a segment) that NanoT5 reads.</summary>
internal sealed class ElfProgramHeader
{
    /// <summary>Bytes of an ELF64 program header.</summary>
    public const int EntrySize = 56;

    /// <summary>p_type of a segment dlopen maps (PT_LOAD).</summary>
    public const uint LoadSegment = 1;

    /// <summary>p_type of the dynamic linking table (PT_DYNAMIC).</summary>
    public const uint DynamicSegment = 2;

    private ElfProgramHeader(byte[] bytes, int at)
    {
        Type = ElfBytes.U32(bytes, at);
        Offset = ElfBytes.U64(bytes, at + 8);
        FileSize = ElfBytes.U64(bytes, at + 32);
    }

    public uint Type { get; }

    /// <summary>p_offset: where the segment's bytes start in the file.</summary>
    public ulong Offset { get; }

    /// <summary>p_filesz: how many of the segment's bytes the file holds.</summary>
    public ulong FileSize { get; }

    public static ElfProgramHeader Read(byte[] bytes, int at) => new(bytes, at);
}

/// <summary>The fields of an ELF64 section header that NanoT5 reads.</summary>
internal sealed class ElfSectionHeader
{
    /// <summary>Bytes of an ELF64 section header.</summary>
    public const int EntrySize = 64;

    /// <summary>sh_type of the dynamic symbol table (SHT_DYNSYM).</summary>
    public const uint DynamicSymbols = 11;

    /// <summary>sh_type of the version needs (SHT_GNU_verneed).</summary>
    public const uint VersionNeeds = 0x6ffffffe;

    /// <summary>sh_type of the symbols' version indices (SHT_GNU_versym).</summary>
    public const uint SymbolVersions = 0x6fffffff;

    private ElfSectionHeader(byte[] image, long at)
    {
        Type = ElfBytes.U32(image, at + 4);
        Offset = (long)ElfBytes.U64(image, at + 0x18);
        Size = (long)ElfBytes.U64(image, at + 0x20);
        Link = (int)ElfBytes.U32(image, at + 0x28);
    }

    public uint Type { get; }

    public long Offset { get; }

    public long Size { get; }

    /// <summary>sh_link: the index of the section this one refers to (a string table, say).</summary>
    public int Link { get; }

    /// <summary>Every section header of <paramref name="image"/>, a whole ELF64 file.</summary>
    public static List<ElfSectionHeader> ReadAll(byte[] image, ElfHeader header)
    {
        var sections = new List<ElfSectionHeader>(header.SectionHeaderCount);
        for (int i = 0; i < header.SectionHeaderCount; i++)
        {
            sections.Add(new ElfSectionHeader(image, (long)header.SectionHeaderOffset + ((long)i * header.SectionHeaderEntrySize)));
        }

        return sections;
    }
}

/// <summary>Little-endian reads and writes, whatever the host's byte order.</summary>
internal static class ElfBytes
{
    public static ushort U16(byte[] b, long at) => (ushort)(b[at] | (b[at + 1] << 8));

    public static uint U32(byte[] b, long at) => U16(b, at) | ((uint)U16(b, at + 2) << 16);

    public static ulong U64(byte[] b, long at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);

    public static void WriteU16(byte[] b, long at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }
}

/// <summary>What <see cref="ElfVersionNeedPatcher.Patch"/> did to a file.</summary>
internal enum ElfPatchOutcome
{
    /// <summary>The file was rewritten with the version need made weak.</summary>
    Patched,

    /// <summary>The file had already been patched.</summary>
    AlreadyPatched,

    /// <summary>The file does not need the version at all.</summary>
    NotNeeded,
}

/// <summary>In-place ELF64 edits that make one version need (and its symbols) weak.</summary>
internal static class ElfVersionNeedPatcher
{
    /// <summary>The version that GCC 13's libstdc++ introduced and Debian 12's lacks.</summary>
    public const string Glibcxx3432 = "GLIBCXX_3.4.32";

    private const ushort VerFlgWeak = 0x2;
    private const byte StbWeak = 2;
    private const int SymbolSize = 24;
    private static readonly char[] PathSeparator = { ':' };
    private static readonly string[] LibraryDirectories =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib",
    };

    /// <summary>Patches <paramref name="path"/> through a temporary file and an atomic rename.</summary>
    public static ElfPatchOutcome Patch(string path, string versionName)
    {
        byte[] image = File.ReadAllBytes(path);
        ElfPatchOutcome outcome = PatchImage(image, versionName, path);
        if (outcome != ElfPatchOutcome.Patched)
        {
            return outcome;
        }

        // Never write through the existing file: it may be a hard link into the NuGet cache.
        // Copy first so the temporary file keeps the original's permissions, then rename over it.
        string temporary = path + ".nanot5-patch.tmp";
        DateTime shipped = File.GetLastWriteTimeUtc(path);
        File.Copy(path, temporary, overwrite: true);
        File.WriteAllBytes(temporary, image);
        // Keep the shipped file's time stamp: the next build's copy then sees an unchanged file (same size and
        // time) and skips it, so the output stays patched and the build stays up to date.
        File.SetLastWriteTimeUtc(temporary, shipped);
        File.Replace(temporary, path, null);
        return outcome;
    }

    /// <summary>Applies the edits to an in-memory ELF image.</summary>
    public static ElfPatchOutcome PatchImage(byte[] image, string versionName, string nameForErrors)
    {
        if (image.Length < ElfHeader.Size || !ElfHeader.HasMagic(image))
        {
            throw new InvalidDataException($"{nameForErrors} is not an ELF file.");
        }

        ElfHeader header = ElfHeader.Read(image);
        if (!header.IsLittleEndian64)
        {
            throw new InvalidDataException($"{nameForErrors} is not a little-endian ELF64 file; only x86-64 and arm64 Linux builds are patched.");
        }

        List<ElfSectionHeader> sections = ElfSectionHeader.ReadAll(image, header);
        ElfSectionHeader? verneed = sections.Find(s => s.Type == ElfSectionHeader.VersionNeeds);
        ElfSectionHeader? versym = sections.Find(s => s.Type == ElfSectionHeader.SymbolVersions);
        ElfSectionHeader? dynsym = sections.Find(s => s.Type == ElfSectionHeader.DynamicSymbols);
        if (verneed is null || versym is null || dynsym is null)
        {
            return ElfPatchOutcome.NotNeeded;
        }

        ElfSectionHeader versionStrings = sections[verneed.Link];
        var weakIndices = new HashSet<int>();
        bool alreadyWeak = false;
        long need = verneed.Offset;
        while (true)
        {
            // Elf64_Verneed: vn_cnt at 2, vn_aux at 8, vn_next at 12; Elf64_Vernaux: vna_flags at 4, vna_other at 6,
            // vna_name at 8, vna_next at 12.
            int auxCount = ElfBytes.U16(image, need + 2);
            long aux = need + ElfBytes.U32(image, need + 8);
            for (int k = 0; k < auxCount; k++)
            {
                ushort flags = ElfBytes.U16(image, aux + 4);
                int index = ElfBytes.U16(image, aux + 6);
                string name = ReadString(image, versionStrings.Offset + ElfBytes.U32(image, aux + 8));
                if (name == versionName)
                {
                    alreadyWeak |= (flags & VerFlgWeak) != 0;
                    ElfBytes.WriteU16(image, aux + 4, (ushort)(flags | VerFlgWeak));
                    weakIndices.Add(index);
                }

                aux += ElfBytes.U32(image, aux + 12);
            }

            uint next = ElfBytes.U32(image, need + 12);
            if (next == 0)
            {
                break;
            }

            need += next;
        }

        if (weakIndices.Count == 0)
        {
            return ElfPatchOutcome.NotNeeded;
        }

        if (alreadyWeak)
        {
            return ElfPatchOutcome.AlreadyPatched;
        }

        long symbolCount = dynsym.Size / SymbolSize;
        for (long i = 0; i < symbolCount; i++)
        {
            long versionAt = versym.Offset + (2 * i);
            if (weakIndices.Contains(ElfBytes.U16(image, versionAt) & 0x7fff))
            {
                ElfBytes.WriteU16(image, versionAt, 1);
                long infoAt = dynsym.Offset + (SymbolSize * i) + 4;
                image[infoAt] = (byte)((StbWeak << 4) | (image[infoAt] & 0xf));
            }
        }

        return ElfPatchOutcome.Patched;
    }

    /// <summary>
    /// Whether the libstdc++.so.6 the dynamic loader would pick up defines <paramref name="versionName"/>.
    /// Returns null when no libstdc++.so.6 is found in the usual places.
    /// </summary>
    public static bool? SystemLibStdCxxHasVersion(string versionName)
    {
        var directories = new List<string>();
        string? ldPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(ldPath))
        {
            directories.AddRange(ldPath.Split(PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        directories.AddRange(LibraryDirectories);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, "libstdc++.so.6");
            if (File.Exists(candidate))
            {
                byte[] needle = System.Text.Encoding.ASCII.GetBytes(versionName + "\0");
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
        }

        return null;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        // Plain loop: netstandard2.0 has no span search.
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static string ReadString(byte[] image, long at)
    {
        long end = at;
        while (image[end] != 0)
        {
            end++;
        }

        return System.Text.Encoding.ASCII.GetString(image, (int)at, (int)(end - at));
    }
}

#if !NET
/// <summary>MSBuild task: patches each libLibTorchSharp.so in the build output where the system needs it.</summary>
public sealed class PatchLibTorchSharpForOldLibStdCxx : Microsoft.Build.Utilities.Task
{
    /// <summary>The copies of libLibTorchSharp.so in this project's output.</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>auto (patch when the build machine's libstdc++ lacks GLIBCXX_3.4.32), true, or false.</summary>
    public string Mode { get; set; } = "auto";

    /// <inheritdoc />
    public override bool Execute()
    {
        string mode = (Mode ?? "auto").Trim().ToLowerInvariant();
        if (mode == "false")
        {
            return true;
        }

        if (mode != "auto" && mode != "true")
        {
            Log.LogError(null, "NT0001", null, null, 0, 0, 0, 0, "NanoT5PatchLibTorchSharp must be auto, true or false (got '{0}').", Mode);
            return false;
        }

        if (mode == "auto")
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return true;
            }

            bool? hasVersion = ElfVersionNeedPatcher.SystemLibStdCxxHasVersion(ElfVersionNeedPatcher.Glibcxx3432);
            if (hasVersion == true)
            {
                Log.LogMessage(MessageImportance.Low, "libstdc++ provides {0}; libLibTorchSharp.so is left as shipped.", ElfVersionNeedPatcher.Glibcxx3432);
                return true;
            }
        }

        foreach (ITaskItem library in Libraries)
        {
            try
            {
                ElfPatchOutcome outcome = ElfVersionNeedPatcher.Patch(library.ItemSpec, ElfVersionNeedPatcher.Glibcxx3432);
                if (outcome == ElfPatchOutcome.Patched)
                {
                    Log.LogMessage(MessageImportance.Normal, "NanoT5: made {0} loadable on this libstdc++ (weak {1}).", library.ItemSpec, ElfVersionNeedPatcher.Glibcxx3432);
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError(null, "NT0002", null, library.ItemSpec, 0, 0, 0, 0, "Could not patch {0} for this libstdc++: {1}", library.ItemSpec, e.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }
}
#endif
