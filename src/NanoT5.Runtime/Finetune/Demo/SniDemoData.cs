// Generates the built-in demo task set (builtin:demo) from the SDK's documentation sentences, in the real
// natural-instructions layout (splits/default/{train,test}_tasks.txt, tasks/<name>.json) so the ordinary reader
// reads it. Deterministic: a fixed seed, files in ordinal order, each sentence used by one task only.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NanoT5.Finetune.Demo;

/// <summary>The demo task set: generated on demand into a folder, reused while it is current.</summary>
public static class SniDemoData
{
    /// <summary>Bumped whenever the generated content changes, so old folders are regenerated.</summary>
    public const int GeneratorVersion = 2;

    /// <summary>
    /// Instances per training task: more than max_instances_per_task's default of 100, so a demo experiment can
    /// raise it and train on data a tiny model cannot just memorize (with 100 it learns the outputs, not the skills).
    /// </summary>
    public const int TrainInstancesPerTask = 1000;

    /// <summary>Instances per test task (the SNI evaluation reads at most the first 100).</summary>
    public const int TestInstancesPerTask = 100;

    private const int Seed = 2137;
    private const string ManifestName = "demo-manifest.json";

    /// <summary>
    /// Makes sure <paramref name="folder"/> holds the current demo set (generating it from the SDK's documentation
    /// if it is missing or was made by another generator version or SDK pack) and returns its full path.
    /// </summary>
    public static string Ensure(string folder)
    {
        string target = Path.GetFullPath(folder);
        (IReadOnlyList<string> files, string packVersion) = DocSentences.FindDocumentation();
        string manifest = Manifest(packVersion);
        string manifestPath = Path.Combine(target, ManifestName);
        if (File.Exists(manifestPath) && File.ReadAllText(manifestPath) == manifest)
        {
            return target;
        }

        IReadOnlyList<string> sentences = DocSentences.FirstSentences(files, s =>
            s.Count(SniDemoTasks.IsPlain) >= 16_000 && s.Count(SniDemoTasks.HasOneIdentifier) >= 2_000);
        string staging = $"{target}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Write(staging, sentences, $".NET reference documentation (Microsoft.NETCore.App.Ref {packVersion})");
            File.WriteAllText(Path.Combine(staging, ManifestName), manifest);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(manifestPath) && File.ReadAllText(manifestPath) == manifest)
        {
            // Another process generated the same set first.
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return target;
    }

    /// <summary>
    /// Writes the demo set made from <paramref name="sentences"/> into <paramref name="root"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">There are too few suitable sentences for every task.</exception>
    public static void Write(string root, IReadOnlyList<string> sentences, string source)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var random = new Random(Seed);
        var pools = new Dictionary<DemoPool, Queue<string>>
        {
            [DemoPool.Plain] = ShuffledQueue(sentences.Where(SniDemoTasks.IsPlain), random),
            [DemoPool.Identifier] = ShuffledQueue(sentences.Where(SniDemoTasks.HasOneIdentifier), random),
        };

        Directory.CreateDirectory(Path.Combine(root, "tasks"));
        foreach (DemoTask task in SniDemoTasks.All)
        {
            // Two positive examples, one negative, then the instances; each from a sentence no other task uses.
            var made = new List<DemoInstance>();
            Queue<string> pool = pools[task.Pool];
            int needed = (task.Test ? TestInstancesPerTask : TrainInstancesPerTask) + 3;
            while (made.Count < needed)
            {
                if (!pool.TryDequeue(out string? sentence))
                {
                    throw new InvalidDataException(
                        $"The documentation gave too few sentences for demo task {task.Name} ({made.Count} of {needed}).");
                }

                if (task.Make(sentence, random) is DemoInstance instance)
                {
                    made.Add(instance);
                }
            }

            File.WriteAllBytes(Path.Combine(root, "tasks", task.Name + ".json"), TaskJson(task, made, source));
        }

        string splits = Path.Combine(root, "splits", "default");
        Directory.CreateDirectory(splits);
        File.WriteAllLines(Path.Combine(splits, "train_tasks.txt"), SniDemoTasks.All.Where(t => !t.Test).Select(t => t.Name));
        File.WriteAllLines(Path.Combine(splits, "test_tasks.txt"), SniDemoTasks.All.Where(t => t.Test).Select(t => t.Name));
    }

    private static Queue<string> ShuffledQueue(IEnumerable<string> items, Random random)
    {
        string[] array = [.. items];
        SniReader.Shuffle(array, random);
        return new Queue<string>(array);
    }

    private static string Manifest(string packVersion) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["generator_version"] = GeneratorVersion, ["source_pack_version"] = packVersion });

    private static byte[] TaskJson(DemoTask task, List<DemoInstance> made, string source)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            Strings(json, "Contributors", ["NanoT5 demo generator"]);
            Strings(json, "Source", [source]);
            Strings(json, "Categories", [task.Category]);
            Strings(json, "Definition", [task.Definition]);
            Strings(json, "Input_language", ["English"]);
            Strings(json, "Output_language", ["English"]);
            Strings(json, "Instruction_language", ["English"]);
            json.WriteStartArray("Positive Examples");
            foreach (DemoInstance example in made.Take(2))
            {
                Example(json, example.Input, example.Outputs[0], "The output follows the definition.");
            }

            json.WriteEndArray();
            json.WriteStartArray("Negative Examples");
            Example(json, made[2].Input, made[2].Input, "The output repeats the input instead of following the definition.");
            json.WriteEndArray();
            json.WriteStartArray("Instances");
            foreach ((DemoInstance instance, int index) in made.Skip(3).Select((x, i) => (x, i)))
            {
                json.WriteStartObject();
                json.WriteString("id", $"{task.Name}-{index:D3}");
                json.WriteString("input", instance.Input);
                Strings(json, "output", instance.Outputs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Example(Utf8JsonWriter json, string input, string output, string explanation)
    {
        json.WriteStartObject();
        json.WriteString("input", input);
        json.WriteString("output", output);
        json.WriteString("explanation", explanation);
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
