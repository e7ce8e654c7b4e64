using Microsoft.Extensions.Time.Testing;
using NanoT5.Training;

namespace NanoT5.Tests.Training;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Timing_gives_the_elapsed_time_and_an_ETA_from_the_steps_done_so_far()
    {
        var time = new FakeTimeProvider();
        var progress = new ProgressReporter(TextWriter.Null, interactive: false, totalSteps: 600, time);
        progress.Status(101, 4.0, 1e-2, 1000);
        time.Advance(TimeSpan.FromSeconds(50));

        // A resumed run (first step 101): 100 steps in 50 s, 400 to go.
        Assert.Equal("elapsed 0:50 | ETA 3:20", progress.Timing(200));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("elapsed 1:00:50 | ETA 0:00", progress.Timing(600));
    }

    [Fact]
    public void Timing_before_any_step_has_no_ETA()
    {
        var progress = new ProgressReporter(TextWriter.Null, interactive: false, totalSteps: 10, new FakeTimeProvider());

        Assert.Equal("elapsed 0:00 | ETA --:--", progress.Timing(0));
    }
}
