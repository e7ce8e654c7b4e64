// Progress for long runs: on a terminal, one status line redrawn in place (step, loss, lr, tokens/s,
// ETA) with log lines printed above it; when output is redirected (CI, logs, the SDK's launch), plain
// lines only, one per logging step.
using System.Globalization;

namespace NanoT5.Training;

/// <summary>Writes training progress to the console.</summary>
public sealed class ProgressReporter(TextWriter output, bool interactive, long totalSteps, TimeProvider time)
{
    private readonly long startTimestamp = time.GetTimestamp();
    private long startStep = -1;
    private bool statusShown;

    /// <summary>A line that stays (events, logs, evaluations).</summary>
    public void Line(string message)
    {
        if (interactive && statusShown)
        {
            output.Write("\r\u001b[2K");
            statusShown = false;
        }

        output.WriteLine(message);
        output.Flush();
    }

    /// <summary>The live status after an optimizer step (terminal only).</summary>
    public void Status(long step, double loss, double lr, double tokensPerSecond)
    {
        if (startStep < 0)
        {
            startStep = step - 1;
        }

        if (!interactive)
        {
            return;
        }

        output.Write("\r\u001b[2K" + Format(step, loss, lr, tokensPerSecond));
        output.Flush();
        statusShown = true;
    }

    /// <summary>"step 120/2000 (6%) | loss 4.213 | lr 1.2e-02 | 2,310 tok/s | ETA 0:12:31".</summary>
    public string Format(long step, double loss, double lr, double tokensPerSecond) => string.Create(CultureInfo.InvariantCulture,
        $"step {step}/{totalSteps} ({100.0 * step / Math.Max(1, totalSteps):F0}%) | loss {loss:F4} | lr {lr:0.0##e+00} | {tokensPerSecond:N0} tok/s | ETA {Eta(step)}");

    /// <summary>"elapsed 1:05 | ETA 4:10": time since this process started training and the estimate for the rest.</summary>
    public string Timing(long step) => $"elapsed {Clock(time.GetElapsedTime(startTimestamp))} | ETA {Eta(step)}";

    private static string Clock(TimeSpan span) =>
        span.ToString(span.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    private string Eta(long step)
    {
        long done = step - Math.Max(0, startStep);
        if (done <= 0)
        {
            return "--:--";
        }

        double perStep = time.GetElapsedTime(startTimestamp).TotalSeconds / done;
        return Clock(TimeSpan.FromSeconds(perStep * Math.Max(0, totalSteps - step)));
    }
}
