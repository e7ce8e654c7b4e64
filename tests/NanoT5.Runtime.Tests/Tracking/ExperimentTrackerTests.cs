using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Extensions.Time.Testing;
using NanoT5.Config;
using NanoT5.Testing;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Tracking;

public sealed class ExperimentTrackerTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_constructor_only_keeps_its_parts_so_all_file_git_and_network_work_is_in_Start()
    {
        ConstructorInfo constructor = Assert.Single(typeof(ExperimentTracker).GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic));
        byte[] il = constructor.GetMethodBody()!.GetILAsByteArray()!;

        List<string> work = [.. IlInstructions.Read(il)
            .Where(instruction => instruction.Op.OperandType == OperandType.InlineMethod)
            .Select(instruction => constructor.Module.ResolveMethod(BitConverter.ToInt32(il, instruction.Operand))!)
            .Select(callee => $"{callee.DeclaringType!.Name}.{callee.Name}")
            .Where(call => call is not ("Object..ctor" or "Lock..ctor"))
            .Distinct()];

        Assert.True(work.Count == 0, "ExperimentTracker's constructor calls " + string.Join(", ", work));
    }

    [Fact]
    public async Task Start_writes_the_resolved_config_params_and_a_running_summary()
    {
        using var temp = TestPaths.NewTempFolder();
        ExperimentConfig config = TrackingFixtures.Config(temp.File("run"));

        await using ExperimentTracker tracker = ExperimentTracker.Start(config, LocalOptions(new FakeTimeProvider(Start)));
        var folder = new RunFolder(tracker.RunDirectory);

        Assert.Equal(ExperimentConfigJson.Serialize(config), File.ReadAllText(folder.ConfigFile));
        Dictionary<string, string> parameters = TrackingJson.TryLoad<Dictionary<string, string>>(folder.ParamsFile)!;
        Assert.Equal("0.02", parameters["optim.base_lr"]);
        Assert.Equal("adamwscale", parameters["optim.name"]);
        RunSummary summary = TrackingJson.TryLoad<RunSummary>(folder.SummaryFile)!;
        Assert.Equal((RunStatus.Running, Start, 1), (summary.Status, summary.StartedAt, summary.Starts));
        Assert.Equal(32, summary.RunUid.Length);
    }

    [Fact]
    public async Task Metrics_are_stamped_by_the_time_provider_and_summarised_at_the_end()
    {
        using var temp = TestPaths.NewTempFolder();
        var time = new FakeTimeProvider(Start);
        ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path), LocalOptions(time));

        tracker.LogMetrics(100, new Dictionary<string, double> { [MetricNames.TrainLoss] = 4.0, [MetricNames.TrainLr] = 0.01 });
        time.Advance(TimeSpan.FromSeconds(30));
        tracker.LogMetrics(200, new Dictionary<string, double> { [MetricNames.TrainLoss] = 3.0, [MetricNames.TrainLr] = 0.02 });
        tracker.LogMetric(MetricNames.TrainLoss, 300, double.NaN);
        tracker.LogMetric(MetricNames.EvalAccuracy, 300, 0.41);
        tracker.LogMetric(MetricNames.EvalAccuracy, 400, 0.40);
        time.Advance(TimeSpan.FromSeconds(30));
        TrackingReport report = await tracker.EndAsync(RunStatus.Finished);

        IReadOnlyList<MetricPoint> points = MetricsJournal.ReadAll(new RunFolder(temp.Path).MetricsFile);
        Assert.Equal(7, points.Count);
        Assert.Equal(new MetricPoint(MetricNames.TrainLoss, 200, 3.0, Start.AddSeconds(30).ToUnixTimeMilliseconds()), points[2]);
        RunSummary summary = TrackingJson.TryLoad<RunSummary>(new RunFolder(temp.Path).SummaryFile)!;
        Assert.Equal((RunStatus.Finished, 60.0, 400L, 7L), (summary.Status, summary.WallSeconds, summary.LastStep, summary.Points));
        MetricSummary loss = summary.Metrics[MetricNames.TrainLoss];
        Assert.Equal(new StepValue(300, double.NaN), loss.Last);
        Assert.Equal(new StepValue(200, 3.0), loss.Best);
        Assert.Equal(3.5, loss.Mean);
        Assert.Equal(new StepValue(300, 0.41), summary.Metrics[MetricNames.EvalAccuracy].Best);
        Assert.Null(summary.Metrics[MetricNames.TrainLr].Best);
        Assert.Equal(7, report.Points);
        Assert.Null(summary.Remote);
    }

    [Fact]
    public async Task A_step_logged_twice_keeps_its_first_value()
    {
        using var temp = TestPaths.NewTempFolder();
        var log = new StringWriter();
        ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path), LocalOptions(new FakeTimeProvider(Start), log));

        tracker.LogMetric(MetricNames.TrainLoss, 5, 1.0);
        tracker.LogMetric(MetricNames.TrainLoss, 5, 9.0);
        TrackingReport report = await tracker.EndAsync(RunStatus.Finished);

        Assert.Equal(1.0, Assert.Single(MetricsJournal.ReadAll(new RunFolder(temp.Path).MetricsFile)).Value);
        Assert.Equal(1, report.ReplayedPointsIgnored);
        Assert.Contains("already has a value at step 5", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_on_a_crashed_run_folder_resumes_it_and_cuts_the_torn_line()
    {
        using var temp = TestPaths.NewTempFolder();
        var time = new FakeTimeProvider(Start);
        ExperimentConfig config = TrackingFixtures.Config(temp.Path);
        ExperimentTracker crashed = ExperimentTracker.Start(config, LocalOptions(time));
        crashed.LogMetric(MetricNames.TrainLoss, 1, 5.0);
        crashed.LogMetric(MetricNames.TrainLoss, 2, 4.0);
        crashed.Flush();
        string uid = crashed.RunUid;
        File.AppendAllText(new RunFolder(temp.Path).MetricsFile, "{\"name\":\"train/lo");

        time.Advance(TimeSpan.FromMinutes(5));
        ExperimentTracker resumed = ExperimentTracker.Start(config, LocalOptions(time));
        resumed.LogMetric(MetricNames.TrainLoss, 2, 4.0);
        resumed.LogMetric(MetricNames.TrainLoss, 3, 3.0);
        await resumed.EndAsync(RunStatus.Finished);

        Assert.Equal(uid, resumed.RunUid);
        Assert.Equal([1L, 2L, 3L], MetricsJournal.ReadAll(new RunFolder(temp.Path).MetricsFile).Select(p => p.Step));
        RunSummary summary = TrackingJson.TryLoad<RunSummary>(new RunFolder(temp.Path).SummaryFile)!;
        Assert.Equal((2, Start, Start.AddMinutes(5), 3L), (summary.Starts, summary.StartedAt, summary.ResumedAt, summary.Metrics[MetricNames.TrainLoss].Count));
    }

    [Fact]
    public async Task Artifacts_stay_inside_the_run_folder()
    {
        using var temp = TestPaths.NewTempFolder();
        await using ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path), LocalOptions(new FakeTimeProvider(Start)));
        File.WriteAllText(temp.File("source.txt"), "weights card");

        string text = tracker.LogText("predictions/test.txt", "hello");
        string copy = tracker.LogFile(temp.File("source.txt"));

        Assert.Equal("hello", File.ReadAllText(text));
        Assert.Equal(Path.Combine(temp.Path, "artifacts", "predictions", "test.txt"), text);
        Assert.Equal("weights card", File.ReadAllText(copy));
        ArgumentException e = Assert.Throws<ArgumentException>(() => tracker.LogText("../escape.txt", "x"));
        Assert.StartsWith("Artifact name '../escape.txt' must be a relative path", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_without_EndAsync_records_a_failed_run_and_later_logging_throws()
    {
        using var temp = TestPaths.NewTempFolder();
        ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path), LocalOptions(new FakeTimeProvider(Start)));
        tracker.LogMetric(MetricNames.TrainLoss, 1, 1.0);

        await tracker.DisposeAsync();

        Assert.Equal(RunStatus.Failed, TrackingJson.TryLoad<RunSummary>(new RunFolder(temp.Path).SummaryFile)!.Status);
        Assert.Throws<InvalidOperationException>(() => tracker.LogMetric(MetricNames.TrainLoss, 2, 1.0));
        Assert.Equal(RunStatus.Failed, (await tracker.EndAsync(RunStatus.Finished)).Status);
    }

    private static TrackerOptions LocalOptions(TimeProvider time, TextWriter? log = null) => new() { Time = time, Log = log ?? new StringWriter() };
}
