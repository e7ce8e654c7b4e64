// The Super-Natural Instructions data model: one task file of the natural-instructions repository
// (tasks/<name>.json) and the instances a split takes from it.
namespace NanoT5.Finetune;

/// <summary>A demonstration from a task's "Positive Examples" or "Negative Examples".</summary>
public sealed record SniExample(string Input, string Output, string? Explanation);

/// <summary>One instance: its id, its input and every acceptable output (at least one).</summary>
public sealed record SniInstance(string Id, string Input, IReadOnlyList<string> Outputs);

/// <summary>
/// A task: its name (the file name without .json), the definition the prompt uses (the first one where the file
/// lists several), demonstrations, categories, and the instances the split selected.
/// </summary>
public sealed record SniTask(
    string Name,
    string Definition,
    IReadOnlyList<SniExample> PositiveExamples,
    IReadOnlyList<SniExample> NegativeExamples,
    IReadOnlyList<string> Categories,
    IReadOnlyList<SniInstance> Instances)
{
    /// <summary>Name given to tasks whose file lists no category.</summary>
    public const string Uncategorized = "uncategorized";

    /// <summary>The category results are grouped by: the first of <see cref="Categories"/>, as the SNI evaluation does.</summary>
    public string Category => Categories.Count > 0 ? Categories[0] : Uncategorized;
}

/// <summary>One row of a split: an instance and the task it belongs to.</summary>
public sealed record SniItem(SniTask Task, SniInstance Instance);

/// <summary>The tasks of one split (train or test) and their instances, in the order the reference yields them.</summary>
public sealed record SniSplit(string Name, IReadOnlyList<SniTask> Tasks, IReadOnlyList<SniItem> Items);

/// <summary>A task of a split list that a check of the data left out, and why (the message names the file).</summary>
public sealed record SniSkippedTask(string Split, string Name, string Reason);

/// <summary>
/// Both splits of a natural-instructions folder. <see cref="SkippedInstances"/> malformed instances were left out;
/// <see cref="Warnings"/> says which (file, index, field), one line each, then names files with duplicate keys and
/// tasks with no usable instance.
/// </summary>
public sealed record SniData(string Root, SniSplit Train, SniSplit Test, int SkippedInstances, IReadOnlyList<string> Warnings);
