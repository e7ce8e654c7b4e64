// The summary printed at the end of a sweep: one row per run, in the order they ran.
using System.Globalization;
using System.Text;

namespace NanoT5.Sdk.Sweep;

/// <param name="ExitCode">The launched process's exit code; null when the run never launched (its build failed).</param>
internal sealed record SweepResult(string Name, string Overrides, int? ExitCode, double? Seconds, string? RunDirectory)
{
    public bool Succeeded => ExitCode == 0;

    public string Outcome => ExitCode switch
    {
        null => "build failed",
        0 => "ok",
        int code => $"exit {code}",
    };
}

internal static class SweepTable
{
    /// <summary>A fixed-width table with a header line and a total line.</summary>
    public static string Format(string project, IReadOnlyList<SweepResult> results)
    {
        string[] header = ["run", "overrides", "result", "time", "run folder"];
        List<string[]> rows = results
            .Select(r => new[] { r.Name, r.Overrides, r.Outcome, Duration(r.Seconds), r.RunDirectory ?? "-" })
            .ToList();
        int[] widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

        int failed = results.Count(r => !r.Succeeded);
        var text = new StringBuilder()
            .AppendLine($"NanoT5 sweep of {project}: {results.Count} run(s), {results.Count - failed} succeeded, {failed} failed")
            .AppendLine(Line(header))
            .AppendLine(Line(widths.Select(w => new string('-', w)).ToArray()));
        foreach (string[] row in rows)
        {
            text.AppendLine(Line(row));
        }

        return text.ToString().TrimEnd();
    }

    private static string Duration(double? seconds)
    {
        if (seconds is not double s)
        {
            return "-";
        }

        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalHours >= 1
            ? string.Format(CultureInfo.InvariantCulture, "{0}h {1:00}m", (int)t.TotalHours, t.Minutes)
            : string.Format(CultureInfo.InvariantCulture, "{0}m {1:00}s", t.Minutes, t.Seconds);
    }
}
