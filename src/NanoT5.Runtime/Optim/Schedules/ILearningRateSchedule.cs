// A learning-rate schedule is a pure function of the optimizer step, so its state is the step itself
// (restored from a checkpoint with the optimizer's step count).
namespace NanoT5.Optim.Schedules;

/// <summary>Learning rate used by each optimizer step.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate of optimizer step <paramref name="step"/> (0-based: the first update is step 0).</summary>
    double LearningRate(long step);

    /// <summary>A note for the run log (e.g. that the schedule ignores the base learning rate), or null.</summary>
    string? Note { get; }
}
