// The JSON form of ExperimentConfig: written into every run folder (config.resolved.json) and read by
// `--config`. Names are snake_case, enums are strings; errors name the file and the JSON path.
using System.Text.Json;
using System.Text.Json.Serialization;
using NanoT5.IO;

namespace NanoT5.Config;

/// <summary>Reads and writes <see cref="ExperimentConfig"/> as JSON.</summary>
public static class ExperimentConfigJson
{
    /// <summary>The serializer options used everywhere for experiment configs.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(new LowerCaseNamingPolicy(), allowIntegerValues: false) },
    };

    /// <summary>The JSON text of <paramref name="config"/>.</summary>
    public static string Serialize(ExperimentConfig config) => JsonSerializer.Serialize(config, Options) + "\n";

    /// <summary>Parses JSON text; <paramref name="source"/> names it in errors.</summary>
    public static ExperimentConfig Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentConfig>(json, Options)
                ?? throw new InvalidDataException($"{source}: the config is null.");
        }
        catch (JsonException e)
        {
            string where = string.IsNullOrEmpty(e.Path) ? string.Empty : $" at {e.Path}";
            throw new InvalidDataException($"{source}{where}: {e.Message}", e);
        }
    }

    /// <summary>Reads a config file.</summary>
    public static ExperimentConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such experiment config file.", path);
        }

        return Deserialize(File.ReadAllText(path), path);
    }

    /// <summary>Writes a config file atomically.</summary>
    public static void Save(ExperimentConfig config, string path) => AtomicFile.WriteAllText(path, Serialize(config));

    // Enum values are their names in lower case, as nanoT5 spells them: adamwscale, bf16, cosine.
    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}
