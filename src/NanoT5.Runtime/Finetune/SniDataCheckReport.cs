// What `finetune --check-data` prints: the counts, what was left out and why, and the prompt and reference lengths
// against the limits they are cut to.
using System.Globalization;
using NanoT5.Config;
using NanoT5.Config.Settings;

namespace NanoT5.Finetune;

/// <summary>Token lengths of a set of texts: how many, the longest (and whose), how many exceed the limit.</summary>
public sealed record SniLengths(int Count, int Longest, SniItem? LongestItem, int OverLimit);

/// <summary>What <see cref="SniDataCheck.Run"/> found.</summary>
public sealed record SniDataCheckReport(
    SniData Data, FinetuneSettings Settings, IReadOnlyList<SniSkippedTask> SkippedTasks, SniLengths Prompts, SniLengths References, TimeSpan Reading, TimeSpan Elapsed)
{
    /// <summary>True when a run could start: no task file was left out and each split kept an instance.</summary>
    public bool Passed => SkippedTasks.Count == 0 && Data.Train.Items.Count > 0 && Data.Test.Items.Count > 0;

    /// <summary>The report, one line each.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"natural-instructions: {Data.Root}, split '{Settings.Split}'";
        yield return Split(Data.Train, "from all of each task's instances");
        yield return Split(Data.Test, $"from each task's first {SniReader.TestInstancesPerTask}");
        yield return SkippedTasks.Count == 0 ? "tasks skipped: none" : $"tasks skipped: {SkippedTasks.Count} (a run stops at the first of them)";
        foreach (string line in Shown(SkippedTasks.Select(t => $"  {t.Split} {t.Name}: {t.Reason}").ToList()))
        {
            yield return line;
        }

        yield return Data.SkippedInstances == 0
            ? "malformed instances skipped: none"
            : $"malformed instances skipped: {N(Data.SkippedInstances)}" + (Settings.StrictData ? " (finetune.strict_data is on: a run stops at the first)" : string.Empty);
        IReadOnlyList<string> warnings = Data.Warnings;
        foreach (string line in Shown(warnings.Select(w => "  " + w).ToList()))
        {
            yield return line;
        }

        yield return Lengths("prompts", Prompts, ConfigSettingValues.Key(SettingTable.MaxSourceLength), Settings.MaxSourceLength, "longer (cut to the limit)");
        yield return Lengths("references", References, ConfigSettingValues.Key(SettingTable.MaxTargetLength), Settings.MaxTargetLength, "longer (a label drawn from one is cut)");
        yield return FormattableString.Invariant($"checked in {Elapsed.TotalSeconds:F1} s (reading the task files {Reading.TotalSeconds:F1} s): {(Passed ? "the data is ready" : "FAILED: a run would stop")}");
    }

    private string Split(SniSplit split, string drawn) =>
        $"{split.Name}: {N(split.Items.Count)} instances of {N(split.Tasks.Count)} tasks (up to {N(Settings.MaxInstancesPerTask)} per task, finetune.max_instances_per_task, drawn {drawn})";

    private static string Lengths(string what, SniLengths lengths, string setting, int limit, string over)
    {
        string longest = lengths.LongestItem is SniItem item ? $"{N(lengths.Longest)} tokens ({item.Task.Name}, {item.Instance.Id})" : "none";
        double share = lengths.Count == 0 ? 0 : 100.0 * lengths.OverLimit / lengths.Count;
        return FormattableString.Invariant($"{what}: {N(lengths.Count)}, longest {longest} vs {setting} {limit}: {N(lengths.OverLimit)} {over} ({share:F1}%)");
    }

    private static IEnumerable<string> Shown(IReadOnlyList<string> lines) =>
        lines.Count <= SniDataCheck.ShownLines
            ? lines
            : lines.Take(SniDataCheck.ShownLines).Append($"  ... and {N(lines.Count - SniDataCheck.ShownLines)} more");

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
