using System.Xml.Linq;
using NanoT5.Config;
using NanoT5.Finetune;
using NanoT5.Finetune.Demo;

namespace NanoT5.Tests.Finetune;

public sealed class SniDemoDataTests
{
    private static readonly string[] Words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma"];

    // Documentation-like sentences: plain ones of 6-10 words, and ones with a single `Identifier`.
    private static List<string> SyntheticSentences()
    {
        var random = new Random(5);
        var sentences = new List<string>();
        for (int i = 0; i < 12_000; i++)
        {
            string[] words = Enumerable.Range(0, random.Next(6, 11)).Select(_ => Words[random.Next(Words.Length)]).ToArray();
            words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
            if (i % 3 == 0)
            {
                words[2] = $"`Type{i}`";
            }

            sentences.Add(string.Join(' ', words) + $" {i}.");
        }

        return sentences;
    }

    [Fact]
    public void Write_ThenRead_GivesDisjointTrainAndTestTasksSharingCategories()
    {
        using var folder = TestPaths.NewTempFolder();
        SniDemoData.Write(folder.Path, SyntheticSentences(), "tests");

        SniData data = SniReader.Read(folder.Path, "default", SniDemoData.TrainInstancesPerTask, seed: 2137, strict: true);

        Assert.Equal(7, data.Train.Tasks.Count);
        Assert.Equal(3, data.Test.Tasks.Count);
        Assert.Empty(data.Train.Tasks.Select(t => t.Name).Intersect(data.Test.Tasks.Select(t => t.Name)));
        Assert.All(data.Train.Tasks, t => Assert.Equal(SniDemoData.TrainInstancesPerTask, t.Instances.Count));
        Assert.All(data.Test.Tasks, t => Assert.Equal(SniDemoData.TestInstancesPerTask, t.Instances.Count));
        Assert.All(data.Train.Tasks.Concat(data.Test.Tasks), t => Assert.Equal(2, t.PositiveExamples.Count));
        Assert.Subset(data.Train.Tasks.Select(t => t.Category).ToHashSet(), data.Test.Tasks.Select(t => t.Category).ToHashSet());
        Assert.Empty(data.Train.Items.Select(i => i.Instance.Input).Intersect(data.Test.Items.Select(i => i.Instance.Input)));
        Assert.Empty(data.Warnings);
    }

    [Fact]
    public void Write_Instances_AreTheTasksTransformations()
    {
        using var folder = TestPaths.NewTempFolder();
        SniDemoData.Write(folder.Path, SyntheticSentences(), "tests");

        SniData data = SniReader.Read(folder.Path, "default", 100, seed: 1, strict: true);
        SniInstance Any(string task) => data.Train.Tasks.Concat(data.Test.Tasks).Single(t => t.Name == task).Instances[0];

        SniInstance copy = Any("demo001_copy_first_three_words");
        Assert.Equal(string.Join(' ', copy.Input.Split(' ')[..3]), copy.Outputs.Single());
        SniInstance lower = Any("demo004_lowercase_sentence");
        Assert.Equal([lower.Input.ToLowerInvariant(), lower.Input.ToLowerInvariant().TrimEnd('.')], lower.Outputs);
        SniInstance whole = Any("demo007_copy_sentence");
        Assert.Equal(whole.Input, whole.Outputs.Single());
        SniInstance reverse = Any("demo005_reverse_word_order");
        Assert.Equal(string.Join(' ', reverse.Input.Split(' ').Reverse()), reverse.Outputs.Single());
        SniInstance quoted = Any("demo103_extract_quoted_identifier");
        Assert.Contains($"\"{quoted.Outputs[0]}\"", quoted.Input, StringComparison.Ordinal);
        Assert.Equal($"\"{quoted.Outputs[0]}\"", quoted.Outputs[1]);
    }

    [Fact]
    public void Write_SameSentences_WritesTheSameBytes()
    {
        using var first = TestPaths.NewTempFolder();
        using var second = TestPaths.NewTempFolder();

        SniDemoData.Write(first.Path, SyntheticSentences(), "tests");
        SniDemoData.Write(second.Path, SyntheticSentences(), "tests");

        string[] files = Directory.GetFiles(first.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first.Path, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(12, files.Length); // 10 task files and 2 split lists
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, f)), File.ReadAllBytes(Path.Combine(second.Path, f))));
    }

    [Fact]
    public void Write_TooFewSentences_SaysWhichTaskRanOut()
    {
        using var folder = TestPaths.NewTempFolder();

        var e = Assert.Throws<InvalidDataException>(() => SniDemoData.Write(folder.Path, SyntheticSentences().Take(300).ToList(), "tests"));

        Assert.Contains("too few sentences for demo task", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BuiltinDemo_GeneratesFromTheSdkDocumentationOnceAndReusesIt()
    {
        using var run = TestPaths.NewTempFolder();
        var settings = new FinetuneSettings { DataDirectory = "builtin:demo" };

        SniData data = SniReader.Load(settings, seed: 2137, run.Path);
        string marker = Path.Combine(data.Root, "marker");
        File.WriteAllText(marker, "kept while the set is current");
        SniData again = SniReader.Load(settings, seed: 2137, run.Path);

        Assert.Equal(Path.Combine(run.Path, "data", "sni-demo"), data.Root);
        Assert.Equal(7 * settings.MaxInstancesPerTask, data.Train.Items.Count);
        Assert.Equal(3 * SniDemoData.TestInstancesPerTask, data.Test.Items.Count);
        Assert.True(File.Exists(marker));
        Assert.Equal(data.Test.Items.Select(i => i.Instance.Input), again.Test.Items.Select(i => i.Instance.Input));
        Assert.Contains("Microsoft.NETCore.App.Ref", File.ReadAllText(Path.Combine(data.Root, "tasks", "demo001_copy_first_three_words.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Flatten_SummaryWithReferences_WritesIdentifiersInBackticks()
    {
        XElement summary = XElement.Parse(
            """<summary>Returns <see langword="true" /> when <paramref name="value" /> is a <see cref="T:System.String" /> of <c>n</c> chars.<para>More.</para></summary>""");

        Assert.Equal("Returns true when value is a `String` of n chars. More. ", DocSentences.Flatten(summary));
    }

    [Theory]
    [InlineData("  Gets   the\n value.  Second sentence. ", "Gets the value.")]
    [InlineData("No final period", null)]
    [InlineData("Non-ASCII caf\u00e9.", null)]
    public void FirstSentence_KeepsPlainAsciiSentencesEndingInAPeriod(string text, string? expected) =>
        Assert.Equal(expected, DocSentences.FirstSentence(text));
}
