// The settings of one build: every entry of the settings table with its value and where the value came from.
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;

namespace NanoT5.Sdk.Settings;

internal sealed class ExperimentSettings : ISettingValues
{
    private readonly Dictionary<Setting, SettingValue> values = [];
    private readonly List<Finding> problems = [];
    private bool evaluatesFinetuneData;

    private ExperimentSettings()
    {
    }

    /// <summary>Values that could not be read (NT1xxx).</summary>
    public IReadOnlyList<Finding> Problems => problems;

    /// <summary>The mode of the run being prepared (a launch target's, else NanoT5Mode's).</summary>
    public string Mode { get; private set; } = "pretrain";

    /// <summary>The mode is a launch target's (Pretrain, Finetune, ...) rather than NanoT5Mode's.</summary>
    public bool ModeFromTarget { get; private set; }

    /// <summary>
    /// Fine-tuning data, optimizer and schedule apply: finetune and predict, and evaluate of a project with
    /// fine-tuning data (the runtime then evaluates on its test split, in fine-tuning's batches).
    /// </summary>
    public bool UsesFinetuneData => SettingRules.UsesFinetuneData(Mode, evaluatesFinetuneData);

    public SettingValue this[Setting setting] => values[setting];

    /// <summary>Reads the non-empty <paramref name="properties"/>; <paramref name="modeOverride"/> is a launch target's mode.</summary>
    public static ExperimentSettings Read(IReadOnlyDictionary<string, string> properties, string? modeOverride)
    {
        var settings = new ExperimentSettings();
        var explicitValues = new Dictionary<Setting, (string Text, object? Value)>();
        foreach (KeyValuePair<string, string> p in properties)
        {
            Setting? setting = SettingTable.Find(p.Key);
            if (setting is null || string.IsNullOrWhiteSpace(p.Value))
            {
                continue;
            }

            object? value = SettingParser.Parse(setting, p.Value, out Finding? problem);
            if (problem is not null)
            {
                settings.problems.Add(problem);
            }

            explicitValues[setting] = (p.Value.Trim(), value);
        }

        if (!string.IsNullOrEmpty(modeOverride))
        {
            settings.Mode = modeOverride!.ToLowerInvariant();
            settings.ModeFromTarget = true;
            explicitValues[SettingTable.Mode] = (settings.Mode, SettingParser.Parse(SettingTable.Mode, settings.Mode, out _));
        }
        else if (explicitValues.TryGetValue(SettingTable.Mode, out var mode) && mode.Value is Choice m)
        {
            settings.Mode = m.Value;
        }

        settings.evaluatesFinetuneData = explicitValues.ContainsKey(SettingTable.FinetuneData);
        foreach (Setting setting in SettingTable.All)
        {
            if (explicitValues.TryGetValue(setting, out var set))
            {
                settings.values[setting] = new SettingValue(setting, set.Text, set.Value, ValueOrigin.Project);
            }
            else if (settings.UsesFinetuneData && setting.FinetuneDefault is string ft)
            {
                settings.values[setting] = new SettingValue(setting, ft, SettingParser.Parse(setting, ft, out _), ValueOrigin.FinetuneDefault);
            }
            else
            {
                object? value = setting.DefaultText.Length == 0 || setting.DefaultFromSdk ? null : SettingParser.Parse(setting, setting.DefaultText, out _);
                settings.values[setting] = new SettingValue(setting, setting.DefaultText, value, ValueOrigin.Default);
            }
        }

        return settings;
    }

    /// <summary>Set by the project (not a default).</summary>
    public bool IsSet(Setting setting) => values[setting].Origin == ValueOrigin.Project;

    /// <summary>The typed value, or null when unset without a default, or unreadable.</summary>
    public T? Get<T>(Setting setting)
        where T : struct => values[setting].Value is T v ? v : null;

    public int? WholeNumber(Setting setting) => Get<int>(setting);

    public double? Number(Setting setting) => Get<double>(setting);

    /// <summary>The choice's value (lower case, as the settings table writes it), or null.</summary>
    public string? Choice(Setting setting) => (values[setting].Value as Choice)?.Value;

    /// <summary>The text value, or null.</summary>
    public string? Text(Setting setting) => values[setting].Value as string;

    /// <summary>The list value (sources), or null.</summary>
    public IReadOnlyList<string>? List(Setting setting) => values[setting].Value as IReadOnlyList<string>;
}
