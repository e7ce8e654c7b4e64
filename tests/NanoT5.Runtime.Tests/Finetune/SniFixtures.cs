// Hand-made tasks and natural-instructions folders for the fine-tuning tests.
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

internal static class SniFixtures
{
    public static SniTask Task(string definition = "Copy the first word", params SniExample[] positive) =>
        new("task001_copy", definition, positive, [], ["Text Copying"], [Instance("i1", "epsilon zeta", "epsilon")]);

    public static SniInstance Instance(string id, string input, params string[] outputs) => new(id, input, outputs);

    public static SniItem Item(SniTask task, string input = "epsilon zeta") => new(task, Instance("i1", input, "epsilon"));

    /// <summary>A task file as JSON; the definition and instances are raw JSON written as given.</summary>
    public static string TaskJson(string definitionJson, string instancesJson, string category = "Text Copying") => $$"""
        {
          "Contributors": ["tests"],
          "Categories": ["{{category}}"],
          "Definition": {{definitionJson}},
          "Positive Examples": [{"input": "a b", "output": "a", "explanation": "first word"}],
          "Negative Examples": [],
          "Instances": {{instancesJson}}
        }
        """;

    /// <summary>JSON list of <paramref name="count"/> good instances with ids prefix-0, prefix-1, ...</summary>
    public static string Instances(string prefix, int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"id": "{{prefix}}-{{i}}", "input": "in {{i}}", "output": ["out {{i}}", "alt {{i}}"]}""")) + "]";

    /// <summary>Writes a natural-instructions folder: splits/default lists and tasks/*.json.</summary>
    public static void WriteLayout(string root, IReadOnlyDictionary<string, string> train, IReadOnlyDictionary<string, string> test)
    {
        Directory.CreateDirectory(Path.Combine(root, "splits", "default"));
        Directory.CreateDirectory(Path.Combine(root, "tasks"));
        File.WriteAllLines(Path.Combine(root, "splits", "default", "train_tasks.txt"), train.Keys);
        File.WriteAllLines(Path.Combine(root, "splits", "default", "test_tasks.txt"), test.Keys);
        foreach ((string name, string json) in train.Concat(test))
        {
            File.WriteAllText(Path.Combine(root, "tasks", name + ".json"), json);
        }
    }
}
