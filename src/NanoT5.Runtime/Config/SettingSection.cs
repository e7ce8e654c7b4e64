// The parts of ExperimentConfig in their order: the top-level settings, then one record per group of config paths
// (Optim.BaseLr is in OptimizerSettings), then the SDK's own settings. The generated records (SettingCode) and the
// README's tables (SettingDocs) are laid out by it; a new section is one line here plus its table entries.
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>
/// One part of the settings: its group (the first part of a config path; "" = the top level, null = the SDK's own
/// settings), its title in the README and the record that holds its settings (null: none).
/// </summary>
public sealed record SettingSection(string? Group, string Title, string? Record)
{
    /// <summary>Every section, in ExperimentConfig's (and the README's) order.</summary>
    public static IReadOnlyList<SettingSection> All { get; } =
    [
        new(string.Empty, "The run", nameof(ExperimentConfig)),
        new("Model", "Model", nameof(ModelSettings)),
        new("Tokenizer", "Tokenizer", nameof(TokenizerSettings)),
        new("Data", "Pretraining data and span corruption", nameof(DataSettings)),
        new("Finetune", "Fine-tuning data (Super-Natural Instructions)", nameof(FinetuneSettings)),
        new("Optim", "Optimizer and schedule", nameof(OptimizerSettings)),
        new("Eval", "Evaluation", nameof(EvaluationSettings)),
        new("Logging", "Logging", nameof(LoggingSettings)),
        new("Checkpoint", "Checkpoints", nameof(CheckpointSettings)),
        new("Tracker", "Tracker", nameof(TrackerSettings)),
        new("Export", "ONNX export", nameof(ExportSettings)),
        new(null, "The SDK itself (not part of the config)", null),
    ];

    /// <summary>The group of a setting: the first part of its config path, "" at the top level, null for an SDK-only setting.</summary>
    public static string? GroupOf(Setting setting) => setting.ConfigPath switch
    {
        null => null,
        string path when path.Contains('.', StringComparison.Ordinal) => path[..path.IndexOf('.', StringComparison.Ordinal)],
        _ => string.Empty,
    };

    /// <summary>The property of a setting in its section's record (BaseLr of Optim.BaseLr).</summary>
    public static string PropertyOf(Setting setting) =>
        setting.ConfigPath is string path ? path[(path.LastIndexOf('.') + 1)..] : throw new ArgumentException($"{setting.Property} steers the SDK and has no property in ExperimentConfig.", nameof(setting));
}
