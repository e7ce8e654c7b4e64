// Makes libLibTorchSharp.so load on a libstdc++ older than GCC 13 (Debian 12, Ubuntu 22.04).
//
// TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++ and needs the symbol
// std::ios_base_library_init() at version GLIBCXX_3.4.32. GCC 13's <iostream> only *references* that
// symbol (to pull in libstdc++'s own stream initialisation); nothing calls it. Older libstdc++ lacks
// both the symbol and the version, so dlopen fails. The patch is three in-place edits that keep the
// file's size and layout:
//   1. the version need GLIBCXX_3.4.32 gets VER_FLG_WEAK (a missing weak version is not fatal);
//   2. every dynamic symbol bound to that version becomes unversioned (.gnu.version entry 1);
//   3. those symbols become STB_WEAK, so an absent definition resolves to 0 instead of failing.
// Streams still work: libtorch_cpu.so, built with an older GCC, constructs std::ios_base::Init itself.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (NativeFix.targets) and into the
// runtime tests, which exercise the patcher directly.
#nullable enable
// RoslynCodeTaskFactory compiles without implicit usings: these are needed there, redundant in the tests.
#pragma warning disable IDE0005
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
#pragma warning restore IDE0005

namespace NanoT5.Build;
/// <summary>What <see cref="ElfVersionNeedPatcher.Patch"/> did to a file.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The file was rewritten with the version need made weak.</summary>
    Patched,

    /// <summary>The file had already been patched.</summary>
    AlreadyPatched,

    /// <summary>The file does not need the version at all.</summary>
    NotNeeded,
}

/// <summary>In-place ELF64 edits that make one version need (and its symbols) weak.</summary>
public static class ElfVersionNeedPatcher
{
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;
    private const byte StbWeak = 2;

    /// <summary>The version that GCC 13's libstdc++ introduced and Debian 12's lacks.</summary>
    public const string Glibcxx3432 = "GLIBCXX_3.4.32";

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
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException($"{nameForErrors} is not an ELF file.");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException($"{nameForErrors} is not a little-endian ELF64 file; only x86-64 and arm64 Linux builds are patched.");
        }

        long sectionHeaders = (long)ReadU64(image, 0x28);
        int sectionHeaderSize = ReadU16(image, 0x3A);
        int sectionCount = ReadU16(image, 0x3C);
        var sections = new List<Section>(sectionCount);
        for (int i = 0; i < sectionCount; i++)
        {
            long at = sectionHeaders + ((long)i * sectionHeaderSize);
            sections.Add(new Section(
                type: ReadU32(image, at + 4),
                offset: (long)ReadU64(image, at + 0x18),
                size: (long)ReadU64(image, at + 0x20),
                link: (int)ReadU32(image, at + 0x28)));
        }

        Section? verneed = sections.Find(s => s.Type == ShtGnuVerneed);
        Section? versym = sections.Find(s => s.Type == ShtGnuVersym);
        Section? dynsym = sections.Find(s => s.Type == ShtDynsym);
        if (verneed is null || versym is null || dynsym is null)
        {
            return ElfPatchOutcome.NotNeeded;
        }

        Section versionStrings = sections[verneed.Link];
        var weakIndices = new HashSet<int>();
        bool alreadyWeak = false;
        long need = verneed.Offset;
        while (true)
        {
            int auxCount = ReadU16(image, need + 2);
            long aux = need + ReadU32(image, need + 8);
            for (int k = 0; k < auxCount; k++)
            {
                ushort flags = ReadU16(image, aux + 4);
                int index = ReadU16(image, aux + 6);
                string name = ReadString(image, versionStrings.Offset + ReadU32(image, aux + 8));
                if (name == versionName)
                {
                    alreadyWeak |= (flags & VerFlgWeak) != 0;
                    WriteU16(image, aux + 4, (ushort)(flags | VerFlgWeak));
                    weakIndices.Add(index);
                }

                aux += ReadU32(image, aux + 12);
            }

            uint next = ReadU32(image, need + 12);
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

        long symbolCount = dynsym.Size / 24;
        for (long i = 0; i < symbolCount; i++)
        {
            long versionAt = versym.Offset + (2 * i);
            if (weakIndices.Contains(ReadU16(image, versionAt) & 0x7fff))
            {
                WriteU16(image, versionAt, 1);
                long infoAt = dynsym.Offset + (24 * i) + 4;
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
            directories.AddRange(ldPath.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries));
        }

        directories.AddRange(new[]
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib",
        });
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, "libstdc++.so.6");
            if (File.Exists(candidate))
            {
                byte[] needle = Encoding.ASCII.GetBytes(versionName + "\0");
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
        }

        return null;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        // Plain loop: this file also compiles against netstandard2.0 in MSBuild's inline task factory.
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

        return Encoding.ASCII.GetString(image, (int)at, (int)(end - at));
    }

    private static ushort ReadU16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)at);

    private static uint ReadU32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)at);

    private static ulong ReadU64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)at);

    private static void WriteU16(byte[] b, long at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }

    private sealed class Section
    {
        public Section(uint type, long offset, long size, int link)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
        }

        public uint Type { get; }

        public long Offset { get; }

        public long Size { get; }

        public int Link { get; }
    }
}

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
