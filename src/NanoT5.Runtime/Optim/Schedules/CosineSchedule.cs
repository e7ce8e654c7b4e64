// nanoT5's default: PyTorch SequentialLR of LinearLR(start 0.5, end 1, warmup steps) and
// CosineAnnealingLR(T_max = total - warmup, eta_min = final_cosine), stepped once per optimizer step.
namespace NanoT5.Optim.Schedules;

/// <summary>Linear warm-up from 0.5x to 1x of the base rate, then cosine annealing to a final rate.</summary>
public sealed class CosineSchedule(double baseLr, long warmupSteps, long totalSteps, double finalLr) : ILearningRateSchedule
{
    /// <inheritdoc />
    public string? Note => null;

    /// <inheritdoc />
    public double LearningRate(long step)
    {
        if (step < warmupSteps)
        {
            return baseLr * (0.5 + (0.5 * step / warmupSteps));
        }

        // At the milestone SequentialLR restarts the cosine at epoch 0, i.e. exactly the base rate.
        long period = totalSteps - warmupSteps;
        long t = step - warmupSteps;
        return finalLr + ((baseLr - finalLr) * (1 + Math.Cos(Math.PI * t / period)) / 2);
    }
}
