using NanoT5.Tracking;
using NanoT5.Tracking.MLflow;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tests.Tracking.Remote;

public sealed class TrackerTokenTests
{
    private const string Secret = "s3cr3t-token-4f9a2c";

    [Fact]
    public void ToString_never_shows_the_token_and_Redact_masks_it()
    {
        TrackerToken token = TrackerToken.FromEnvironment("T", _ => $"  {Secret} ")!;

        Assert.Equal("TrackerToken(***)", token.ToString());
        Assert.Equal("got Bearer ***, twice: ***", token.Redact($"got Bearer {Secret}, twice: {Secret}"));
        using var backend = new MLflowBackend(new Uri("http://127.0.0.1:9/"), token);
        Assert.DoesNotContain(Secret, backend.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_is_null_when_the_variable_is_unset_or_blank()
    {
        Assert.Null(TrackerToken.FromEnvironment("T", _ => null));
        Assert.Null(TrackerToken.FromEnvironment("T", _ => "  "));
    }

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_header_and_delivery_succeeds()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync(requiredToken: Secret);

        await using ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(new StringWriter(), Secret));
        TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 5);
        TrackingReport report = await tracker.EndAsync(RunStatus.Finished);

        Assert.Equal(0, report.PendingPoints);
        Assert.All(server.AuthorizationHeaders, h => Assert.Equal($"Bearer {Secret}", h));
        AssertNotInRunFolder(temp.Path);
    }

    [Fact]
    public async Task A_rejected_token_echoed_by_the_server_appears_in_no_log_message_report_or_file()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync(requiredToken: "the-right-token");
        var log = new StringWriter();

        TrackingReport report;
        ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log, Secret));
        await using (tracker)
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 5);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        Assert.Contains($"Bearer {Secret}", server.AuthorizationHeaders);
        Assert.Equal(20, report.PendingPoints);
        string warnings = string.Join("\n", report.Warnings);
        Assert.Contains("HTTP 401", warnings, StringComparison.Ordinal);
        Assert.Contains("Bearer ***", warnings, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, warnings, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, report.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, tracker.ToString(), StringComparison.Ordinal);
        AssertNotInRunFolder(temp.Path);
    }

    private static void AssertNotInRunFolder(string runDirectory)
    {
        string[] files = Directory.GetFiles(runDirectory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.DoesNotContain(Secret, File.ReadAllText(f), StringComparison.Ordinal));
    }
}
