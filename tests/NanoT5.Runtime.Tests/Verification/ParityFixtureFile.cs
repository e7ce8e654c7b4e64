using System.Text.Json.Nodes;

namespace NanoT5.Tests.Verification;

/// <summary>expected.json of the committed parity fixture, for tests that need its raw lists.</summary>
internal sealed class ParityFixtureFile : IDisposable
{
    private ParityFixtureFile(JsonObject json) => Json = json;

    public JsonObject Json { get; }

    public IReadOnlyList<string> StateDictKeys => Json["state_dict_keys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();

    public static ParityFixtureFile Expected() =>
        new((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.ParityFixture, "expected.json")))!);

    public void Dispose()
    {
    }
}
