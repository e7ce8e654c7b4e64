// One JSON style for the files tracking writes (summary.json, params.json, tracking/outbox.json).
using System.Text.Json;
using System.Text.Json.Serialization;
using NanoT5.IO;

namespace NanoT5.Tracking.Local;

/// <summary>Serializer options and atomic read/write helpers for tracking's JSON files.</summary>
public static class TrackingJson
{
    /// <summary>snake_case, indented, NaN and infinities as strings (a diverged loss is a value worth keeping).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically.</summary>
    public static void Save<T>(string path, T value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");

    /// <summary>The value in <paramref name="path"/>, or null when the file is absent or unreadable as <typeparamref name="T"/>.</summary>
    public static T? TryLoad<T>(string path)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
