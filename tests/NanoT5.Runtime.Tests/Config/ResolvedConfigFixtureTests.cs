// A run folder's config.resolved.json stays readable across the change that generated the records from the settings
// table: the fixtures are what the version before wrote (tests/fixtures/config-resolved/README.md), and today's
// records read them and write back the same settings, key for key and value for value.
using System.Text.Json.Nodes;
using NanoT5.Config;

namespace NanoT5.Tests.Config;

public sealed class ResolvedConfigFixtureTests
{
    private static string FixturePath => Fixtures("default.config.resolved.json");

    [Fact]
    public void Deserialize_TheDefaultExperimentsResolvedConfigOfTheVersionBefore_WritesBackEveryOneOfItsSettings()
    {
        string committed = File.ReadAllText(FixturePath);

        string written = ExperimentConfigJson.Serialize(ExperimentConfigJson.Deserialize(committed, FixturePath));

        // A setting added since keeps its default and adds a key; every key of the version before keeps its value.
        Assert.Equal(Flatten(committed), Only(Flatten(written), Flatten(committed).Keys));
    }

    [Fact]
    public void Serialize_ANewConfig_HasTheKeysAndDefaultsOfTheVersionBefore()
    {
        // new-config.json: ExperimentConfigJson.Serialize(new ExperimentConfig()) of the version before; "" and null stay apart.
        SortedDictionary<string, string> before = Flatten(File.ReadAllText(Fixtures("new-config.json")));

        Assert.Equal(before, Only(Flatten(ExperimentConfigJson.Serialize(new ExperimentConfig())), before.Keys));
        Assert.Equal("\"\"", before["lib_torch"]);
        Assert.Equal("null", before["model.init_from"]);
    }

    [Fact]
    public void Flatten_NamesEveryLeafByItsPath()
    {
        Assert.Equal(
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["a.b"] = "1", ["a.c"] = "[\"x\"]", ["d"] = "{}", ["e"] = "null" },
            Flatten("{\"a\": {\"b\": 1, \"c\": [\"x\"]}, \"d\": {}, \"e\": null}"));
    }

    private static string Fixtures(string name) => TestPaths.Repo("tests", "fixtures", "config-resolved", name);

    private static SortedDictionary<string, string> Only(SortedDictionary<string, string> leaves, IEnumerable<string> keys) =>
        new(keys.ToDictionary(k => k, k => leaves.TryGetValue(k, out string? v) ? v : "(missing)"), StringComparer.Ordinal);

    /// <summary>The fixture read with today's records.</summary>
    internal static ExperimentConfig Fixture() => ExperimentConfigJson.Load(FixturePath);

    // Every leaf (a value, a list, an empty object such as no tags) by its dotted JSON path.
    private static SortedDictionary<string, string> Flatten(string json)
    {
        var leaves = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject o && o.Count > 0)
            {
                foreach ((string key, JsonNode? child) in o)
                {
                    Walk(child, path.Length == 0 ? key : $"{path}.{key}");
                }
            }
            else
            {
                leaves.Add(path, node?.ToJsonString() ?? "null");
            }
        }

        Walk(JsonNode.Parse(json), string.Empty);
        return leaves;
    }
}
