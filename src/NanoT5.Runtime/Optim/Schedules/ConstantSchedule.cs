// The base learning rate throughout (nanoT5's fine-tuning schedule).
namespace NanoT5.Optim.Schedules;

/// <summary>A constant learning rate.</summary>
public sealed class ConstantSchedule(double baseLr) : ILearningRateSchedule
{
    /// <inheritdoc />
    public string? Note => null;

    /// <inheritdoc />
    public double LearningRate(long step) => baseLr;
}
