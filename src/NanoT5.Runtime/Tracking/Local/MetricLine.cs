// The text form of one metric point in metrics.jsonl:
// {"name":"train/loss","step":100,"value":2.5316,"timestamp":1731000000123}
// Non-finite values are written as the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
using System.Buffers;
using System.Text.Json;

namespace NanoT5.Tracking.Local;

/// <summary>Encodes and decodes one line of metrics.jsonl.</summary>
public static class MetricLine
{
    /// <summary>The UTF-8 bytes of <paramref name="point"/>, newline included.</summary>
    public static byte[] Encode(MetricPoint point)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", point.Name);
            writer.WriteNumber("step", point.Step);
            if (double.IsFinite(point.Value))
            {
                writer.WriteNumber("value", point.Value);
            }
            else
            {
                writer.WriteString("value", double.IsNaN(point.Value) ? "NaN" : point.Value > 0 ? "Infinity" : "-Infinity");
            }

            writer.WriteNumber("timestamp", point.TimestampMs);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one line (without its newline); false when it is not a complete metric object.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> line, out MetricPoint point)
    {
        point = default;
        string? name = null;
        long? step = null, timestamp = null;
        double? value = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                reader.Read();
                switch (property)
                {
                    case "name": name = reader.GetString(); break;
                    case "step": step = reader.GetInt64(); break;
                    case "timestamp": timestamp = reader.GetInt64(); break;
                    case "value": value = reader.TokenType == JsonTokenType.String ? ParseNonFinite(reader.GetString()) : reader.GetDouble(); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || name is null || step is null || timestamp is null || value is null)
            {
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }

        point = new MetricPoint(name, step.Value, value.Value, timestamp.Value);
        return true;
    }

    private static double? ParseNonFinite(string? text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => null,
    };
}
