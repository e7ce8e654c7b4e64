// An ExperimentConfig as the shared setting rules read it (SettingRules): each setting at its ConfigPath, named
// by its snake_case path (optim.batch_size), as the JSON config and the runtime's messages name it. The value is read
// by a switch generated from the settings table (Generated/ConfigSettingValues.g.cs), not by reflection.
using System.Text.Json;
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>The settings of one <see cref="ExperimentConfig"/>.</summary>
public sealed partial class ConfigSettingValues(ExperimentConfig config) : ISettingValues
{
    public string Mode => ExperimentConfig.ModeName(config.Mode);

    public bool UsesFinetuneData => config.UsesFinetuneData();

    /// <summary>The JSON path of a setting (optim.base_lr); an SDK-only setting's property.</summary>
    public static string Key(Setting setting) => setting.ConfigPath is null
        ? setting.Property
        : string.Join(".", setting.ConfigPath.Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));

    /// <summary>The value at the setting's ConfigPath (null for SDK-only settings).</summary>
    public object? Read(Setting setting) => ValueAt(config, setting);

    /// <summary>Has a value: not null, not blank, not an empty list.</summary>
    public bool IsSet(Setting setting) => Read(setting) switch
    {
        null => false,
        string s => !string.IsNullOrWhiteSpace(s),
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    public int? WholeNumber(Setting setting) => Read(setting) as int?;

    public double? Number(Setting setting) => Read(setting) as double?;

    public string? Choice(Setting setting) => Read(setting) switch
    {
        Enum e => e.ToString().ToLowerInvariant(),
        string s => s.Trim().ToLowerInvariant(),
        _ => null,
    };

    public string? Text(Setting setting) => Read(setting) as string;

    public IReadOnlyList<string>? List(Setting setting) => Read(setting) as IReadOnlyList<string>;
}
