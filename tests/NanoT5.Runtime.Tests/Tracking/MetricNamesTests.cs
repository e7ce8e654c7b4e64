using System.Text.RegularExpressions;

namespace NanoT5.Tests.Tracking;

public sealed partial class MetricNamesTests
{
    [Fact]
    public void RuntimeSources_NameMetricsOnlyThroughMetricNames()
    {
        string runtime = TestPaths.Repo("src", "NanoT5.Runtime");
        string owner = Path.Combine(runtime, "Tracking", "MetricNames.cs");

        var literals = Directory.EnumerateFiles(runtime, "*.cs", SearchOption.AllDirectories)
            .Where(file => file != owner && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => MetricLiterals(File.ReadLines(file)).Select(line => $"{Path.GetRelativePath(runtime, file)}: {line}"))
            .ToList();

        Assert.True(literals.Count == 0, "metric names written as literals; add a constant to Tracking/MetricNames.cs and use it:\n" + string.Join("\n", literals));
    }

    [Fact]
    public void MetricLiterals_FindsANameInCodeAndIgnoresComments()
    {
        string[] source =
        [
            "// {\"name\":\"train/loss\",\"step\":100}",
            "/// <summary>eval/rougeL per category.</summary>",
            "tracker.LogMetric(\"train/skipped_steps\", step, count);",
            "metrics[$\"eval/{name}\"] = value;",
            "string path = \"checkpoints/step\";",
        ];

        Assert.Equal(["tracker.LogMetric(\"train/skipped_steps\", step, count);", "metrics[$\"eval/{name}\"] = value;"], MetricLiterals(source));
    }

    private static IEnumerable<string> MetricLiterals(IEnumerable<string> lines) =>
        lines.Select(line => line.Trim()).Where(line => !line.StartsWith("//", StringComparison.Ordinal) && MetricLiteral().IsMatch(line));

    // A C# string (plain, interpolated or verbatim) that starts with one of the metric groups.
    [GeneratedRegex("""[$@]*"(train|eval|test|predict)/""")]
    private static partial Regex MetricLiteral();
}
