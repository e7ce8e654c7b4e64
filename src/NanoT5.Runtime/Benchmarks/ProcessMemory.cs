// Resident memory of this process, from /proc (Linux); NaN elsewhere.
using System.Globalization;

namespace NanoT5.Benchmarks;

/// <summary>Current and peak resident set size.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in MiB.</summary>
    public static double PeakResidentMb() => ReadStatusKb("VmHWM:") / 1024.0;

    /// <summary>Current resident set size (VmRSS) in MiB.</summary>
    public static double ResidentMb() => ReadStatusKb("VmRSS:") / 1024.0;

    private static double ReadStatusKb(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return double.NaN;
        }

        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
