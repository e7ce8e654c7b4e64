// Real natural-instructions task files (tests/fixtures/sni-real, byte for byte from allenai/natural-instructions) against
// nanoT5-golden.json: the counts, instance pools, prompts and references nanoT5's own data and collator logic give for
// them (how it was made: the fixture folder's README).
using System.Text.Json;
using NanoT5.Config;
using NanoT5.Data.Tokenizers;
using NanoT5.Evaluation;
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class SniRealFilesTests
{
    private const string EdibleTask = "task1149_item_check_edible";
    private const string DishTask = "task1318_country_national_dish";
    private const string AnalogyTask = "task1158_bard_analogical_reasoning_manipulating_items";
    private const string JapaneseTask = "task262_spl_translation_ja_en";

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fixtures", "sni-real");

    private static readonly Lazy<IReadOnlyList<GoldenTask>> AllGolden = new(ReadGolden);

    // The default split's tasks; the xlingual split (task262 for training, task1318 again for testing) has its own tests.
    private static readonly Lazy<IReadOnlyList<GoldenTask>> Golden = new(() => AllGolden.Value.Where(t => t.SplitFolder == "default").ToArray());

    [Fact]
    public void Read_RealTaskWithABareNaN_ReadsItAsPythonsJsonDoes()
    {
        // "URL": [NaN] at line 9: the file nanoT5 reads and a strict JSON reader refuses.
        string path = Path.Combine(Root, "tasks", EdibleTask + ".json");
        Assert.Contains("\"URL\": [\n        NaN\n    ]", File.ReadAllText(path), StringComparison.Ordinal);
        var problems = new List<string>();
        var warnings = new List<string>();

        SniTask task = SniTaskFile.Read(path, EdibleTask, firstInstances: null, strict: true, problems, warnings);

        Assert.Equal(119, task.Instances.Count);
        Assert.Equal("In this task, you are given an item and you need to check whether it is edible or not, return 1 if it is edible, else return 2.", task.Definition);
        Assert.Equal("Misc.", task.Category);
        Assert.Equal(" flour", task.Instances.Single(i => i.Id == "task1149-9f1538a1f632481bb287dd1290f80b91").Input);
        Assert.Empty(problems);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData(100, 100, 200)]
    [InlineData(1000, 119, 200)]
    [InlineData(7, 7, 14)]
    public void Read_RealSplit_KeepsNanoT5sInstanceCountsAndPools(int cap, int train, int test)
    {
        SniData data = SniReader.Read(Root, "default", cap, seed: 2137, strict: true);

        Assert.Equal(train, data.Train.Items.Count);
        Assert.Equal(test, data.Test.Items.Count);
        if (cap == 100)
        {
            Assert.Equal(Golden.Value.Single(t => t.Name == EdibleTask).InstancesAfterCap, train);
            Assert.Equal(Golden.Value.Where(t => t.Name != EdibleTask).Sum(t => t.InstancesAfterCap), test);
        }

        // Which instances are drawn depends on the RNG; the pool they are drawn from does not: all of a train task,
        // the first 100 of a test task.
        Assert.Subset(Golden.Value.Single(t => t.Name == EdibleTask).PoolIds.ToHashSet(), data.Train.Items.Select(i => i.Instance.Id).ToHashSet());
        Assert.Subset(Golden.Value.Where(t => t.Name != EdibleTask).SelectMany(t => t.PoolIds).ToHashSet(), data.Test.Items.Select(i => i.Instance.Id).ToHashSet());
        Assert.Equal(0, data.SkippedInstances);
        Assert.Empty(data.Warnings);
    }

    [Fact]
    public void Read_RealTestTasks_TakeExactlyTheirFirstHundredInstances()
    {
        SniData data = SniReader.Read(Root, "default", 1000, seed: 1, strict: true);

        Assert.Equal(
            Golden.Value.Where(t => t.Name != EdibleTask).SelectMany(t => t.PoolIds).Order(StringComparer.Ordinal),
            data.Test.Items.Select(i => i.Instance.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Source_EveryRealInstance_IsNanoT5sPromptCharacterForCharacter()
    {
        SniData data = SniReader.Read(Root, "default", 1000, seed: 1, strict: true);
        var tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
        var builder = new SniPromptBuilder(HfT5TokenizerFast.Wrap(tokenizer), new FinetuneSettings());
        Dictionary<string, string> expected = GoldenPrompts();

        SniItem[] items = [.. data.Train.Items, .. data.Test.Items];

        Assert.Equal(expected.Count, items.Length);
        Assert.All(items, item => Assert.Equal(expected[item.Instance.Id], builder.Source(item)));
    }

    [Fact]
    public void Read_RealInstances_KeepTheirReferencesAsListsWithTheirSpaces()
    {
        SniData data = SniReader.Read(Root, "default", 1000, seed: 1, strict: true);
        Dictionary<string, string[]> expected = Golden.Value.SelectMany(t => t.References).ToDictionary();

        Assert.All(data.Train.Items.Concat(data.Test.Items), item => Assert.Equal(expected[item.Instance.Id], item.Instance.Outputs));
        Assert.Equal(["Crack conch with peas and rice "], data.Test.Items.Single(i => i.Instance.Input == "Bahamas").Instance.Outputs);
    }

    [Fact]
    public void Read_RealInstanceWithTwoReferences_KeepsBoth()
    {
        SniData data = SniReader.Read(Root, "default", 100, seed: 1, strict: true);

        Assert.Equal(["pour", "squeeze"], data.Test.Items.Single(i => i.Instance.Id == "task1158-4c9c4bc0659248dabee363826e4afd6d").Instance.Outputs);
        Assert.Equal(4, data.Test.Items.Count(i => i.Task.Name == AnalogyTask && i.Instance.Outputs.Count == 2));
    }

    [Fact]
    public void RougeL_RealTestSplit_ScoresEachPredictionAgainstTheBestOfItsReferencesAsSniDoes()
    {
        SniData data = SniReader.Read(Root, "default", 100, seed: 1, strict: true);
        // The analogies are predicted with their LAST reference: 100 against all references (SNI's metric), 0 against
        // the first alone where there are two ("squeeze" vs "pour"). The dishes with the first dish of the reference:
        // Morocco, "Couscous" vs "Couscous, Tagine  ": LCS 1, P = 1, R = 1/2, F = 2/3.
        SniPrediction[] predictions = data.Test.Items.Select(item => new SniPrediction(
            item.Task.Name, item.Task.Category, item.Instance.Id, Predict(item), item.Instance.Outputs, item.Instance.Outputs[0])).ToArray();

        SniRougeL rouge = SniRougeL.Compute(predictions);

        Assert.Equal(100, rouge.AllReferences.ByTask[AnalogyTask].RougeL, 12);
        Assert.Equal(96, rouge.LabelReference.ByTask[AnalogyTask].RougeL, 12);
        Assert.Equal(2.0 / 3.0, RougeL.Score("Couscous, Tagine  ", "Couscous").FMeasure, 12);
        double dishes = predictions.Where(p => p.Task == DishTask).Average(p => RougeL.Score(p.References.Single(), p.Prediction).FMeasure) * 100;
        Assert.Equal(dishes, rouge.AllReferences.ByTask[DishTask].RougeL, 9);
        Assert.InRange(dishes, 70, 99.99);
        Assert.Equal((100 + dishes) / 2, rouge.AllReferences.RougeL, 9);
        Assert.Equal(200, rouge.AllReferences.Count);

        static string Predict(SniItem item) => item.Task.Name == DishTask ? item.Instance.Outputs[0].Split(',')[0] : item.Instance.Outputs[^1];
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(1000, 360)]
    public void Read_RealJapaneseTask_KeepsNanoT5sCountsPoolPromptsAndReferences(int cap, int train)
    {
        // task262 (Japanese inputs, English outputs) is a train task of the repository's xlingual split.
        SniData data = SniReader.Read(Root, "xlingual", cap, seed: 3, strict: true);
        GoldenTask golden = Xlingual(JapaneseTask);
        SniPromptBuilder builder = Builder();

        Assert.Equal(360, golden.InstancesInFile);
        Assert.Equal(train, data.Train.Items.Count);
        Assert.Equal(cap == 100 ? golden.InstancesAfterCap : golden.PoolIds.Length, train);
        Assert.Subset(golden.PoolIds.ToHashSet(), data.Train.Items.Select(i => i.Instance.Id).ToHashSet());
        Assert.Equal(Xlingual(DishTask).PoolIds.Order(StringComparer.Ordinal), data.Test.Items.Select(i => i.Instance.Id).Order(StringComparer.Ordinal));
        Assert.All(data.Train.Items, item =>
        {
            Assert.Equal(golden.Prompts[item.Instance.Id], builder.Source(item));
            Assert.Equal(golden.References[item.Instance.Id], item.Instance.Outputs);
        });
        Assert.Empty(data.Warnings);
    }

    [Fact]
    public void Source_RealJapaneseTask_KeepsBothExamplesUnderTheLimitAsTheGoldenAssumes()
    {
        // Its 1,069-character definition leaves the golden script's character bound unable to prove that the examples
        // fit under any tokenizer (fit_checks_assumed); with a real tokenizer the whole prompt is far under 1,024 tokens,
        // so both fit checks pass and nothing is cut.
        GoldenTask golden = Xlingual(JapaneseTask);
        SniData data = SniReader.Read(Root, "xlingual", 1000, seed: 3, strict: true);
        SniPromptBuilder builder = Builder();

        Assert.True(golden.FitChecksAssumed);
        Assert.All(Golden.Value, t => Assert.False(t.FitChecksAssumed));
        Assert.All(data.Train.Items, item =>
        {
            SniSource source = builder.Build(item);
            Assert.InRange(source.Tokens, 1, new FinetuneSettings().MaxSourceLength);
            Assert.Contains(" Positive Example 2 -\nInput: そのレストランにはどんな料理がある？.\n Output: what kind of food does this restaurant serve ?\n\n", source.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Source_RealInputEndingInAFullWidthQuestionMark_GetsAPeriodAsNanoT5Adds()
    {
        // string.punctuation is ASCII only: "？" and "。" are not in it, so nanoT5 adds "." after them; an input that
        // already ends in an ASCII "?" or "." (after a space) gets none.
        SniData data = SniReader.Read(Root, "xlingual", 1000, seed: 3, strict: true);
        SniPromptBuilder builder = Builder();
        string Prompt(string id) => builder.Source(data.Train.Items.Single(i => i.Instance.Id == "task262-" + id));

        Assert.EndsWith("\nInput: 最寄りの\" mexican \"レストランは？.\nOutput: ", Prompt("5170274c3d3442219b215059dc4bc538"), StringComparison.Ordinal);
        Assert.EndsWith("\nInput: 5つ星以上の\" mexican \"レストランを探して。.\nOutput: ", Prompt("f23a51d9b9f144b994d6206fdf28d06b"), StringComparison.Ordinal);
        Assert.EndsWith("\nInput: 一つ星のレビューはありますか？ ?\nOutput: ", Prompt("e2b44de858df4c2ea190e62301010ccb"), StringComparison.Ordinal);
        Assert.EndsWith("\nInput: \" italian \"料理が食べたい気分です。 .\nOutput: ", Prompt("88270a212fe14e8a964fdb2eed429f2c"), StringComparison.Ordinal);
        Assert.StartsWith("Definition: The provided file includes inquiries about restaurants in Japanese, and we ask you to translate those to English language.", Prompt("5170274c3d3442219b215059dc4bc538"), StringComparison.Ordinal);
    }

    [Fact]
    public void Source_RealTaskWithASecondDefinitionAndMojibake_UsesTheFirstDefinitionAndKeepsTheTextAsNanoT5Does()
    {
        // No real file with either was found (the fixture README says why), so task262 is edited in a copy: a second
        // Definition entry, which nanoT5's DataCollatorForNI never reads (it takes task["Definition"][0]), and one
        // instance's "'" double-encoded as UTF-8 read as cp1252 ("â€™"), which nanoT5 passes on as it is.
        using var folder = TestPaths.NewTempFolder();
        foreach (string file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(folder.Path, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string taskPath = Path.Combine(folder.Path, "tasks", JapaneseTask + ".json");
        string text = File.ReadAllText(taskPath);
        const string LastDefinitionLine = "Please do the same in your translations.\"\n    ],";
        const string Mojibake = "mcdonald\u00e2\u20ac\u2122s";
        Assert.Equal(1, text.Split(LastDefinitionLine).Length - 1);
        Assert.Equal(2, text.Split("mcdonald ' ").Length - 1);
        File.WriteAllText(taskPath, text
            .Replace(LastDefinitionLine, "Please do the same in your translations.\",\n        \"Translate the restaurant query into English.\"\n    ],", StringComparison.Ordinal)
            .Replace("mcdonald ' ", Mojibake + " ", StringComparison.Ordinal));
        SniData data = SniReader.Read(folder.Path, "xlingual", 1000, seed: 3, strict: true);
        SniPromptBuilder builder = Builder();
        GoldenTask golden = Xlingual(JapaneseTask);
        const string Edited = "task262-a1441450c4c84a769228b0bc181d3291";

        Assert.StartsWith("The provided file includes inquiries about restaurants in Japanese", data.Train.Tasks.Single().Definition, StringComparison.Ordinal);
        Assert.All(data.Train.Items.Where(i => i.Instance.Id != Edited), item => Assert.Equal(golden.Prompts[item.Instance.Id], builder.Source(item)));
        SniItem edited = data.Train.Items.Single(i => i.Instance.Id == Edited);
        Assert.Equal("その\" " + Mojibake + " \"の評価は？", edited.Instance.Input);
        Assert.Equal(golden.Prompts[Edited].Replace("mcdonald ' ", Mojibake + " ", StringComparison.Ordinal), builder.Source(edited));
        Assert.Equal(["what is the rating of that \" " + Mojibake + " \" ?"], edited.Instance.Outputs);
    }

    /// <summary>nanoT5's prompt of every instance of the default split in the golden file, by instance id.</summary>
    internal static Dictionary<string, string> GoldenPrompts() => Golden.Value.SelectMany(t => t.Prompts).ToDictionary();

    private static SniPromptBuilder Builder() =>
        new(HfT5TokenizerFast.Wrap(SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"))), new FinetuneSettings());

    private static GoldenTask Xlingual(string name) => AllGolden.Value.Single(t => t.SplitFolder == "xlingual" && t.Name == name);

    private static IReadOnlyList<GoldenTask> ReadGolden()
    {
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "nanot5-golden.json")));
        return golden.RootElement.GetProperty("tasks").EnumerateArray().Select(t => new GoldenTask(
            t.GetProperty("name").GetString()!,
            t.GetProperty("split_folder").GetString()!,
            t.GetProperty("instances_in_file").GetInt32(),
            t.GetProperty("instances_after_cap").GetInt32(),
            t.GetProperty("pool_ids").EnumerateArray().Select(i => i.GetString()!).ToArray(),
            t.GetProperty("prompts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            t.GetProperty("references").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(r => r.GetString()!).ToArray()),
            t.GetProperty("fit_checks_assumed").GetBoolean())).ToArray();
    }

    private sealed record GoldenTask(
        string Name, string SplitFolder, int InstancesInFile, int InstancesAfterCap, string[] PoolIds,
        Dictionary<string, string> Prompts, Dictionary<string, string[]> References, bool FitChecksAssumed);
}
