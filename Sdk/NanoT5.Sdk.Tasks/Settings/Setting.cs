// One NanoT5 property: its MSBuild name, where it lands in ExperimentConfig, its type, bounds, defaults and meaning.
using NanoT5.Sdk.Diagnostics;

namespace NanoT5.Sdk.Settings;

/// <summary>A lower-case value a user writes and the C# expression it becomes.</summary>
internal sealed record Choice(string Value, string Expression);

/// <summary>One property of the SDK (ConfigPath null: it steers the SDK itself and is not part of the config).</summary>
internal sealed class Setting
{
    public Setting(string property, string? configPath, SettingKind kind, string defaultText, string meaning)
    {
        Property = property;
        ConfigPath = configPath;
        Kind = kind;
        DefaultText = defaultText;
        Meaning = meaning;
    }

    /// <summary>The MSBuild property, e.g. NanoT5LearningRate.</summary>
    public string Property { get; }

    /// <summary>Dotted C# path in ExperimentConfig (Optim.BaseLr), or null for SDK-only properties.</summary>
    public string? ConfigPath { get; }

    public SettingKind Kind { get; }

    /// <summary>The default as the README writes it; empty means unset (null in the config).</summary>
    public string DefaultText { get; }

    /// <summary>One sentence for the README.</summary>
    public string Meaning { get; }

    /// <summary>nanoT5's task/ft.yaml value, used when the run fine-tunes or predicts and the property is unset.</summary>
    public string? FinetuneDefault { get; init; }

    public IReadOnlyList<Choice> Choices { get; init; } = [];

    public double? Minimum { get; init; }

    public bool MinimumExclusive { get; init; }

    public double? Maximum { get; init; }

    public bool MaximumExclusive { get; init; }

    /// <summary>For paths: what a missing file or folder is (null: not checked).</summary>
    public DiagnosticDescriptor? MissingPath { get; init; }

    /// <summary>For paths: builtin:NAME values accepted instead of a path.</summary>
    public IReadOnlyList<string> Builtins { get; init; } = [];

    /// <summary>Set by Sdk.targets (e.g. NanoT5Name from the project name) rather than left to ExperimentConfig.</summary>
    public bool DefaultFromSdk { get; init; }

    /// <summary>"an integer >= 1", "a number in (0, 1)", "one of: a, b": the allowed values in words.</summary>
    public string Allowed => Kind switch
    {
        SettingKind.Integer => "an integer" + RangeText(),
        SettingKind.Number => "a number" + RangeText(),
        SettingKind.Boolean => "true or false",
        SettingKind.OneOf => "one of: " + string.Join(", ", Choices.Select(c => c.Value)),
        SettingKind.Device => "cpu, cuda or cuda:N",
        SettingKind.FolderName => "a name usable as a folder name (no / or \\, not . or ..)",
        SettingKind.Path => Builtins.Count == 0 ? "a path" : "a path or " + string.Join(", ", Builtins),
        SettingKind.Sources => "files, globs, http(s) URLs or " + string.Join(", ", Builtins) + ", separated by ;",
        SettingKind.Url => "an absolute http:// or https:// URL",
        SettingKind.Tags => "key=value pairs separated by ;",
        SettingKind.VariableName => "an environment variable name (letters, digits and _, not starting with a digit)",
        _ => "text",
    };

    public bool InRange(double value) =>
        (Minimum is not double min || (MinimumExclusive ? value > min : value >= min)) &&
        (Maximum is not double max || (MaximumExclusive ? value < max : value <= max));

    public override string ToString() => Property;

    private string RangeText()
    {
        string Number(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return (Minimum, Maximum) switch
        {
            (double min, double max) => $" in {(MinimumExclusive ? "(" : "[")}{Number(min)}, {Number(max)}{(MaximumExclusive ? ")" : "]")}",
            (double min, null) => $" {(MinimumExclusive ? ">" : ">=")} {Number(min)}",
            (null, double max) => $" {(MaximumExclusive ? "<" : "<=")} {Number(max)}",
            _ => string.Empty,
        };
    }
}
