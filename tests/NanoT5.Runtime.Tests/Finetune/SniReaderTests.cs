using NanoT5.Config;
using NanoT5.Finetune;
using static NanoT5.Tests.Finetune.SniFixtures;

namespace NanoT5.Tests.Finetune;

public sealed class SniReaderTests
{
    private static Dictionary<string, string> Tasks(params (string Name, string Json)[] tasks) => tasks.ToDictionary(t => t.Name, t => t.Json);

    [Fact]
    public void Read_TwoTrainTasksAndOneTest_KeepsTasksInListOrderWithTheirInstances()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path,
            Tasks(("task_b", TaskJson("[\"Do b\", \"unused second definition\"]", Instances("b", 3))), ("task_a", TaskJson("\"Do a\"", Instances("a", 2), "Other"))),
            Tasks(("task_t", TaskJson("[\"Do t\"]", Instances("t", 4)))));

        SniData data = SniReader.Read(folder.Path, "default", maxInstancesPerTask: 100, seed: 1, strict: false);

        Assert.Equal(["task_b", "task_a"], data.Train.Tasks.Select(t => t.Name));
        Assert.Equal(["Do b", "Do a"], data.Train.Tasks.Select(t => t.Definition));
        Assert.Equal(["Text Copying", "Other"], data.Train.Tasks.Select(t => t.Category));
        Assert.Equal(5, data.Train.Items.Count);
        Assert.Equal(["task_b", "task_b", "task_b", "task_a", "task_a"], data.Train.Items.Select(i => i.Task.Name));
        Assert.Equal(["t-0", "t-1", "t-2", "t-3"], data.Test.Items.Select(i => i.Instance.Id).Order());
        Assert.Equal(["out 1", "alt 1"], data.Test.Items.Single(i => i.Instance.Id == "t-1").Instance.Outputs);
        Assert.Equal(new SniExample("a b", "a", "first word"), data.Test.Tasks[0].PositiveExamples.Single());
        Assert.Equal(0, data.SkippedInstances);
        Assert.Empty(data.Warnings);
    }

    [Fact]
    public void Read_MaxInstancesPerTask_KeepsASeededRandomSubsetOfTrainInstances()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"Do a\"", Instances("a", 50)))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));

        string[] Ids(int seed) => SniReader.Read(folder.Path, "default", 10, seed, false).Train.Items.Select(i => i.Instance.Id).ToArray();

        Assert.Equal(10, Ids(7).Length);
        Assert.Equal(Ids(7), Ids(7));
        Assert.NotEqual(Ids(7), Ids(8));
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => $"a-{i}"), Ids(7));
    }

    [Fact]
    public void Read_TestTask_OnlyConsidersTheFirstHundredInstances()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"a\"", Instances("a", 1)))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 130)))));

        SniData data = SniReader.Read(folder.Path, "default", maxInstancesPerTask: 500, seed: 3, strict: false);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"t-{i}").Order(), data.Test.Items.Select(i => i.Instance.Id).Order());
    }

    [Fact]
    public void Read_MalformedInstances_AreSkippedWithAWarningNamingFileIndexAndField()
    {
        using var folder = TestPaths.NewTempFolder();
        string instances = """
            [{"id": "ok-0", "input": "x", "output": ["y"]},
             {"id": "bad-1", "input": "x", "output": "y"},
             {"id": "bad-2", "input": "x", "output": []},
             {"input": "x", "output": ["y"]},
             {"id": "bad-4", "output": ["y"]},
             7]
            """;
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"a\"", instances))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));
        string file = Path.Combine(folder.Path, "tasks", "task_a.json");

        SniData data = SniReader.Read(folder.Path, "default", 100, 1, strict: false);

        Assert.Equal(["ok-0"], data.Train.Items.Select(i => i.Instance.Id));
        Assert.Equal(5, data.SkippedInstances);
        Assert.Equal(
        [
            $"{file}: Instances[1] (id \"bad-1\"): field \"output\" must be a non-empty list of strings",
            $"{file}: Instances[2] (id \"bad-2\"): field \"output\" must be a non-empty list of strings",
            $"{file}: Instances[3]: field \"id\" must be a string",
            $"{file}: Instances[4] (id \"bad-4\"): field \"input\" must be a string",
            $"{file}: Instances[5]: must be an object with id, input and output (found number)",
        ], data.Warnings);
    }

    [Fact]
    public void Read_StrictData_StopsOnTheFirstMalformedInstance()
    {
        using var folder = TestPaths.NewTempFolder();
        string instances = """[{"id": "ok", "input": "x", "output": ["y"]}, {"id": "bad", "input": "x", "output": "y"}]""";
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"a\"", instances))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));

        var e = Assert.Throws<InvalidDataException>(() => SniReader.Read(folder.Path, "default", 100, 1, strict: true));

        Assert.Equal(
            $"{Path.Combine(folder.Path, "tasks", "task_a.json")}: Instances[1] (id \"bad\"): field \"output\" must be a non-empty list of strings (strict_data is on; turn it off to skip malformed instances)",
            e.Message);
    }

    [Theory]
    [InlineData("{\"Definition\": [\"a\"], ", "not valid JSON at line 1")]
    [InlineData("[1, 2]", "the file must hold a JSON object (found array)")]
    [InlineData("""{"Definition": [], "Positive Examples": [], "Instances": []}""", "field \"Definition\" must be a string or a non-empty list of strings")]
    [InlineData("""{"Definition": "d", "Instances": []}""", "field \"Positive Examples\" is missing (use [] for a task without examples)")]
    [InlineData("""{"Definition": "d", "Positive Examples": [{"input": "a", "output": 1}], "Instances": []}""", "\"Positive Examples\"[0].output must be a string")]
    [InlineData("""{"Definition": "d", "Positive Examples": [], "Negative Examples": {}, "Instances": []}""", "field \"Negative Examples\" must be a list (found object)")]
    [InlineData("""{"Definition": "d", "Positive Examples": [], "Categories": "x", "Instances": []}""", "field \"Categories\" must be a list of strings")]
    [InlineData("""{"Definition": "d", "Positive Examples": []}""", "field \"Instances\" must be a list of instances")]
    public void Read_MalformedTaskFile_NamesTheFileAndField(string json, string problem)
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", json)), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));

        var e = Assert.Throws<InvalidDataException>(() => SniReader.Read(folder.Path, "default", 100, 1, strict: false));

        Assert.StartsWith($"{Path.Combine(folder.Path, "tasks", "task_a.json")}: {problem}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingRoot_SaysWhichFolder()
    {
        string root = Path.Combine(Path.GetTempPath(), "nanot5-tests", "no-such-sni-folder");

        var e = Assert.Throws<DirectoryNotFoundException>(() => SniReader.Read(root, "default", 100, 1, false));

        Assert.Equal($"{root}: the natural-instructions folder (finetune.data_directory) does not exist.", e.Message);
    }

    [Fact]
    public void Read_MissingSplit_SaysWhichSplit()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"a\"", Instances("a", 1)))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));

        var e = Assert.Throws<DirectoryNotFoundException>(() => SniReader.Read(folder.Path, "xlingual", 100, 1, false));

        Assert.Contains("split 'xlingual' (finetune.split) does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingTaskFiles_ListsThemBeforeReadingAnyTask()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", "not even json")), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));
        File.AppendAllLines(Path.Combine(folder.Path, "splits", "default", "test_tasks.txt"), ["", "  task_gone  "]);

        var e = Assert.Throws<FileNotFoundException>(() => SniReader.Read(folder.Path, "default", 100, 1, false));

        Assert.Equal($"1 task file(s) named by the split lists are missing: {Path.Combine(folder.Path, "tasks", "task_gone.json")}.", e.Message);
    }

    [Fact]
    public void Read_MissingSplitList_NamesTheFile()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"a\"", Instances("a", 1)))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));
        string list = Path.Combine(folder.Path, "splits", "default", "test_tasks.txt");
        File.Delete(list);

        var e = Assert.Throws<FileNotFoundException>(() => SniReader.Read(folder.Path, "default", 100, 1, false));

        Assert.Equal($"{list}: split list not found (expected one task name per line).", e.Message);
    }

    [Fact]
    public void Read_TaskWithoutUsableInstances_IsReportedAsAWarning()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"a\"", "[]"))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));

        SniData data = SniReader.Read(folder.Path, "default", 100, 1, false);

        Assert.Equal(0, data.SkippedInstances);
        Assert.Equal([$"{Path.Combine(folder.Path, "tasks", "task_a.json")}: the task has no usable instance."], data.Warnings);
    }

    [Fact]
    public void ResolveRoot_UnsetOrUnknownBuiltin_IsAClearError()
    {
        Assert.Contains("finetune.data_directory is not set", Assert.Throws<ArgumentException>(() => SniReader.ResolveRoot(new FinetuneSettings(), "runs/x")).Message, StringComparison.Ordinal);
        Assert.Contains("unknown built-in data set 'builtin:nope' (known: builtin:demo)",
            Assert.Throws<ArgumentException>(() => SniReader.ResolveRoot(new FinetuneSettings { DataDirectory = "builtin:nope" }, "runs/x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MoreTasksThanCores_DrawsWhatAFileByFileReadDraws()
    {
        // Files are parsed in parallel batches; the draws must still be one seeded generator's, task after task.
        using var folder = TestPaths.NewTempFolder();
        string[] names = [.. Enumerable.Range(0, Environment.ProcessorCount * 2 + 3).Select(i => $"task_{i:00}")];
        WriteLayout(folder.Path, names.ToDictionary(n => n, n => TaskJson("\"Do\"", Instances(n, 9 + (n.Length % 4)))), Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));
        var random = new Random(11);
        List<string> expected = [];
        foreach (string name in names)
        {
            string[] ids = [.. Enumerable.Range(0, 9 + (name.Length % 4)).Select(i => $"{name}-{i}")];
            SniReader.Shuffle(ids, random);
            expected.AddRange(ids.Take(4));
        }

        SniData data = SniReader.Read(folder.Path, "default", 4, seed: 11, strict: false);

        Assert.Equal(expected, data.Train.Items.Select(i => i.Instance.Id));
    }

    [Fact]
    public void Read_TwoBrokenTaskFiles_StopsAtTheFirstInListOrder()
    {
        using var folder = TestPaths.NewTempFolder();
        WriteLayout(folder.Path,
            Tasks(("task_a", TaskJson("\"Do a\"", Instances("a", 2))), ("task_b", "{\"Definition\": 1}"), ("task_c", "not json")),
            Tasks(("task_t", TaskJson("\"t\"", Instances("t", 1)))));

        var e = Assert.Throws<InvalidDataException>(() => SniReader.Read(folder.Path, "default", 100, 1, strict: false));

        Assert.StartsWith(Path.Combine(folder.Path, "tasks", "task_b.json"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKeysInATaskFile_LastWinsWithAWarningNamingTheFile()
    {
        using var folder = TestPaths.NewTempFolder();

        SniData data = ReadWithTrainInstances(folder, "[{\"id\": \"a-0\", \"input\": \"first\", \"input\": \"last\", \"output\": [\"o\"]}]", strict: true);

        Assert.Equal("last", data.Train.Items.Single().Instance.Input);
        Assert.Equal(0, data.SkippedInstances);
        string warning = Assert.Single(data.Warnings);
        Assert.Equal($"{Path.Combine(folder.Path, "tasks", "task_a.json")}: 1 duplicate key(s), the last value of each is used (as Python's json does): $.Instances[0].input", warning);
    }

    [Fact]
    public void Read_NaNWhereAStringBelongs_SkipsTheInstanceNamingTheField()
    {
        using var folder = TestPaths.NewTempFolder();

        SniData data = ReadWithTrainInstances(folder, "[{\"id\": \"a-0\", \"input\": NaN, \"output\": [\"o\"]}, {\"id\": \"a-1\", \"input\": \"i\", \"output\": [Infinity]}, {\"id\": \"a-2\", \"input\": \"i\", \"output\": [\"o\"]}]", strict: false);

        Assert.Equal("a-2", data.Train.Items.Single().Instance.Id);
        Assert.Equal(2, data.SkippedInstances);
        Assert.EndsWith("Instances[0] (id \"a-0\"): field \"input\" must be a string", data.Warnings[0], StringComparison.Ordinal);
        Assert.EndsWith("Instances[1] (id \"a-1\"): field \"output\" must be a non-empty list of strings", data.Warnings[1], StringComparison.Ordinal);
    }

    // One train task "task_a" with the given instances (raw JSON) and a one-instance test task.
    private static SniData ReadWithTrainInstances(TempFolder folder, string instancesJson, bool strict)
    {
        WriteLayout(folder.Path, Tasks(("task_a", TaskJson("\"Do a\"", instancesJson))), Tasks(("task_t", TaskJson("\"Do t\"", Instances("t", 1)))));
        return SniReader.Read(folder.Path, "default", 100, 1, strict);
    }
}
