// Each decision of the run layer has one owner (issue 25): exit codes in Runs/ExitCodes.cs, "am I rank 0?" in
// Distributed/, every run-folder name in IO/RunFolderLayout.cs, the run's model, optimizer, schedule and resume point
// in Runs/RunParts.cs. These tests read the production sources and fail when the decision is made somewhere else again.
using System.Reflection;
using System.Text.RegularExpressions;
using NanoT5.IO;

namespace NanoT5.Tests.Architecture;

public sealed partial class DecisionOwnerTests
{
    private static string Runtime => TestPaths.Repo("src", "NanoT5.Runtime");

    [Fact]
    public void ExitCodes_AreDecidedOnlyInExitCodes()
    {
        // A verb may pass or fail its own check, and hands the signal handler its code; every other code comes from
        // ExitCodes.Of (an outcome or an exception) or OfMeasurement.
        string[] allowed = ["Success", "CheckFailed", "Killed", "Of", "OfMeasurement", "ReachedTogether", "IsExplained"];
        string[] found = [.. Code(RuntimeSources().Where(f => f.Relative is not ("Runs/ExitCodes.cs" or "Runs/ExitCodeDecisions.cs")))
            .SelectMany(l => ExitCodeUse().Matches(l.Text).Select(m => (l.Where, Name: m.Groups[1].Value)))
            .Where(u => !allowed.Contains(u.Name))
            .Select(u => $"{u.Where}: ExitCodes.{u.Name}")];

        Assert.True(found.Length == 0, "exit codes decided outside Runs/ExitCodeDecisions.cs (use ExitCodes.Of):\n" + string.Join("\n", found));
    }

    [Fact]
    public void RankZero_IsAskedOnlyOfTheJoinedProcessGroup()
    {
        // Distributed reads the launcher once (ProcessGroups.Launch) and answers IsRoot; nothing else reads launcher
        // variables, compares a rank with 0 or asks the static group instead of the one it was handed.
        string[] patterns = ["LaunchInfo.FromEnvironment", "ProcessGroups.Current.IsRoot", "Rank == 0", "Rank != 0", "Rank is 0", "Rank > 0",
            "OMPI_COMM_WORLD", "SLURM_PROCID", "PMI_RANK", "\"RANK\""];
        string[] found = [.. Code(RuntimeSources().Where(f => !f.Relative.StartsWith("Distributed/", StringComparison.Ordinal)))
            .SelectMany(l => patterns.Where(p => l.Text.Contains(p, StringComparison.Ordinal)).Select(p => $"{l.Where}: {p}"))];

        Assert.True(found.Length == 0, "rank asked outside Distributed/ (use the IProcessGroup's IsRoot, or ProcessGroups.Launch):\n" + string.Join("\n", found));
    }

    [Fact]
    public void RunFolderNames_AreSpelledOnlyInRunFolderLayout()
    {
        // Literals that are a layout name by coincidence: a parity fixture's own inputs.json, tokenizer.json's "model" key.
        (string File, string Name)[] coincidences = [("Verification/ParityFixture.cs", RunFolderLayout.InputsFile), ("Data/Tokenizers/HfTokenizerExport.cs", RunFolderLayout.ModelDirectory)];
        string[] names = LayoutNames();
        IEnumerable<(string Relative, string Path)> sources = RuntimeSources().Where(f => f.Relative != "IO/RunFolderLayout.cs")
            .Concat(Sources(TestPaths.Repo("Sdk"), "Sdk/"));
        string[] found = [.. Code(sources)
            .SelectMany(l => names.Where(n => l.Text.Contains($"\"{n}\"", StringComparison.Ordinal)).Select(n => (l.Where, l.File, Name: n)))
            .Where(u => !coincidences.Contains((u.File, u.Name)))
            .Select(u => $"{u.Where}: \"{u.Name}\"")];

        Assert.True(found.Length == 0, "run-folder names spelled outside IO/RunFolderLayout.cs (use its constants):\n" + string.Join("\n", found));
    }

    [Fact]
    public void RunParts_AloneBuildsAndRestoresTheOptimizerScheduleAndResumePoint()
    {
        // Benchmarks time an optimizer alone and the schedule verb draws schedules; no run builds its own.
        string[] patterns = ["OptimizerFactory.Create", "TrainingCheckpointStore.Restore(", "set_rng_state(", "RunIdentity.EnsureResumable(", "RunIdentity.EnsureSameModel(", "RunIdentity.SaveInputs("];
        string[] elsewhere = ["Runs/RunParts.cs", "Cli/ScheduleCommand.cs"];
        string[] found = [.. Code(RuntimeSources().Where(f => !elsewhere.Contains(f.Relative) && !f.Relative.StartsWith("Optim/", StringComparison.Ordinal) && !f.Relative.StartsWith("Benchmarks/", StringComparison.Ordinal)))
            .SelectMany(l => patterns.Where(p => l.Text.Contains(p, StringComparison.Ordinal)).Select(p => $"{l.Where}: {p}"))];

        Assert.True(found.Length == 0, "run parts built or restored outside Runs/RunParts.cs:\n" + string.Join("\n", found));
    }

    [Fact]
    public void TrainingRun_WritesNeitherToTheConsoleNorDecidesExitCodes()
    {
        string source = File.ReadAllText(Path.Combine(Runtime, "Runs", "TrainingRun.cs"));

        Assert.DoesNotContain("Console.", source, StringComparison.Ordinal);
        Assert.DoesNotContain("static int Train(", source, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"return ExitCodes\.[A-Z]\w*;", source);
    }

    [Fact]
    public void TheOwnerChecks_FindALiteralAndAnExitCodeWhereTheyDoNotBelong()
    {
        string[] names = LayoutNames();
        string line = "        string file = Path.Combine(runDirectory, \"metrics.jsonl\"); return ExitCodes.WriteFailed;";

        Assert.Contains(names, n => line.Contains($"\"{n}\"", StringComparison.Ordinal));
        Assert.Equal("WriteFailed", ExitCodeUse().Match(line).Groups[1].Value);
        using var temp = TestPaths.NewTempFolder();
        File.WriteAllText(temp.File("X.cs"), "    /// <see cref=\"ExitCodes.Diverged\"/>\n    // \"metrics.jsonl\"\n");
        Assert.Empty(Code([("X.cs", temp.File("X.cs"))]));
    }

    private static string[] LayoutNames() =>
        [.. typeof(RunFolderLayout).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    private static IEnumerable<(string Relative, string Path)> RuntimeSources() => Sources(Runtime, string.Empty);

    private static IEnumerable<(string Relative, string Path)> Sources(string root, string prefix) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(p => (Relative: prefix + Path.GetRelativePath(root, p).Replace('\\', '/'), Path: p))
            .Where(f => !f.Relative.Contains("/bin/", StringComparison.Ordinal) && !f.Relative.Contains("/obj/", StringComparison.Ordinal)
                && !f.Relative.StartsWith("bin/", StringComparison.Ordinal) && !f.Relative.StartsWith("obj/", StringComparison.Ordinal)
                && !f.Relative.Contains("/Generated/", StringComparison.Ordinal))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);

    // The lines of code (comments, XML docs included, are not decisions) with "file:line".
    private static IEnumerable<(string Where, string File, string Text)> Code(IEnumerable<(string Relative, string Path)> files) =>
        files.SelectMany(f => File.ReadLines(f.Path).Select((text, i) => (Where: $"{f.Relative}:{i + 1}", File: f.Relative, Text: text)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [GeneratedRegex(@"\bExitCodes\.(\w+)")]
    private static partial Regex ExitCodeUse();
}
