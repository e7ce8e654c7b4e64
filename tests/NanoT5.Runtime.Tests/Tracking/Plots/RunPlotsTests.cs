using Microsoft.Extensions.Time.Testing;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Plots;
using SkiaSharp;

namespace NanoT5.Tests.Tracking.Plots;

public sealed class RunPlotsTests
{
    [Fact]
    public async Task EndAsync_draws_the_standard_plots_from_exactly_the_points_in_metrics_jsonl()
    {
        using var temp = TestPaths.NewTempFolder();
        ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path), new TrackerOptions { Time = new FakeTimeProvider(), Log = new StringWriter() });
        TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 120);
        tracker.LogMetric(MetricNames.TrainLoss, 121, double.NaN);
        tracker.LogMetric(MetricNames.EvalLoss, 60, 2.5);
        tracker.LogMetric(MetricNames.EvalLoss, 120, 2.25);
        tracker.LogMetric(MetricNames.EvalRougeL, 60, 12.5);
        tracker.LogMetric(MetricNames.EvalRougeL, 120, 20.25);

        TrackingReport report = await tracker.EndAsync(RunStatus.Finished);

        Assert.Equal(RunPlots.Standard.Select(s => s.File), report.Plots.Select(p => Path.GetFileName(p.Path)));
        IReadOnlyList<MetricPoint> journal = MetricsJournal.ReadAll(new RunFolder(temp.Path).MetricsFile);
        foreach (PlotFile plot in report.Plots)
        {
            PlottedSeries series = Assert.Single(plot.Series);
            MetricPoint[] expected = [.. journal.Where(p => p.Name == series.Metric && double.IsFinite(p.Value)).OrderBy(p => p.Step)];
            Assert.Equal(expected.Select(p => (double)p.Step), series.Steps);
            Assert.Equal(expected.Select(p => p.Value), series.Values);
            AssertIsAChart(plot.Path);
        }

        Assert.Equal(120, report.Plots[0].Series[0].Steps.Count);
    }

    [Fact]
    public void A_finetuning_run_gets_a_RougeL_figure_and_a_pretraining_run_none()
    {
        using var temp = TestPaths.NewTempFolder();
        MetricPoint[] pretraining = [new(MetricNames.TrainLoss, 1, 5.0, 1), new(MetricNames.EvalLoss, 1, 4.5, 1)];
        MetricPoint[] finetuning = [.. pretraining, new(MetricNames.EvalRougeL, 0, 3.25, 1), new(MetricNames.EvalRougeL, 1, 17.5, 1), new(MetricNames.TestRougeL, 1, 18.0, 1)];

        IReadOnlyList<PlotFile> pretrained = RunPlots.Draw(temp.File("pretrain"), "pretrain", pretraining);
        IReadOnlyList<PlotFile> finetuned = RunPlots.Draw(temp.File("finetune"), "finetune", finetuning);

        Assert.DoesNotContain(pretrained, p => Path.GetFileName(p.Path) == "eval_rougeL.png");
        PlotFile rouge = Assert.Single(finetuned, p => Path.GetFileName(p.Path) == "eval_rougeL.png");
        Assert.Equal([3.25, 17.5], Assert.Single(rouge.Series).Values);
        AssertIsAChart(rouge.Path);
    }

    [Fact]
    public void The_legend_of_several_curves_leaves_every_last_point_visible()
    {
        // Falling curves end in the lower right, where ScottPlot puts a legend inside the chart.
        PlottedSeries[] series =
        [
            new("adafactor-isr-with-a-long-name", MetricNames.TrainLoss, [.. Enumerable.Range(1, 40).Select(s => (double)s)], [.. Enumerable.Range(1, 40).Select(s => 1.0 + (5 * Math.Exp(-s / 8.0)))]),
            new("adamwscale-cosine-with-a-long-name", MetricNames.TrainLoss, [.. Enumerable.Range(1, 40).Select(s => (double)s)], [.. Enumerable.Range(1, 40).Select(s => 1.6 + (5 * Math.Exp(-s / 8.0)))]),
        ];
        ScottPlot.Plot plot = PlotRenderer.Build("compare", MetricNames.TrainLoss, series, out _, out _);
        var colors = plot.GetPlottables<ScottPlot.Plottables.Scatter>().Select(p => p.Color).ToArray();

        using SKBitmap bitmap = SKBitmap.Decode(plot.GetImageBytes(PlotRenderer.Width, PlotRenderer.Height, ScottPlot.ImageFormat.Png));

        for (int i = 0; i < series.Length; i++)
        {
            ScottPlot.Pixel last = plot.GetPixel(new ScottPlot.Coordinates(series[i].Steps[^1], series[i].Values[^1]));
            SKColor drawn = bitmap.GetPixel((int)Math.Round(last.X), (int)Math.Round(last.Y));
            Assert.True(
                Math.Abs(drawn.Red - colors[i].Red) + Math.Abs(drawn.Green - colors[i].Green) + Math.Abs(drawn.Blue - colors[i].Blue) < 60,
                $"the last point of {series[i].Label} at ({last.X:F0}, {last.Y:F0}) shows {drawn}, not its colour {colors[i]}");
        }

        ScottPlot.PixelRect data = plot.RenderManager.LastRender.DataRect;
        Assert.True(data.Right < PlotRenderer.Width - 100, $"the legend sits beside the chart: the data area ends at x {data.Right:F0}");
    }

    [Fact]
    public void ComparisonPlot_draws_one_line_per_run_with_that_runs_points()
    {
        using var temp = TestPaths.NewTempFolder();
        string adafactor = WriteRun(temp.File("adafactor-isr"), step => 6.0 / Math.Sqrt(step));
        string adamw = WriteRun(temp.File("adamwscale-cosine"), step => 5.0 / Math.Sqrt(step));

        PlotFile plot = ComparisonPlot.Draw([adafactor, adamw], MetricNames.TrainLoss, temp.File("out/compare.png"));

        Assert.Equal(["adafactor-isr", "adamwscale-cosine"], plot.Series.Select(s => s.Label));
        Assert.Equal(5.0, plot.Series[1].Values[0]);
        Assert.Equal(
            MetricsJournal.ReadAll(new RunFolder(adafactor).MetricsFile).Where(p => p.Name == MetricNames.TrainLoss).Select(p => p.Value),
            plot.Series[0].Values);
        AssertIsAChart(plot.Path);
    }

    [Fact]
    public void The_compare_verb_writes_one_png_per_metric()
    {
        using var temp = TestPaths.NewTempFolder();
        string a = WriteRun(temp.File("a"), step => 1.0 / step);
        string b = WriteRun(temp.File("b"), step => 2.0 / step);

        int exit = NanoT5.Cli.CommandLine.Run(["compare", a, b, "--metric", "train/loss", "--metric", "train/lr", "--output", temp.File("figures")]);

        Assert.Equal(0, exit);
        AssertIsAChart(temp.File("figures/compare_train_loss.png"));
        AssertIsAChart(temp.File("figures/compare_train_lr.png"));
        Assert.Equal(2, NanoT5.Cli.CommandLine.Run(["compare", temp.File("missing")]));
    }

    [Fact]
    public void A_loss_that_starts_far_above_the_rest_is_drawn_on_a_clipped_range_that_the_axis_names()
    {
        using var temp = TestPaths.NewTempFolder();
        double[] losses = [48.6, 23.1, 7.6, 5.1, 4.6, 4.3, 4.1, 3.9, 3.8, 3.7, 3.6, 3.5];
        var series = new PlottedSeries("default", MetricNames.EvalLoss, [.. losses.Select((_, i) => (double)(i * 100))], losses);

        PlotFile plot = PlotRenderer.Save(temp.File("eval_loss.png"), "Evaluation loss", MetricNames.EvalLoss, [series]);

        Assert.NotNull(plot.ClippedAbove);
        Assert.InRange(plot.ClippedAbove!.Value, 7.6, 23.0);
        Assert.Equal($"eval/loss (clipped at {plot.ClippedAbove.Value:G3}: 2 higher points off the chart)", plot.YLabel);
        AssertIsAChart(plot.Path);
        Assert.Null(ReadableRange.Of([5.0, 4.8, 4.6, 4.5, 4.4, 4.3]));
    }

    [Fact]
    public void Compare_given_a_folder_of_runs_overlays_every_run_in_it()
    {
        using var temp = TestPaths.NewTempFolder();
        WriteRun(temp.File("runs/default-learning-rate-1e-2"), step => 1.0 / step);
        WriteRun(temp.File("runs/default-learning-rate-2e-2"), step => 2.0 / step);
        Directory.CreateDirectory(temp.File("runs/not-a-run"));

        PlotFile plot = ComparisonPlot.Draw([temp.File("runs")], MetricNames.TrainLoss, temp.File("out/compare.png"));

        Assert.Equal(["default-learning-rate-1e-2", "default-learning-rate-2e-2"], plot.Series.Select(s => s.Label));
        AssertIsAChart(plot.Path);
    }

    private static string WriteRun(string directory, Func<int, double> loss)
    {
        using var journal = MetricsJournal.Open(new RunFolder(directory).MetricsFile);
        for (int step = 1; step <= 50; step++)
        {
            journal.Append(new MetricPoint(MetricNames.TrainLoss, step, loss(step), step));
            journal.Append(new MetricPoint(MetricNames.TrainLr, step, loss(step) / 100, step));
        }

        return directory;
    }

    // A decodable PNG of the expected size, with a drawn line: many pixels of ScottPlot's first series colour.
    private static void AssertIsAChart(string path)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((PlotRenderer.Width, PlotRenderer.Height), (bitmap.Width, bitmap.Height));
        int lineBlue = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - 0x1f) < 40 && Math.Abs(c.Green - 0x77) < 40 && Math.Abs(c.Blue - 0xb4) < 40)
                {
                    lineBlue++;
                }
            }
        }

        Assert.True(lineBlue > 200, $"{path}: only {lineBlue} pixels of the series colour");
    }
}
