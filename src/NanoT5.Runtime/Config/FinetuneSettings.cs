// Part of ExperimentConfig: super-Natural Instructions fine-tuning data (nanoT5's task/ft.yaml).
namespace NanoT5.Config;

/// <summary>Super-Natural Instructions fine-tuning data (nanoT5's task/ft.yaml).</summary>
public sealed record FinetuneSettings
{
    /// <summary>natural-instructions root (holds splits/ and tasks/), or builtin:demo.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Split folder under the root.</summary>
    public string Split { get; init; } = "default";

    public int MaxInstancesPerTask { get; init; } = 100;

    public int MaxSourceLength { get; init; } = 1024;

    public int MaxTargetLength { get; init; } = 128;

    public bool AddTaskName { get; init; }

    public bool AddTaskDefinition { get; init; } = true;

    public int NumPositiveExamples { get; init; } = 2;

    /// <summary>Stop on the first malformed instance instead of skipping it.</summary>
    public bool StrictData { get; init; }
}
