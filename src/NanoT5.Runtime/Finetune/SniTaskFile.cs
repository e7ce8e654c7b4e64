// Parses one natural-instructions task file (tasks/<name>.json) as nanoT5 reads it: with Python's json rules
// (PythonJson: NaN/Infinity literals, the last of duplicate keys), looking only at the fields the pipeline uses.
// Task-level fields (Definition, examples, Categories, the Instances list itself) must be right or the file is
// rejected; a malformed instance is reported with its index and field and skipped, or rejected when asked to be strict.
using System.Text.Json;

namespace NanoT5.Finetune;

/// <summary>Reads task files of the natural-instructions layout.</summary>
public static class SniTaskFile
{
    /// <summary>
    /// Reads <paramref name="path"/> as task <paramref name="name"/>, keeping the valid instances among the first
    /// <paramref name="firstInstances"/> (all when null) in file order. Each skipped instance adds a line to
    /// <paramref name="problems"/>; with <paramref name="strict"/> the first one throws instead. A key the file holds
    /// twice in one object adds a line to <paramref name="warnings"/> (the last value is used, as in Python).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not JSON, a task-level field is missing or malformed, or (strict) an instance is.</exception>
    public static SniTask Read(string path, string name, int? firstInstances, bool strict, ICollection<string> problems, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(warnings);
        var duplicates = new List<string>();
        using JsonDocument document = Parse(path, duplicates);
        if (duplicates.Count > 0)
        {
            string shown = string.Join(", ", duplicates.Take(5)) + (duplicates.Count > 5 ? $" and {duplicates.Count - 5} more" : string.Empty);
            warnings.Add($"{path}: {duplicates.Count} duplicate key(s), the last value of each is used (as Python's json does): {shown}");
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad(path, $"the file must hold a JSON object (found {Kind(root)})");
        }

        string definition = ReadDefinition(path, root);
        IReadOnlyList<SniExample> positive = ReadExamples(path, root, "Positive Examples", required: true);
        IReadOnlyList<SniExample> negative = ReadExamples(path, root, "Negative Examples", required: false);
        IReadOnlyList<string> categories = ReadCategories(path, root);
        if (!root.TryGetProperty("Instances", out JsonElement instances) || instances.ValueKind != JsonValueKind.Array)
        {
            throw Bad(path, "field \"Instances\" must be a list of instances");
        }

        var kept = new List<SniInstance>();
        int index = 0;
        foreach (JsonElement element in instances.EnumerateArray())
        {
            if (firstInstances is int limit && index >= limit)
            {
                break;
            }

            string? problem = ReadInstance(element, out SniInstance? instance);
            if (problem is null)
            {
                kept.Add(instance!);
            }
            else
            {
                string message = $"{path}: Instances[{index}]{IdOf(element)}: {problem}";
                if (strict)
                {
                    throw new InvalidDataException(message + " (strict_data is on; turn it off to skip malformed instances)");
                }

                problems.Add(message);
            }

            index++;
        }

        return new SniTask(name, definition, positive, negative, categories, kept);
    }

    private static JsonDocument Parse(string path, List<string> duplicates)
    {
        try
        {
            return PythonJson.Parse(File.ReadAllBytes(path), duplicates);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}");
        }
    }

    private static string ReadDefinition(string path, JsonElement root)
    {
        // nanoT5's collator uses the string, or the first string of a list.
        if (root.TryGetProperty("Definition", out JsonElement definition))
        {
            if (Text(definition) is string single)
            {
                return single;
            }

            if (definition.ValueKind == JsonValueKind.Array && definition.GetArrayLength() > 0 && Text(definition[0]) is string first)
            {
                return first;
            }
        }

        throw Bad(path, "field \"Definition\" must be a string or a non-empty list of strings");
    }

    private static List<SniExample> ReadExamples(string path, JsonElement root, string field, bool required)
    {
        var examples = new List<SniExample>();
        if (!root.TryGetProperty(field, out JsonElement list))
        {
            return required ? throw Bad(path, $"field \"{field}\" is missing (use [] for a task without examples)") : examples;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Bad(path, $"field \"{field}\" must be a list (found {Kind(list)})");
        }

        int index = 0;
        foreach (JsonElement example in list.EnumerateArray())
        {
            string where = $"\"{field}\"[{index}]";
            if (example.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, $"{where} must be an object with input and output");
            }

            string input = StringField(example, "input") ?? throw Bad(path, $"{where}.input must be a string");
            string output = StringField(example, "output") ?? throw Bad(path, $"{where}.output must be a string");
            string? explanation = StringField(example, "explanation");
            examples.Add(new SniExample(input, output, explanation));
            index++;
        }

        return examples;
    }

    private static List<string> ReadCategories(string path, JsonElement root)
    {
        var categories = new List<string>();
        if (!root.TryGetProperty("Categories", out JsonElement list))
        {
            return categories;
        }

        if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(c => Text(c) is null))
        {
            throw Bad(path, "field \"Categories\" must be a list of strings");
        }

        categories.AddRange(list.EnumerateArray().Select(c => Text(c)!));
        return categories;
    }

    // Null when the instance is usable; otherwise what is wrong with it.
    private static string? ReadInstance(JsonElement element, out SniInstance? instance)
    {
        instance = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"must be an object with id, input and output (found {Kind(element)})";
        }

        string? id = StringField(element, "id");
        string? input = StringField(element, "input");
        if (id is null)
        {
            return "field \"id\" must be a string";
        }

        if (input is null)
        {
            return "field \"input\" must be a string";
        }

        if (!element.TryGetProperty("output", out JsonElement output) || output.ValueKind != JsonValueKind.Array
            || output.GetArrayLength() == 0 || output.EnumerateArray().Any(o => Text(o) is null))
        {
            // The collator draws one reference with random.choice: it needs a non-empty list of strings.
            return "field \"output\" must be a non-empty list of strings";
        }

        instance = new SniInstance(id, input, output.EnumerateArray().Select(o => Text(o)!).ToArray());
        return null;
    }

    // Null for a missing or non-string field, and for a string with an unpaired surrogate escape (\ud800), which
    // Python keeps but no UTF-8 tokenizer input can hold.
    private static string? StringField(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? Text(value) : null;

    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string IdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && StringField(element, "id") is string id ? $" (id \"{id}\")" : string.Empty;

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static InvalidDataException Bad(string path, string message) => new($"{path}: {message}");
}
