// Run state that a checkpoint carries besides weights and optimizer state. The config is immutable;
// everything that changes while training lives here.
namespace NanoT5.Checkpoints;

/// <summary>Where a run is: steps taken, random state, fault counters (the data position is a file of its own in the checkpoint).</summary>
public sealed record TrainingState
{
    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; init; }

    /// <summary>Completed passes over a finite dataset (fine-tuning).</summary>
    public int Epoch { get; init; }

    /// <summary>Encoder plus decoder positions trained on.</summary>
    public long TokensSeen { get; init; }

    /// <summary>LibTorch's default CPU generator state (dropout), base64.</summary>
    public string? TorchRngState { get; init; }

    /// <summary>Steps skipped for non-finite loss or gradients, in total.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Steps skipped in a row at the end of the run so far.</summary>
    public int ConsecutiveSkippedSteps { get; init; }

    /// <summary>Training wall time before this checkpoint, in seconds.</summary>
    public double ElapsedSeconds { get; init; }
}
