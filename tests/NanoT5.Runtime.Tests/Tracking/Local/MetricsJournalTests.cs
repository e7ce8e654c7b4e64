using System.Text;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Tracking.Local;

public sealed class MetricsJournalTests
{
    [Fact]
    public void Points_round_trip_including_non_finite_values()
    {
        using var temp = TestPaths.NewTempFolder();
        MetricPoint[] points =
        [
            new("train/loss", 1, 2.718281828459045, 1_700_000_000_123),
            new("train/loss", 2, double.NaN, 1_700_000_000_124),
            new("train/grad_l2", 2, double.PositiveInfinity, 1_700_000_000_125),
            new("eval/rougeL/Cause Effect", 3, double.NegativeInfinity, 1_700_000_000_126),
        ];
        using (MetricsJournal journal = MetricsJournal.Open(temp.File("metrics.jsonl")))
        {
            foreach (MetricPoint p in points)
            {
                journal.Append(p);
            }
        }

        Assert.Equal(points, MetricsJournal.ReadAll(temp.File("metrics.jsonl")));
        Assert.StartsWith("{\"name\":\"train/loss\",\"step\":1,\"value\":2.718281828459045,\"timestamp\":1700000000123}\n", File.ReadAllText(temp.File("metrics.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_torn_last_line_is_ignored_on_read_and_cut_off_when_the_journal_is_reopened()
    {
        using var temp = TestPaths.NewTempFolder();
        string path = temp.File("metrics.jsonl");
        using (MetricsJournal journal = MetricsJournal.Open(path))
        {
            journal.Append(new MetricPoint("train/loss", 1, 3.0, 10));
            journal.Append(new MetricPoint("train/loss", 2, 2.5, 20));
        }

        File.AppendAllText(path, "{\"name\":\"train/loss\",\"st", Encoding.UTF8);
        Assert.Equal(2, MetricsJournal.ReadAll(path).Count);

        using (MetricsJournal reopened = MetricsJournal.Open(path))
        {
            reopened.Append(new MetricPoint("train/loss", 3, 2.25, 30));
            Assert.Equal(new FileInfo(path).Length, reopened.Length);
        }

        Assert.Equal([1L, 2L, 3L], MetricsJournal.ReadAll(path).Select(p => p.Step));
        Assert.DoesNotContain("\"st{", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_returns_at_most_the_requested_points_and_the_offset_of_the_next_line()
    {
        using var temp = TestPaths.NewTempFolder();
        using MetricsJournal journal = MetricsJournal.Open(temp.File("metrics.jsonl"));
        for (int step = 0; step < 2500; step++)
        {
            journal.Append(new MetricPoint("train/loss", step, 1.0 / (step + 1), step));
        }

        MetricBatch first = journal.Read(0, 1000);
        MetricBatch second = journal.Read(first.EndOffset, 1000);
        MetricBatch third = journal.Read(second.EndOffset, 1000);
        MetricBatch none = journal.Read(third.EndOffset, 1000);

        Assert.Equal((1000, 1000, 500, 0), (first.Points.Count, second.Points.Count, third.Points.Count, none.Points.Count));
        Assert.Equal(1000, second.Points[0].Step);
        Assert.Equal(journal.Length, third.EndOffset);
        Assert.Equal(third.EndOffset, none.EndOffset);
    }

    [Fact]
    public void A_malformed_complete_line_is_counted_and_skipped()
    {
        using var temp = TestPaths.NewTempFolder();
        string path = temp.File("metrics.jsonl");
        File.WriteAllText(path, "{\"name\":\"a\",\"step\":1,\"value\":1,\"timestamp\":1}\nnot json\n{\"name\":\"a\",\"step\":2,\"value\":2,\"timestamp\":2}\n");
        using MetricsJournal journal = MetricsJournal.Open(path);

        MetricBatch batch = journal.Read(0, 10);

        Assert.Equal(2, batch.Points.Count);
        Assert.Equal(1, batch.MalformedLines);
        Assert.Equal(journal.Length, batch.EndOffset);
    }
}
