// A JSON config that leaves a setting out gets the default of the mode it runs in: nanoT5's task/ft.yaml values
// (SettingTable's FinetuneDefault) when it fine-tunes, predicts, or evaluates on fine-tuning data; the records'
// own (pretraining) defaults otherwise. The SDK applies the same table at build time, so `finetune --config x.json`
// and `dotnet build -t:Finetune` give a run the same settings.
using System.Globalization;
using System.Text.Json.Nodes;
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Fills the settings a JSON config leaves out with its mode's defaults.</summary>
public static class ModeDefaults
{
    /// <summary>
    /// Adds the mode's default of every setting absent from <paramref name="root"/> whose default differs by mode.
    /// <paramref name="mode"/> is the verb's; null = the config's own mode (pretrain when it has none).
    /// </summary>
    public static void Apply(JsonObject root, RunMode? mode)
    {
        if (!UsesFinetuneData(mode ?? ModeOf(root), root))
        {
            return;
        }

        foreach (Setting setting in SettingTable.All.Where(s => s.ConfigPath is not null && s.FinetuneDefault is not null))
        {
            string[] keys = ConfigSettingValues.Key(setting).Split('.');
            JsonObject? parent = root;
            foreach (string key in keys[..^1])
            {
                if (!parent.ContainsKey(key))
                {
                    parent[key] = new JsonObject();
                }

                // A section that is not an object fails deserialization with its path; nothing to fill.
                parent = parent[key] as JsonObject;
                if (parent is null)
                {
                    break;
                }
            }

            if (parent is not null && !parent.ContainsKey(keys[^1]))
            {
                parent[keys[^1]] = Value(setting, setting.FinetuneDefault!);
            }
        }
    }

    // ExperimentConfig.UsesFinetuneData's rule, on the JSON before it is read.
    private static bool UsesFinetuneData(RunMode mode, JsonObject root) =>
        SettingRules.UsesFinetuneData(ExperimentConfig.ModeName(mode),
            root["finetune"] is JsonObject ft && ft["data_directory"] is JsonValue v && v.TryGetValue(out string? directory) && !string.IsNullOrWhiteSpace(directory));

    private static RunMode ModeOf(JsonObject root) =>
        root["mode"] is JsonValue v && v.TryGetValue(out string? text) && Enum.TryParse(text, ignoreCase: true, out RunMode mode)
            ? mode
            : SettingTable.Mode.EnumDefault<RunMode>();

    private static JsonNode Value(Setting setting, string text) => setting.Kind switch
    {
        SettingKind.Integer => JsonValue.Create(int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        SettingKind.Number => JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
        SettingKind.Boolean => JsonValue.Create(bool.Parse(text)),
        _ => JsonValue.Create(text),
    };
}
