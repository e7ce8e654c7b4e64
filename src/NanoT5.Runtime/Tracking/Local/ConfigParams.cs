// Flattens an ExperimentConfig into tracker parameters ("optim.base_lr" = "0.02"), the way trackers show
// hyperparameters; keys follow the config's JSON (snake_case) so they match config.resolved.json.
using System.Text.Json;
using NanoT5.Config;

namespace NanoT5.Tracking.Local;

/// <summary>The config as flat key/value parameters.</summary>
public static class ConfigParams
{
    /// <summary>One entry per leaf setting; lists are JSON arrays, nulls are omitted.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(ExperimentConfig config)
    {
        using JsonDocument document = JsonDocument.Parse(ExperimentConfigJson.Serialize(config));
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(document.RootElement, prefix: null, result);
        return result;
    }

    private static void Add(JsonElement element, string? prefix, SortedDictionary<string, string> result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    Add(property.Value, prefix is null ? property.Name : $"{prefix}.{property.Name}", result);
                }

                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                break;
            case JsonValueKind.String:
                result[prefix!] = element.GetString()!;
                break;
            default:
                result[prefix!] = element.GetRawText();
                break;
        }
    }
}
