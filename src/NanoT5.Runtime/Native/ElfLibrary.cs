// dlopen maps a shared library's segments as the program headers describe them; when the file is shorter than
// they say (a copy cut short, a full disk), touching the missing pages kills the process with SIGBUS and no
// message. So each library is measured before it is mapped: the ELF header, the program and section header
// tables and every segment's bytes must lie inside the file, and it must be built for this process's machine.
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace NanoT5.Native;

/// <summary>Checks that a file is a complete 64-bit little-endian ELF shared library for this machine.</summary>
internal static class ElfLibrary
{
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const uint LoadSegment = 1;
    private const uint DynamicSegment = 2;

    /// <summary>What is wrong with <paramref name="path"/> as a library to load, or null when nothing is.</summary>
    public static string? Problem(string path)
    {
        if (!FileKind.IsRegularFile(path))
        {
            return "it is not a regular file (a FIFO, socket or device)";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        long size = stream.Length;
        byte[] header = new byte[HeaderSize];
        if (size < HeaderSize || stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
        {
            return $"it is {size} bytes, too short for an ELF header: the file is truncated or not a shared library";
        }

        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            return "it is not an ELF shared library (no ELF magic number)";
        }

        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18));
        if (header[4] != 2 || header[5] != 1 || machine != ThisMachine())
        {
            string built = header[4] == 1 ? $"32-bit {MachineName(machine)}" : header[5] != 1 ? "a big-endian machine" : MachineName(machine);
            return $"wrong architecture: it is built for {built}, but this process runs on {RuntimeInformation.ProcessArchitecture} " +
                $"(get the linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} libtorch)";
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16)) != 3)
        {
            return "it is an ELF file but not a shared library (e_type is not ET_DYN)";
        }

        ulong programOffset = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(32));
        ulong sectionOffset = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(40));
        ushort programEntry = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(54));
        ushort programCount = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(56));
        ushort sectionEntry = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(58));
        ushort sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(60));
        if (programCount == 0 || programEntry < ProgramHeaderSize || (sectionCount > 0 && sectionEntry < SectionHeaderSize))
        {
            return "its ELF header is damaged (program or section header sizes are wrong)";
        }

        ulong programEnd = programOffset + ((ulong)programEntry * programCount);
        ulong sectionEnd = sectionOffset + ((ulong)sectionEntry * sectionCount);
        if (programOffset > (ulong)size || programEnd > (ulong)size || sectionOffset > (ulong)size || sectionEnd > (ulong)size)
        {
            return Truncated(size, Math.Max(programEnd, sectionEnd));
        }

        byte[] table = new byte[programEntry * programCount];
        stream.Position = (long)programOffset;
        stream.ReadExactly(table);
        for (int i = 0; i < programCount; i++)
        {
            ReadOnlySpan<byte> entry = table.AsSpan(i * programEntry, ProgramHeaderSize);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(8));
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(32));
            if ((type == LoadSegment || type == DynamicSegment) && (offset > (ulong)size || length > (ulong)size - offset))
            {
                return Truncated(size, offset + length);
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
