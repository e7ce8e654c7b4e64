// What the trainer keeps between log lines: each step's result and timing, summed until the next log line.
namespace NanoT5.Training;

/// <summary>A step's result with its wall time and the part of it spent waiting for data.</summary>
internal readonly record struct TimedStep(StepResult Result, double Seconds, double DataWait);

/// <summary>Sums of the steps since the last log line, for its means (nanoT5 averages the same way between logs).</summary>
internal sealed class MetricWindow
{
    private double loss, gradNorm, seconds, dataWait;
    private long tokens;
    private int steps;

    public double MeanLoss => loss / Math.Max(1, steps);

    public double MeanGradNorm => gradNorm / Math.Max(1, steps);

    public double MeanSeconds => seconds / Math.Max(1, steps);

    public double MeanDataWait => dataWait / Math.Max(1, steps);

    public double TokensPerSecond => seconds > 0 ? tokens / seconds : 0;

    public void Add(TimedStep step)
    {
        loss += step.Result.Loss;
        gradNorm += step.Result.GradNorm;
        seconds += step.Seconds;
        dataWait += step.DataWait;
        tokens += step.Result.Tokens;
        steps++;
    }
}
