// The value a setting has in one build: read from the project, nanoT5's fine-tuning default, or the default.
using NanoT5.Config.Settings;

namespace NanoT5.Sdk.Settings;

internal enum ValueOrigin
{
    /// <summary>ExperimentConfig's own default applies; nothing is generated for it.</summary>
    Default,

    /// <summary>nanoT5's task/ft.yaml value, because the run fine-tunes or predicts.</summary>
    FinetuneDefault,

    /// <summary>Set by the project (a file, -p:, a sweep run or the environment).</summary>
    Project,
}

/// <param name="Text">The text as written (or the default's text).</param>
/// <param name="Value">int, double, bool, Choice, string, a list of strings or of key/value pairs; null when unset or unreadable.</param>
internal sealed record SettingValue(Setting Setting, string Text, object? Value, ValueOrigin Origin);
