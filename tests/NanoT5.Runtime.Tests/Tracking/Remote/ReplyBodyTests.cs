// Issue 22 item 11 and issue 27 item 5: what the tracker answers cannot hurt the run: a 1 GB error body is read
// only up to 64 KiB (a 1 GB success is not read at all), and a "{}" where the API's reply belongs gives a warning about the body, not a crash.
using NanoT5.Tracking;

namespace NanoT5.Tests.Tracking.Remote;

public sealed class ReplyBodyTests
{
    [Theory]
    [InlineData(502, "HTTP 502")]
    [InlineData(200, "over the 128 MiB a tracker reply may have")] // a "success" nobody could use: refused unread
    public async Task A_one_gigabyte_reply_body_is_read_only_up_to_its_cap(int status, string warning)
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        server.Inject("runs/search", Fault.HugeError(1L << 30, (System.Net.HttpStatusCode)status));
        var log = new StringWriter();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);

        TrackingReport report = await TrackingFixtures.RunAsync(TrackingFixtures.Config(temp.Path, server.Url), tracker => TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 5), log);

        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Contains(warning, log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", log.ToString(), StringComparison.Ordinal); // reading 1 GiB would outlast the 1 s attempt
        Assert.True(server.HugeBodyBytesWritten < 64L << 20, $"the client read {server.HugeBodyBytesWritten >> 20} MiB of a 1 GiB error body");
        Assert.True(allocated < 1L << 30, $"{allocated >> 20} MiB allocated while a 1 GiB error body came in");
    }

    [Theory]
    [InlineData("experiments/get-by-name", "get experiment", "experiment.experiment_id")]
    [InlineData("runs/create", "create run", "run.info.run_id")]
    public async Task An_empty_JSON_object_for_a_reply_gives_a_warning_about_the_body_and_delivery_goes_on(string endpoint, string operation, string field)
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        server.Inject(endpoint, Fault.EmptyObject200);
        var log = new StringWriter();

        TrackingReport report = await TrackingFixtures.RunAsync(TrackingFixtures.Config(temp.Path, server.Url), tracker => TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 5), log);

        string text = log.ToString();
        Assert.Contains($"{operation}: HTTP 200, but the body is not the reply the tracker's API gives: it has no '{field}'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NullReference", text, StringComparison.Ordinal);
        Assert.True(report.PendingPoints == 0, text);
        Assert.Equal(20, server.Runs.Values.Sum(r => r.Metrics.Count));
    }
}
