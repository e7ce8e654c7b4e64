using NanoT5.Evaluation;

namespace NanoT5.Tests.Evaluation;

public sealed class RougeReportTests
{
    [Fact]
    public void Compute_ThreeInstancesInTwoCategories_AveragesTimesHundredOverallAndPerGroup()
    {
        // F per instance: 1 (same words), 0.25 (reversed 4 words), 0.75 (best of two references, see RougeLTests).
        RougeInstance[] instances =
        [
            new("the cat sat", ["The cat sat."], "task_a", "Copy"),
            new("d c b a", ["a b c d"], "task_a", "Copy"),
            new("the quick brown fox", ["a slow dog", "quick brown foxes jump"], "task_b", "Extraction"),
        ];

        RougeReport report = RougeReport.Compute(instances);

        // overall: 100 * (1 + 0.25 + 0.75) / 3 = 66.666...; Copy: 100 * 1.25 / 2 = 62.5; Extraction: 75.
        Assert.Equal(200.0 / 3, report.RougeL, 10);
        Assert.Equal(3, report.Count);
        Assert.Equal(new RougeGroupScore(62.5, 2), report.ByCategory["Copy"]);
        Assert.Equal(new RougeGroupScore(75, 1), report.ByCategory["Extraction"]);
        Assert.Equal(["task_a", "task_b"], report.ByTask.Keys);
    }

    [Fact]
    public void Compute_NoInstance_Throws() =>
        Assert.Throws<ArgumentException>(() => RougeReport.Compute([]));
}
