// Runtime-side checks of an ExperimentConfig that arrives as JSON or from code: the SDK's own checks, from the same
// source (SettingTable's kinds and bounds, SettingRules' rules across settings), naming config paths where the SDK
// names properties, plus what only a config can get wrong (an empty name or run folder).
using System.Globalization;
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>
/// One problem: the snake_case path of the setting, what is wrong, and the .t5proj property that sets it (what the
/// user wrote, when the config came from an experiment; null for config-only fields).
/// </summary>
public sealed record ConfigProblem(string Setting, string Message, string? Property = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        if (Message.StartsWith(Setting + " ", StringComparison.Ordinal))
        {
            return Property is null ? Message : $"{Message} (.t5proj: {Property})";
        }

        return Property is null ? $"{Setting}: {Message}" : $"{Setting} ({Property}): {Message}";
    }
}

/// <summary>Validates an <see cref="ExperimentConfig"/>.</summary>
public static class ExperimentConfigValidation
{
    /// <summary>Every problem found (empty when the config can run).</summary>
    public static IReadOnlyList<ConfigProblem> Problems(ExperimentConfig config)
    {
        var problems = new List<ConfigProblem>();
        if (string.IsNullOrWhiteSpace(config.Name))
        {
            problems.Add(new ConfigProblem("name", "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(config.RunDirectory))
        {
            problems.Add(new ConfigProblem("run_directory", "must not be empty"));
        }

        var values = new ConfigSettingValues(config);
        foreach (Setting setting in SettingTable.All.Where(s => s.ConfigPath is not null))
        {
            object? value = values.Read(setting);
            if (HoldsNul(value))
            {
                // .NET would fail later with "Null character in path", naming nothing.
                problems.Add(new ConfigProblem(ConfigSettingValues.Key(setting), "contains a NUL character (U+0000), which no path, name or URL can hold"));
            }
            else if (!IsAllowed(setting, value))
            {
                problems.Add(new ConfigProblem(ConfigSettingValues.Key(setting), $"must be {setting.Allowed} (got {Show(value)})", setting.Property));
            }
        }

        problems.AddRange(SettingRules.Errors(values, ConfigSettingValues.Key).Select(f => new ConfigProblem(ConfigSettingValues.Key(f.Settings[0]), f.Message, f.Settings[0].Property)));
        return problems;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> listing every problem, prefixed by <paramref name="source"/>.</summary>
    public static void ThrowIfInvalid(ExperimentConfig config, string source)
    {
        IReadOnlyList<ConfigProblem> problems = Problems(config);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source}: invalid experiment config:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    // The SDK's per-property checks (SettingParser) on a typed value; an enum only needs to be one of its names
    // (JSON cannot make another, code can by a cast).
    private static bool IsAllowed(Setting setting, object? value) => value switch
    {
        Enum e => Enum.IsDefined(e.GetType(), e),
        int i => setting.InRange(i),
        double d => double.IsFinite(d) && setting.InRange(d),
        string text when !string.IsNullOrWhiteSpace(text) => setting.Kind switch
        {
            SettingKind.OneOf => setting.Choices.Any(c => string.Equals(c.Value, text.Trim(), StringComparison.OrdinalIgnoreCase)),
            SettingKind.Device => SettingRules.IsDevice(text),
            SettingKind.Url => SettingRules.IsHttpUrl(text),
            SettingKind.VariableName => SettingRules.IsVariableName(text),
            SettingKind.FolderName => SettingRules.IsFolderName(text.Trim()),
            _ => true,
        },
        string when setting.Kind is SettingKind.Device or SettingKind.VariableName or SettingKind.OneOf => false,
        _ => true,
    };

    private static bool HoldsNul(object? value) => value switch
    {
        string text => text.Contains('\0', StringComparison.Ordinal),
        IEnumerable<string> texts => texts.Any(HoldsNul),
        IEnumerable<KeyValuePair<string, string>> pairs => pairs.Any(p => HoldsNul(p.Key) || HoldsNul(p.Value)),
        _ => false,
    };

    private static string Show(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => $"'{s}'",
        _ => $"{value}",
    };
}
