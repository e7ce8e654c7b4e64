// T5's inverse square root schedule as nanoT5's "legacy" option: LambdaLR min(1e-2, 1/sqrt(step))
// (1e-2 at step 0) for the first ceil(0.9 * total) steps, then LinearLR from the rate reached there
// down to 0 over the remaining steps. It does not depend on the base learning rate.
namespace NanoT5.Optim.Schedules;

/// <summary>Inverse square root capped at 1e-2, then linear decay to zero over the last 10% of steps.</summary>
public sealed class LegacySchedule(long totalSteps) : ILearningRateSchedule
{
    private const double Cap = 1e-2;

    /// <summary>First step of the linear decay: ceil(0.9 * total).</summary>
    public long DecayStart { get; } = (long)Math.Ceiling(totalSteps * 0.9);

    /// <inheritdoc />
    public string? Note => "You are using T5's legacy (inverse square root) schedule: it is independent of the base learning rate.";

    /// <inheritdoc />
    public double LearningRate(long step)
    {
        if (step < DecayStart)
        {
            return step == 0 ? Cap : Math.Min(Cap, 1.0 / Math.Sqrt(step));
        }

        double start = Math.Min(Cap, 1.0 / Math.Sqrt(DecayStart));
        long decaySteps = totalSteps - DecayStart;
        return decaySteps <= 0 ? start : start * (1.0 - ((double)Math.Min(step - DecayStart, decaySteps) / decaySteps));
    }
}
