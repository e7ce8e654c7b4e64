// Issue 23 item 4 and 5: keys and values as MLflow takes them.
using NanoT5.Tracking;
using NanoT5.Tracking.MLflow;
using NanoT5.Tracking.Outbox;

namespace NanoT5.Tests.Tracking.MLflow;

public sealed class MLflowKeysTests
{
    [Theory]
    [InlineData("train/loss", "train/loss")]
    [InlineData("optim.base_lr", "optim.base_lr")]
    [InlineData("eval/rougeL/Cause, Effect (Classification)", "eval/rougeL/Cause_ Effect _Classification_")]
    [InlineData("eval/rougeL/Übersetzung", "eval/rougeL/Übersetzung")]
    [InlineData("eval/rougeL/翻译", "eval/rougeL/翻译")]
    [InlineData("eval/rougeL/e\u0301t\u00e9", "eval/rougeL/e_t\u00e9")] // a combining accent is not \w (MLflow refuses it)
    [InlineData("a//b", "a/_b")]
    [InlineData("/a", "_a")]
    [InlineData("a/", "a_")]
    [InlineData("a/./b", "a/_/b")]
    [InlineData("../x", "__/x")]
    [InlineData("..x", "_.x")]
    [InlineData("", "_")]
    [InlineData("a\u0000b", "a_b")]
    public void Of_keeps_every_character_MLflow_allows_and_replaces_the_rest_in_place(string name, string key) =>
        Assert.Equal(key, MLflowKeys.Of(name));

    [Theory]
    [InlineData("a//b")]
    [InlineData("x/../y/./z//")]
    [InlineData("../../etc")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("eval/rougeL/Cause, Effect (Classification)")]
    [InlineData("\ud800x")]
    [InlineData("🙂 emoji/ok")]
    public void Of_gives_keys_MLflows_validation_accepts(string name) =>
        Assert.Null(MLflowValidation.InvalidKey(MLflowKeys.Of(name), "metric"));

    [Fact]
    public void Of_cuts_keys_at_250_code_points()
    {
        string key = MLflowKeys.Of(string.Concat(Enumerable.Repeat("😀", 300)));
        Assert.Equal(250, key.EnumerateRunes().Count());
        Assert.Null(MLflowValidation.InvalidKey(key, "metric"));
    }

    [Fact]
    public async Task Non_ASCII_keys_arrive_as_written_and_names_that_would_merge_are_refused_with_a_warning_naming_both()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        var log = new StringWriter();

        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log)))
        {
            tracker.LogParams(new Dictionary<string, string> { ["data.sprache_ä"] = "de", ["data.sprache_ö"] = "at" });
            tracker.LogMetric("eval/rougeL/Übersetzung", 1, 40.5);
            tracker.LogMetric("eval/rougeL/a,b", 1, 30.0);
            tracker.LogMetric("eval/rougeL/a;b", 1, 31.0);
            tracker.LogMetric("eval/rougeL/a,b", 2, 32.0);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        FakeRun run = server.SingleRun();
        string text = log.ToString();
        Assert.Equal("de", run.Params["data.sprache_ä"]);
        Assert.Equal("at", run.Params["data.sprache_ö"]);
        Assert.Equal(
            ["eval/rougeL/a_b@1=30", "eval/rougeL/a_b@2=32", "eval/rougeL/Übersetzung@1=40.5"],
            run.Metrics.Keys.Select(k => $"{k.Key}@{k.Step}={k.Value}").Order(StringComparer.Ordinal));
        Assert.Contains("metric 'eval/rougeL/a;b' is not sent: the tracker stores it under 'eval/rougeL/a_b', the key of metric 'eval/rougeL/a,b'", text, StringComparison.Ordinal);
        Assert.Equal(1, report.SetAsidePoints);
        Assert.Equal(0, report.PendingPoints);
    }

    [Fact]
    public async Task Param_values_keep_up_to_6000_characters_and_long_tag_values_are_cut_with_a_marker_and_a_warning()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        var log = new StringWriter();
        string param = new('p', 5990), longParam = new('q', 7000), tag = new('t', 6000);

        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log)))
        {
            tracker.LogParams(new Dictionary<string, string> { ["notes.long"] = param, ["notes.longer"] = longParam });
            tracker.SetTag("notes", tag);
            tracker.LogMetric(MetricNames.TrainLoss, 1, 2.0);
            Assert.Equal(0, (await tracker.EndAsync(RunStatus.Finished)).PendingPoints);
        }

        FakeRun run = server.SingleRun();
        Assert.Equal(param, run.Params["notes.long"]);
        Assert.Equal(new string('q', 6000 - RunDataSync.CutMarker.Length) + RunDataSync.CutMarker, run.Params["notes.longer"]);
        Assert.Equal(new string('t', 5000 - RunDataSync.CutMarker.Length) + RunDataSync.CutMarker, run.Tags["notes"]);
        Assert.Contains("tag 'notes' has a value of 6000 characters; the tracker stores at most 5000", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("param 'notes.longer' has a value of 7000 characters; the tracker stores at most 6000", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("FINISHED", run.Status);
    }
}
