// A run folder's config.resolved.json stays readable across the change that generated the records from the settings
// table: the fixture is what the version before wrote for experiments/default (tests/fixtures/config-resolved/README.md),
// and the records read it and write back the same settings, key for key and value for value.
using System.Text.Json.Nodes;
using NanoT5.Config;

namespace NanoT5.Tests.Config;

public sealed class ResolvedConfigFixtureTests
{
    private static string FixturePath => TestPaths.Repo("tests", "fixtures", "config-resolved", "default.config.resolved.json");

    [Fact]
    public void Deserialize_TheDefaultExperimentsResolvedConfigOfTheVersionBefore_WritesBackTheSameSettings()
    {
        string committed = File.ReadAllText(FixturePath);

        string written = ExperimentConfigJson.Serialize(ExperimentConfigJson.Deserialize(committed, FixturePath));

        Assert.Equal(Flatten(committed), Flatten(written));
    }

    [Fact]
    public void Serialize_ANewConfig_HasTheKeysOfTheVersionBefore()
    {
        Assert.Equal(Flatten(File.ReadAllText(FixturePath)).Keys, Flatten(ExperimentConfigJson.Serialize(new ExperimentConfig())).Keys);
    }

    [Fact]
    public void Flatten_NamesEveryLeafByItsPath()
    {
        Assert.Equal(
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["a.b"] = "1", ["a.c"] = "[\"x\"]", ["d"] = "{}", ["e"] = "null" },
            Flatten("{\"a\": {\"b\": 1, \"c\": [\"x\"]}, \"d\": {}, \"e\": null}"));
    }

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
