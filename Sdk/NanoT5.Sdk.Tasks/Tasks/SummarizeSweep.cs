// MSBuild task: prints the sweep's table and fails the build (NT4003) when a run failed.
using System.Globalization;
using Microsoft.Build.Framework;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Sweep;

namespace NanoT5.Sdk.Tasks;

public sealed class SummarizeSweep : NanoT5Task
{
    /// <summary>PlanSweep's projects (SweepRun, Overrides metadata), in run order.</summary>
    public ITaskItem[] Planned { get; set; } = [];

    /// <summary>What the runs returned (Include = run name; ExitCode, Seconds, RunDirectory metadata).</summary>
    public ITaskItem[] Results { get; set; } = [];

    /// <summary>A file the table is also written to (for CI artifacts); empty = none.</summary>
    public string? SummaryFile { get; set; }

    public override bool Execute()
    {
        var results = new List<SweepResult>();
        foreach (ITaskItem planned in Planned)
        {
            string name = planned.GetMetadata("SweepRun");
            ITaskItem? result = Results.FirstOrDefault(r => string.Equals(r.ItemSpec, name, StringComparison.OrdinalIgnoreCase));
            results.Add(new SweepResult(
                name,
                planned.GetMetadata("Overrides"),
                result is not null && int.TryParse(result.GetMetadata("ExitCode"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) ? code : null,
                result is not null && double.TryParse(result.GetMetadata("Seconds"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : null,
                result?.GetMetadata("RunDirectory")));
        }

        string table = SweepTable.Format(Path.GetFileName(ProjectFile), results);
        Log.LogMessage(MessageImportance.High, table);
        if (!string.IsNullOrEmpty(SummaryFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(SummaryFile))!);
            File.WriteAllText(SummaryFile, table + Environment.NewLine);
            Log.LogMessage(MessageImportance.High, "NanoT5: sweep summary written to {0}", Path.GetFullPath(SummaryFile));
        }

        int failed = results.Count(r => !r.Succeeded);
        if (failed > 0)
        {
            string which = string.Join(", ", results.Where(r => !r.Succeeded).Select(r => $"{r.Name} ({r.Outcome})"));
            Report(new ProjectDiagnostic(DiagnosticCodes.SweepRunFailed, $"{failed} of {results.Count} sweep run(s) failed: {which}.", ProjectFile, 0, 0));
        }

        return !Log.HasLoggedErrors;
    }
}
