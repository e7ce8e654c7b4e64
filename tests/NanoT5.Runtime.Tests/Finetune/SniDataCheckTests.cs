using NanoT5.Cli;
using NanoT5.Config;
using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;
using NanoT5.Runs;
using static NanoT5.Tests.Finetune.SniFixtures;

namespace NanoT5.Tests.Finetune;

[Collection(ConsoleCollection.Name)]
public sealed class SniDataCheckTests
{
    private static readonly string RealRoot = Path.Combine(AppContext.BaseDirectory, "fixtures", "sni-real");

    [Fact]
    public void Run_RealFixtureSplit_MeasuresEveryPromptAndReference()
    {
        var tokenizer = HfT5TokenizerFast.Wrap(SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model")));
        var settings = new FinetuneSettings { MaxTargetLength = 8 };
        // Every prompt nanoT5 builds for these files (nanot5-golden.json) and every reference, tokenized here.
        int[] promptTokens = [.. SniRealFilesTests.GoldenPrompts().Values.Select(p => tokenizer.Encode(p).Count + 1)];
        SniData all = SniReader.Read(RealRoot, "default", 1000, 5, strict: true);
        int[] referenceTokens = [.. all.Train.Items.Concat(all.Test.Items).SelectMany(i => i.Instance.Outputs).Select(o => tokenizer.Encode(o).Count + 1)];

        SniDataCheckReport report = SniDataCheck.Run(RealRoot, settings with { MaxInstancesPerTask = 1000 }, 5, tokenizer, TimeProvider.System);

        Assert.True(report.Passed);
        Assert.Equal(119, report.Data.Train.Items.Count);
        Assert.Equal(200, report.Data.Test.Items.Count);
        Assert.Equal(promptTokens.Length, report.Prompts.Count);
        Assert.Equal(promptTokens.Max(), report.Prompts.Longest);
        Assert.Equal("task1158_bard_analogical_reasoning_manipulating_items", report.Prompts.LongestItem!.Task.Name);
        Assert.Equal(0, report.Prompts.OverLimit);
        Assert.Equal(referenceTokens.Length, report.References.Count);
        Assert.Equal(referenceTokens.Max(), report.References.Longest);
        Assert.Equal(referenceTokens.Count(t => t > 8), report.References.OverLimit);
        Assert.InRange(report.References.OverLimit, 1, referenceTokens.Length - 1);
    }

    [Fact]
    public void Run_MissingAndBrokenTaskFiles_LeavesThemOutNamesWhyAndFails()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path,
            new Dictionary<string, string> { ["task_ok"] = TaskJson("\"Do a\"", Instances("a", 3)), ["task_broken"] = TaskJson("\"Do b\"", "[{\"id\": \"b-0\", \"input\": \"x\", \"output\": [\"y\"]},]") },
            new Dictionary<string, string> { ["task_t"] = TaskJson("[\"Do t\"]", Instances("t", 2)) });
        File.AppendAllLines(Path.Combine(folder.Path, "splits", "default", "test_tasks.txt"), ["task_missing"]);

        SniDataCheckReport report = SniDataCheck.Run(folder.Path, new FinetuneSettings(), 1, new CharTokenizer(), TimeProvider.System);

        Assert.False(report.Passed);
        Assert.Equal(["task_broken", "task_missing"], report.SkippedTasks.Select(t => t.Name));
        Assert.Equal(["train", "test"], report.SkippedTasks.Select(t => t.Split));
        Assert.Contains("not valid JSON", report.SkippedTasks[0].Reason, StringComparison.Ordinal);
        Assert.Contains("does not exist", report.SkippedTasks[1].Reason, StringComparison.Ordinal);
        Assert.Equal(3, report.Data.Train.Items.Count);
        Assert.Equal(2, report.Data.Test.Items.Count);
        Assert.Contains("tasks skipped: 2 (a run stops at the first of them)", report.Lines());
        Assert.Contains(report.Lines(), l => l.StartsWith("  train task_broken: ", StringComparison.Ordinal));
        Assert.EndsWith("FAILED: a run would stop", report.Lines().Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_SmallSplit_SayCountsSkipsAndLengthsAgainstTheLimits()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path,
            new Dictionary<string, string> { ["task_a"] = TaskJson("\"Do a\"", "[{\"id\": \"a-0\", \"input\": \"in\", \"output\": [\"out\", \"a much longer reference\"]}, {\"id\": \"a-1\", \"input\": 5, \"output\": [\"x\"]}]") },
            new Dictionary<string, string> { ["task_t"] = TaskJson("\"Do t\"", "[{\"id\": \"t-0\", \"input\": \"a long input for the test\", \"output\": [\"o\"]}]") });
        var settings = new FinetuneSettings { MaxSourceLength = 90, MaxTargetLength = 10 };

        string[] lines = [.. SniDataCheck.Run(folder.Path, settings, 1, new CharTokenizer(), TimeProvider.System).Lines()];

        // CharTokenizer: a token per character, plus eos. "Definition: Do t.\n\n" (19) + the example (47) + the tail
        // (37 + 33 + 1 + 8) is 145 + eos: over 90, so the example is left out and t-0's prompt is 98 + eos = 99 tokens;
        // a-0's is 19 + 56 + eos = 76.
        Assert.Equal(
        [
            $"natural-instructions: {folder.Path}, split 'default'",
            "train: 1 instances of 1 tasks (up to 100 per task, finetune.max_instances_per_task, drawn from all of each task's instances)",
            "test: 1 instances of 1 tasks (up to 100 per task, finetune.max_instances_per_task, drawn from each task's first 100)",
            "tasks skipped: none",
            "malformed instances skipped: 1",
            $"  {Path.Combine(folder.Path, "tasks", "task_a.json")}: Instances[1] (id \"a-1\"): field \"input\" must be a string",
            "prompts: 2, longest 99 tokens (task_t, t-0) vs finetune.max_source_length 90: 1 longer (cut to the limit) (50.0%)",
            "references: 3, longest 24 tokens (task_a, a-0) vs finetune.max_target_length 10: 1 longer (a label drawn from one is cut) (33.3%)",
        ], lines[..^1]);
        Assert.Matches(@"^checked in \d+\.\d s \(reading the task files \d+\.\d s\): the data is ready$", lines[^1]);
    }

    [Fact]
    public void FinetuneCheckData_RealFixture_PrintsTheReportAndTrainsNothing()
    {
        using var folder = TestPaths.NewTempFolder();
        string runDirectory = folder.File("run");
        var config = new ExperimentConfig
        {
            Name = "check",
            Mode = RunMode.Finetune,
            RunDirectory = runDirectory,
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = TestPaths.Tokenizer("t5-unigram-1k.model") },
            Finetune = new FinetuneSettings { DataDirectory = RealRoot },
        };
        string configFile = folder.File("config.json");
        ExperimentConfigJson.Save(config, configFile);

        (int code, string output) = ConsoleCollection.Capture(() => CommandLine.Run(["finetune", "--check-data", "--config", configFile]));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("train: 100 instances of 1 tasks", output, StringComparison.Ordinal);
        Assert.Contains("test: 200 instances of 2 tasks", output, StringComparison.Ordinal);
        Assert.Contains("vs finetune.max_source_length 1024: 0 longer", output, StringComparison.Ordinal);
        Assert.Contains("the data is ready", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDirectory));
    }
}
