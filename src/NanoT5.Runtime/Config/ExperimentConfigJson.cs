// The JSON form of ExperimentConfig: written into every run folder (config.resolved.json) and read by
// `--config`. Names are snake_case, enums are strings; errors name the file and the JSON path.
using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// Parses JSON text; <paramref name="source"/> names it in errors. Settings the text leaves out get the defaults of
    /// <paramref name="mode"/> (the verb's; null = the config's own mode): fine-tuning's where nanoT5's differ.
    /// </summary>
    public static ExperimentConfig Deserialize(string json, string source, RunMode? mode = null)
    {
        try
        {
            JsonNode? root = StrictJson.ParseNode(json, source);
            if (root is JsonObject settings)
            {
                ModeDefaults.Apply(settings, mode);
            }

            return root.Deserialize<ExperimentConfig>(Options)
                ?? throw new InvalidDataException($"{source}: the config is null.");
        }
        catch (JsonException e)
        {
            string where = string.IsNullOrEmpty(e.Path) ? string.Empty : $" at {e.Path}";
            throw new InvalidDataException($"{source}{where}: {e.Message}", e);
        }
    }

    /// <summary>Reads a config file (settings it leaves out get <paramref name="mode"/>'s defaults, as in <see cref="Deserialize"/>).</summary>
    public static ExperimentConfig Load(string path, RunMode? mode = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such experiment config file.", path);
        }

        Native.FileKind.ThrowIfNotRegularFile(path, "experiment config");
        return Deserialize(File.ReadAllText(path), path, mode);
    }

    /// <summary>Writes a config file atomically.</summary>
    public static void Save(ExperimentConfig config, string path) => AtomicFile.WriteAllText(path, Serialize(config));

    // Enum values are their names in lower case, as nanoT5 spells them: adamwscale, bf16, cosine.
    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}
