// `rouge <file.jsonl>`: mean RougeL (x100, SNI's metric: best over an instance's references) of a JSON-lines
// file of {"prediction": "...", "references": ["...", ...]} (or "reference": "..."); optional "task" and
// "category" fields add per-group lines.
using System.CommandLine;
using System.Text.Json;
using NanoT5.Evaluation;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>The rouge verb.</summary>
public static class RougeCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "JSON lines: {\"prediction\": \"...\", \"references\": [\"...\"]} or {\"prediction\": \"...\", \"reference\": \"...\"}." };
        var command = new Command("rouge", "Print the mean RougeL (x100, rouge_score with Porter stemming, best over references) of a JSON-lines file.") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!));
        return command;
    }

    private static int Run(FileInfo file)
    {
        RougeReport report = RougeReport.Compute(Read(file.FullName));
        Console.WriteLine($"rougeL: {RougeReport.Format(report.RougeL)}");
        Console.WriteLine($"count: {report.Count}");
        if (report.ByCategory.Count > 1 || !report.ByCategory.ContainsKey(string.Empty))
        {
            foreach ((string category, RougeGroupScore score) in report.ByCategory)
            {
                Console.WriteLine($"rougeL for category '{category}': {RougeReport.Format(score.RougeL)} ({score.Count})");
            }
        }

        if (report.ByTask.Count > 1 || !report.ByTask.ContainsKey(string.Empty))
        {
            foreach ((string task, RougeGroupScore score) in report.ByTask)
            {
                Console.WriteLine($"rougeL for task '{task}': {RougeReport.Format(score.RougeL)} ({score.Count})");
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>The instances of a JSON-lines file; blank lines are skipped, anything else malformed throws with its line number.</summary>
    internal static List<RougeInstance> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var instances = new List<RougeInstance>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                instances.Add(Parse(line));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not valid JSON: {e.Message}", e);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {e.Message}", e);
            }
        }

        return instances.Count > 0 ? instances : throw new InvalidDataException($"{path}: no prediction to score (the file has no non-blank line).");
    }

    private static RougeInstance Parse(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("each line must be a JSON object with \"prediction\" and \"references\"");
        }

        string prediction = OptionalString(root, "prediction") ?? throw new InvalidDataException("\"prediction\" must be a string");
        bool hasList = root.TryGetProperty("references", out JsonElement list);
        bool hasOne = root.TryGetProperty("reference", out JsonElement one);
        string[] references = (hasList, hasOne) switch
        {
            (true, true) => throw new InvalidDataException("give either \"references\" or \"reference\", not both"),
            (true, false) when list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                && list.EnumerateArray().All(r => r.ValueKind == JsonValueKind.String) => list.EnumerateArray().Select(r => r.GetString()!).ToArray(),
            (true, false) => throw new InvalidDataException("\"references\" must be a non-empty list of strings"),
            (false, true) when one.ValueKind == JsonValueKind.String => [one.GetString()!],
            (false, true) => throw new InvalidDataException("\"reference\" must be a string"),
            _ => throw new InvalidDataException("missing \"references\" (a list of strings) or \"reference\" (a string)"),
        };
        return new RougeInstance(prediction, references, OptionalString(root, "task") ?? string.Empty, OptionalString(root, "category") ?? string.Empty);
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
