// The inputs of `predict --input`: a text file with one input per line, a JSONL file ({"input": "..."} per line,
// the shape SNI-style tools write) or standard input ("-"), read to the end before the model loads.
using System.Text.Json;

namespace NanoT5.Finetune;

/// <summary>Reads the free-text inputs of a prediction.</summary>
public static class TextPromptInputs
{
    /// <summary>The name that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>
    /// The inputs in <paramref name="source"/> (a file, or <see cref="StandardInput"/> for <paramref name="stdin"/>), in
    /// order. A file ending in .jsonl holds one JSON object per line with a string "input"; any other source holds one
    /// input per line. Blank lines are skipped in both (so a trailing newline adds nothing).
    /// </summary>
    public static IReadOnlyList<string> Read(string source, TextReader stdin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(stdin);
        bool json = source.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
        string name = source == StandardInput ? "standard input" : Path.GetFullPath(source);
        if (source != StandardInput && !File.Exists(source))
        {
            throw new FileNotFoundException($"predict --input: {name} does not exist (give a text file with one input per line, a .jsonl file with an \"input\" per line, or - for standard input).", name);
        }

        using TextReader reader = source == StandardInput ? TextReader.Null : new StreamReader(source);
        TextReader lines = source == StandardInput ? stdin : reader;
        var inputs = new List<string>();
        int number = 0;
        while (lines.ReadLine() is string line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            inputs.Add(json ? JsonInput(line, name, number) : line);
        }

        return inputs.Count > 0 ? inputs : throw new InvalidDataException($"predict --input: {name} holds no input (one per line{(json ? ", as {\"input\": \"...\"}" : string.Empty)}).");
    }

    private static string JsonInput(string line, string name, int number)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("input", out JsonElement input) && input.ValueKind == JsonValueKind.String
                ? input.GetString()!
                : throw new InvalidDataException($"{name}, line {number}: expected an object with a string \"input\", e.g. {{\"input\": \"translate English to German: Hello\"}}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}, line {number}: not JSON ({e.Message}); a .jsonl file holds one {{\"input\": \"...\"}} object per line.", e);
        }
    }
}
