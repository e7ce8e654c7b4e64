// JSON as Python's json.loads reads it, the way nanoT5's ni_dataset.py reads every task file. Two differences from
// strict JSON matter for real natural-instructions files: the bare literals NaN, Infinity and -Infinity (real task
// files hold "URL": [NaN]), and duplicate keys (the last one wins). The literals are read as null,
// which the fields the pipeline uses reject as they reject any non-string; fields it does not use are never looked at.
using System.Text;
using System.Text.Json;

namespace NanoT5.Finetune;

/// <summary>Parses JSON with Python's json module's leniencies.</summary>
public static class PythonJson
{
    // Python's json nests as deep as its recursion limit (1,000) allows; System.Text.Json stops at 64 by default.
    private const int MaxDepth = 1000;

    private static readonly byte[] NaN = "NaN"u8.ToArray();
    private static readonly byte[] Infinity = "Infinity"u8.ToArray();
    private static readonly byte[] NegativeInfinity = "-Infinity"u8.ToArray();
    private static readonly byte[] Null = "null"u8.ToArray();

    /// <summary>
    /// Parses <paramref name="utf8"/>. Each key that an object holds more than once adds its JSON path to
    /// <paramref name="duplicateKeys"/>; the element's properties then resolve to the last value, as Python's dict does.
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON even by Python's rules.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, ICollection<string> duplicateKeys)
    {
        ArgumentNullException.ThrowIfNull(duplicateKeys);
        var document = JsonDocument.Parse(ReplaceNonFiniteLiterals(utf8), new JsonDocumentOptions { MaxDepth = MaxDepth });
        FindDuplicateKeys(document.RootElement, ["$"], duplicateKeys);
        return document;
    }

    /// <summary>The text with every NaN, Infinity and -Infinity outside strings turned into null (the same memory when there is none).</summary>
    internal static ReadOnlyMemory<byte> ReplaceNonFiniteLiterals(ReadOnlyMemory<byte> utf8)
    {
        ReadOnlySpan<byte> text = utf8.Span;
        List<(int Start, int Length)>? literals = null;
        int i = 0;
        while (i < text.Length)
        {
            // Outside strings only a quote or the first byte of a literal matters; inside, a quote or an escape.
            int next = text[i..].IndexOfAny("\"NI-"u8);
            if (next < 0)
            {
                break;
            }

            i += next;
            if (text[i] != (byte)'"')
            {
                int length = LiteralAt(text, i);
                if (length > 0)
                {
                    (literals ??= []).Add((i, length));
                }

                i += Math.Max(length, 1);
                continue;
            }

            i++;
            while (i < text.Length)
            {
                int special = text[i..].IndexOfAny((byte)'"', (byte)'\\');
                if (special < 0)
                {
                    i = text.Length;
                    break;
                }

                i += special;
                if (text[i] == (byte)'"')
                {
                    i++;
                    break;
                }

                i += 2;
            }
        }

        if (literals is null)
        {
            return utf8;
        }

        var replaced = new MemoryStream(text.Length + literals.Count);
        int copied = 0;
        foreach ((int start, int length) in literals)
        {
            replaced.Write(text[copied..start]);
            replaced.Write(Null);
            copied = start + length;
        }

        replaced.Write(text[copied..]);
        return replaced.ToArray();
    }

    // Length of the non-finite literal starting at i (0 when there is none): the literal must stand alone, as a token.
    private static int LiteralAt(ReadOnlySpan<byte> text, int i)
    {
        foreach (byte[] literal in (ReadOnlySpan<byte[]>)[NaN, Infinity, NegativeInfinity])
        {
            if (text[i..].StartsWith(literal) && (i + literal.Length == text.Length || !IsWordByte(text[i + literal.Length]))
                && (i == 0 || !IsWordByte(text[i - 1])))
            {
                return literal.Length;
            }
        }

        return 0;
    }

    private static bool IsWordByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'.' or (byte)'-' or (byte)'+' || b >= 0x80;

    // Segments of the path are kept apart and joined only for a duplicate: task files reach hundreds of megabytes.
    private static void FindDuplicateKeys(JsonElement element, List<string> path, ICollection<string> duplicates)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                path.Add(Member(property.Name));
                if (!seen.Add(property.Name))
                {
                    duplicates.Add(string.Concat(path));
                }

                FindDuplicateKeys(property.Value, path, duplicates);
                path.RemoveAt(path.Count - 1);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    path.Add($"[{index}]");
                    FindDuplicateKeys(item, path, duplicates);
                    path.RemoveAt(path.Count - 1);
                }

                index++;
            }
        }
    }

    // JSONPath's spelling: .name for a plain word, ["name"] otherwise.
    private static string Member(string name)
    {
        bool plain = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return plain ? "." + name : new StringBuilder("[\"").Append(name.Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"]").ToString();
    }
}
