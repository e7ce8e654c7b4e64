// Run state that a checkpoint carries besides weights and optimizer state. The config is immutable;
// everything that changes while training lives here.
using System.Text.Json.Nodes;

namespace NanoT5.Training;

/// <summary>Where a run is: steps taken, data position, random state, fault counters.</summary>
public sealed record TrainingState
{
    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; init; }

    /// <summary>Completed passes over a finite dataset (fine-tuning).</summary>
    public int Epoch { get; init; }

    /// <summary>Encoder plus decoder positions trained on.</summary>
    public long TokensSeen { get; init; }

    /// <summary>The data source's own position (opaque to the loop), so resume continues the same data order.</summary>
    public JsonNode? DataPosition { get; init; }

    /// <summary>LibTorch's default CPU generator state (dropout), base64.</summary>
    public string? TorchRngState { get; init; }

    /// <summary>Steps skipped for non-finite loss or gradients, in total.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Steps skipped in a row at the end of the run so far.</summary>
    public int ConsecutiveSkippedSteps { get; init; }

    /// <summary>Training wall time before this checkpoint, in seconds.</summary>
    public double ElapsedSeconds { get; init; }
}
