// Our JSON files (experiment configs, config.json, sharded-checkpoint indexes) are read strictly: System.Text.Json's
// JsonNode throws "An item with the same key has already been added" for a repeated top-level key (naming no file)
// and the serializer silently keeps the last of a repeated nested key; a number such as 1e400 reads as infinity and
// fails far from its file. One pass over the bytes refuses both, naming the file, the key and the line.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NanoT5.IO;

/// <summary>JSON parsing that refuses duplicate keys and non-finite numbers with the file, key and line.</summary>
public static class StrictJson
{
    /// <summary>Parses <paramref name="text"/> (read from <paramref name="source"/>); throws <see cref="InvalidDataException"/> naming it.</summary>
    public static JsonNode? ParseNode(string text, string source)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Check(utf8, source);
        return JsonNode.Parse(utf8);
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>, refusing a FIFO or device before opening it.</summary>
    public static JsonNode? ReadNode(string path, string what)
    {
        Native.FileKind.ThrowIfNotRegularFile(path, what);
        return ParseNode(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="source"/>, the key path and the line for a key
    /// that appears twice in one object, a number that is not finite, or text that is not JSON.
    /// </summary>
    public static void Check(ReadOnlySpan<byte> utf8, string source)
    {
        var reader = new Utf8JsonReader(utf8);
        var lines = new LineCounter();
        var frames = new Stack<Frame>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Push(new Frame(Child(frames, pendingKey), reader.TokenType == JsonTokenType.StartObject ? new Dictionary<string, int>(StringComparer.Ordinal) : null));
                        pendingKey = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        pendingKey = reader.GetString()!;
                        Frame frame = frames.Peek();
                        int line = lines.At(utf8, reader.TokenStartIndex);
                        if (frame.Keys!.TryGetValue(pendingKey, out int first))
                        {
                            throw new InvalidDataException(
                                $"{source} line {line}: key '{Join(frame.Path, pendingKey)}' appears twice (first at line {first}); each key of a JSON object must be given once.");
                        }

                        frame.Keys[pendingKey] = line;
                        break;
                    case JsonTokenType.Number:
                        if (!reader.TryGetDouble(out double value) || !double.IsFinite(value))
                        {
                            string raw = Encoding.UTF8.GetString(reader.ValueSpan);
                            throw new InvalidDataException(
                                $"{source} line {lines.At(utf8, reader.TokenStartIndex)}: '{Child(frames, pendingKey)}' is {raw}, which is not a finite number (it overflows a double).");
                        }

                        pendingKey = null;
                        break;
                    default:
                        pendingKey = null;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} line {e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }

    // The path of the value that follows: key for an object member, [] for an array element, $ for the root.
    private static string Child(Stack<Frame> frames, string? key) =>
        frames.Count == 0 ? "$" : Join(frames.Peek().Path, key ?? "[]");

    private static string Join(string parent, string key) => parent == "$" ? key : key == "[]" ? parent + key : parent + "." + key;

    private sealed record Frame(string Path, Dictionary<string, int>? Keys);

    // Lines counted incrementally: tokens come in order, so each byte is looked at once.
    private sealed class LineCounter
    {
        private long counted;
        private int line = 1;

        public int At(ReadOnlySpan<byte> utf8, long position)
        {
            for (; counted < position; counted++)
            {
                if (utf8[(int)counted] == (byte)'\n')
                {
                    line++;
                }
            }

            return line;
        }
    }
}
