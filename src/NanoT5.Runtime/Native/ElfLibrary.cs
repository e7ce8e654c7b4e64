// dlopen maps a shared library's segments as the program headers describe them; when the file is shorter than
// they say (a copy cut short, a full disk), touching the missing pages kills the process with SIGBUS and no
// message. So each library is measured before it is mapped: the ELF header, the program and section header
// tables and every segment's bytes must lie inside the file, and it must be built for this process's machine.
using System.Runtime.InteropServices;

namespace NanoT5.Native;

/// <summary>Checks that a file is a complete 64-bit little-endian ELF shared library for this machine.</summary>
internal static class ElfLibrary
{
    /// <summary>What is wrong with <paramref name="path"/> as a library to load, or null when nothing is.</summary>
    public static string? Problem(string path)
    {
        if (!FileKind.IsRegularFile(path))
        {
            return "it is not a regular file (a FIFO, socket or device)";
        }

        // Only the headers are read: libtorch_cuda.so is gigabytes.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        long size = stream.Length;
        byte[] bytes = new byte[ElfHeader.Size];
        if (size < ElfHeader.Size || stream.ReadAtLeast(bytes, ElfHeader.Size, throwOnEndOfStream: false) < ElfHeader.Size)
        {
            return $"it is {size} bytes, too short for an ELF header: the file is truncated or not a shared library";
        }

        if (!ElfHeader.HasMagic(bytes))
        {
            return "it is not an ELF shared library (no ELF magic number)";
        }

        ElfHeader header = ElfHeader.Read(bytes);
        if (!header.IsLittleEndian64 || header.Machine != ThisMachine())
        {
            string built = header.Class == 1 ? $"32-bit {MachineName(header.Machine)}" : header.Encoding != 1 ? "a big-endian machine" : MachineName(header.Machine);
            return $"wrong architecture: it is built for {built}, but this process runs on {RuntimeInformation.ProcessArchitecture} " +
                $"(get the linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} libtorch)";
        }

        if (header.Type != ElfHeader.SharedObject)
        {
            return "it is an ELF file but not a shared library (e_type is not ET_DYN)";
        }

        ushort programEntry = header.ProgramHeaderEntrySize;
        ushort programCount = header.ProgramHeaderCount;
        if (programCount == 0 || programEntry < ElfProgramHeader.EntrySize || (header.SectionHeaderCount > 0 && header.SectionHeaderEntrySize < ElfSectionHeader.EntrySize))
        {
            return "its ELF header is damaged (program or section header sizes are wrong)";
        }

        ulong programEnd = header.ProgramHeaderOffset + ((ulong)programEntry * programCount);
        ulong sectionEnd = header.SectionHeaderOffset + ((ulong)header.SectionHeaderEntrySize * header.SectionHeaderCount);
        if (header.ProgramHeaderOffset > (ulong)size || programEnd > (ulong)size || header.SectionHeaderOffset > (ulong)size || sectionEnd > (ulong)size)
        {
            return Truncated(size, Math.Max(programEnd, sectionEnd));
        }

        byte[] table = new byte[programEntry * programCount];
        stream.Position = (long)header.ProgramHeaderOffset;
        stream.ReadExactly(table);
        for (int i = 0; i < programCount; i++)
        {
            ElfProgramHeader segment = ElfProgramHeader.Read(table, i * programEntry);
            if ((segment.Type == ElfProgramHeader.LoadSegment || segment.Type == ElfProgramHeader.DynamicSegment)
                && (segment.Offset > (ulong)size || segment.FileSize > (ulong)size - segment.Offset))
            {
                return Truncated(size, segment.Offset + segment.FileSize);
            }
        }

        return null;
    }
    private static string Truncated(long size, ulong needed) =>
        $"it is truncated: {size:N0} bytes, but its ELF headers describe {needed:N0} (copy it again from its libtorch)";

    private static ushort ThisMachine() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 62,
        Architecture.Arm64 => 183,
        Architecture.X86 => 3,
        Architecture.Arm => 40,
        _ => 0,
    };

    private static string MachineName(ushort machine) => machine switch
    {
        3 => "x86 (i386)",
        40 => "ARM",
        62 => "x86-64",
        183 => "AArch64 (arm64)",
        243 => "RISC-V",
        21 => "PowerPC64",
        22 => "IBM S/390",
        _ => $"ELF machine {machine}",
    };
}
