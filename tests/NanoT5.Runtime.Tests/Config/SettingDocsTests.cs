// The SDK's and the docs' setting lists and the typed records' setting properties are generated from SettingTable:
// the committed files must be what the generator makes now, so a setting added or changed in the table cannot leave
// them behind.
using NanoT5.Config;

namespace NanoT5.Tests.Config;

public sealed class SettingDocsTests
{
    [Fact]
    public void GeneratedFiles_AreUpToDateWithTheSettingTable()
    {
        IReadOnlyList<(string Path, string Generated)> stale = SettingDocs.Stale(TestPaths.Repo());

        Assert.True(stale.Count == 0, $"generated from the settings table but edited or out of date: {string.Join(", ", stale.Select(s => s.Path))}; run `{SettingDocs.WriteCommand}`");
    }

    [Theory]
    [InlineData("Sdk/README.md", "| `NanoT5BatchSize` | `128` |", "| `NanoT5BatchSize` | `64` |")]
    [InlineData("docs/data.md", "| `input_length` | `512` |", "| `input_length` | `1024` |")]
    [InlineData("Sdk/NanoT5.Settings.targets", "<_NanoT5Setting Include=\"NanoT5Seed\" Value=\"$(NanoT5Seed)\" />\n", "")]
    [InlineData("src/NanoT5.Runtime/Config/Generated/DataSettings.g.cs", "NoiseDensity { get; init; } = global::NanoT5.Config.Settings.SettingTable.NoiseDensity.NumberDefault;", "NoiseDensity { get; init; } = 0.2;")]
    [InlineData("src/NanoT5.Runtime/Config/Generated/ConfigSettingValues.g.cs", "        \"Data.NoiseDensity\" => config.Data.NoiseDensity,\n", "")]
    public void Regenerate_AHandEditedDefault_IsPutBack(string path, string row, string edited)
    {
        string committed = File.ReadAllText(TestPaths.Repo(path));
        Assert.Contains(row, committed, StringComparison.Ordinal);

        string regenerated = SettingDocs.Regenerate(path, committed.Replace(row, edited, StringComparison.Ordinal));

        Assert.Equal(committed, regenerated);
    }

    [Fact]
    public void Targets_IsAProjectMSBuildCanLoad()
    {
        // An XML comment cannot hold "--": MSBuild refuses the whole SDK when it does.
        System.Xml.Linq.XDocument targets = System.Xml.Linq.XDocument.Parse(SettingDocs.Targets());

        Assert.Equal(NanoT5.Config.Settings.SettingTable.All.Count + 1, targets.Descendants("_NanoT5Setting").Count());
    }

    [Fact]
    public void Regenerate_WithoutItsMarkers_NamesTheFileAndTheMarkers()
    {
        var e = Assert.Throws<InvalidDataException>(() => SettingDocs.Regenerate("docs/tracking.md", "# no table here\n"));

        Assert.StartsWith("docs/tracking.md: the markers of the generated table 'tracker' are missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FinetuneDefaults_ListEverySettingWhoseDefaultDiffersByMode()
    {
        string table = SettingDocs.FinetuneDefaults();

        Assert.Contains("| `optim.base_lr` | `2e-2` | `5e-5` | `NanoT5LearningRate` |", table, StringComparison.Ordinal);
        Assert.Equal(2 + NanoT5.Config.Settings.SettingTable.All.Count(s => s.FinetuneDefault is not null), table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
