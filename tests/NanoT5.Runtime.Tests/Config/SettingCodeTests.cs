// The typed records' setting properties and ConfigSettingValues' accessor are generated from the settings table
// (SettingCode): a new entry is all it takes for its property (type, default, JSON name, doc) and its accessor case.
using NanoT5.Config;
using NanoT5.Config.Settings;

namespace NanoT5.Tests.Config;

public sealed class SettingCodeTests
{
    private const string Table = "global::NanoT5.Config.Settings.SettingTable";

    private static readonly IReadOnlyList<(string Path, string Text)> Committed = SettingCode.Files(SettingTable.Entries);

    [Fact]
    public void Files_ANewTableEntry_YieldsItsPropertyAndItsAccessorCaseAndNothingElse()
    {
        var foo = new Setting("NanoT5Foo", "Data.Foo", SettingKind.Integer, "3", "Foos per <row> & per shard.");

        IReadOnlyList<(string Path, string Text)> files = SettingCode.Files([.. SettingTable.Entries, ("Foo", foo)]);

        string data = Text(Committed, "DataSettings.g.cs");
        Assert.Equal(
            data[..^"}\n".Length] + "\n" +
            "    /// <summary>Foos per &lt;row&gt; &amp; per shard.</summary>\n" +
            "    /// <remarks>.t5proj: <c>NanoT5Foo</c>; JSON: <c>data.foo</c>.</remarks>\n" +
            "    [global::System.Text.Json.Serialization.JsonPropertyName(\"foo\")]\n" +
            $"    public int Foo {{ get; init; }} = {Table}.Foo.IntegerDefault;\n" +
            "}\n",
            Text(files, "DataSettings.g.cs"));
        string accessor = Text(Committed, "ConfigSettingValues.g.cs");
        int fallback = accessor.IndexOf("        _ => throw", StringComparison.Ordinal);
        Assert.Equal(accessor[..fallback] + "        \"Data.Foo\" => config.Data.Foo,\n" + accessor[fallback..], Text(files, "ConfigSettingValues.g.cs"));
        Assert.Equal(
            Committed.Where(f => !f.Path.EndsWith("/DataSettings.g.cs", StringComparison.Ordinal) && !f.Path.EndsWith("/ConfigSettingValues.g.cs", StringComparison.Ordinal)),
            files.Where(f => !f.Path.EndsWith("/DataSettings.g.cs", StringComparison.Ordinal) && !f.Path.EndsWith("/ConfigSettingValues.g.cs", StringComparison.Ordinal)));
    }

    [Fact]
    public void SettingDocsFiles_HoldEveryGeneratedRecordAndTheAccessor()
    {
        // The committed files are SettingDocs' files, so SettingDocsTests fails on a stale record or accessor.
        Assert.All(Committed, f => Assert.Contains(f.Path, SettingDocs.Files.Select(d => d.Path)));
        Assert.Equal(
            ["CheckpointSettings", "ConfigSettingValues", "DataSettings", "EvaluationSettings", "ExperimentConfig", "ExportSettings", "FinetuneSettings", "LoggingSettings", "ModelSettings", "OptimizerSettings", "TokenizerSettings", "TrackerSettings"],
            Committed.Select(f => Path.GetFileName(f.Path)[..^".g.cs".Length]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(SettingKind.Integer, "3", "int", Table + ".X.IntegerDefault")]
    [InlineData(SettingKind.Number, "2e-2", "double", Table + ".X.NumberDefault")]
    [InlineData(SettingKind.Boolean, "true", "bool", Table + ".X.BooleanDefault")]
    [InlineData(SettingKind.Text, "default", "string", Table + ".X.RecordDefaultText")]
    [InlineData(SettingKind.Path, "", "string", Table + ".X.RecordDefaultText")]
    [InlineData(SettingKind.Sources, "", "global::System.Collections.Generic.IReadOnlyList<string>", "[]")]
    [InlineData(SettingKind.Tags, "", "global::System.Collections.Generic.IReadOnlyDictionary<string, string>", "new global::System.Collections.Generic.Dictionary<string, string>()")]
    public void PropertyTypeAndInitializer_FollowTheKind(SettingKind kind, string defaultText, string type, string initializer)
    {
        var setting = new Setting("NanoT5X", "Data.X", kind, defaultText, "x");

        Assert.Equal((type, initializer), (SettingCode.PropertyType(setting), SettingCode.Initializer("X", setting)));
    }

    [Fact]
    public void PropertyTypeAndInitializer_OfAnUnsetIsNullPath_AreANullableStringWithoutDefault()
    {
        Assert.Equal(("string?", (string?)null), (SettingCode.PropertyType(SettingTable.InitFrom), SettingCode.Initializer(nameof(SettingTable.InitFrom), SettingTable.InitFrom)));
    }

    [Fact]
    public void PropertyTypeAndInitializer_OfAChoice_AreItsEnumOrAString()
    {
        Assert.Equal(
            ("global::NanoT5.Model.AttentionKind", $"{Table}.Attention.EnumDefault<global::NanoT5.Model.AttentionKind>()"),
            (SettingCode.PropertyType(SettingTable.Attention), SettingCode.Initializer(nameof(SettingTable.Attention), SettingTable.Attention)));
        Assert.Equal(("string", $"{Table}.ModelPreset.RecordDefaultText"), (SettingCode.PropertyType(SettingTable.ModelPreset), SettingCode.Initializer(nameof(SettingTable.ModelPreset), SettingTable.ModelPreset)));
    }

    [Fact]
    public void RecordDefaultText_OfASettingTheSdkNames_IsTheRecordsOwnDefault()
    {
        Assert.Equal(("$(MSBuildProjectName)", "experiment"), (SettingTable.Name.DefaultText, SettingTable.Name.RecordDefaultText));
        Assert.Equal("experiment", new ExperimentConfig().Name);
        Assert.Equal("runs/experiment", new ExperimentConfig().RunDirectory);
    }

    [Theory]
    [InlineData("Data.X", SettingKind.Integer, "", true, null, "NanoT5X: UnsetIsNull is for text-valued settings without a default.")]
    [InlineData("Data.X", SettingKind.Path, "a", true, null, "NanoT5X: UnsetIsNull is for text-valued settings without a default.")]
    [InlineData("Data.X", SettingKind.Number, "1", false, "2", "NanoT5X: RecordDefault is for text-valued settings; a Number setting's record default is its DefaultText.")]
    [InlineData("Data.X", SettingKind.Integer, "three", false, null, "The input string 'three' was not in a correct format.")]
    [InlineData("Nowhere.X", SettingKind.Integer, "3", false, null, "NanoT5X: Nowhere.X is not Name or Section.Name with a section of SettingSection.All; add the section there.")]
    [InlineData("Data.X.Y", SettingKind.Integer, "3", false, null, "NanoT5X: Data.X.Y is not Name or Section.Name with a section of SettingSection.All; add the section there.")]
    public void Files_AnEntryTheRecordsCannotHold_IsRefusedNamingIt(string path, SettingKind kind, string defaultText, bool unsetIsNull, string? recordDefault, string message)
    {
        var setting = new Setting("NanoT5X", path, kind, defaultText, "x") { UnsetIsNull = unsetIsNull, RecordDefault = recordDefault };

        Exception e = Assert.ThrowsAny<Exception>(() => SettingCode.Files([.. SettingTable.Entries, ("X", setting)]));

        Assert.Equal(message, e.Message);
    }

    private static string Text(IReadOnlyList<(string Path, string Text)> files, string name) =>
        files.Single(f => f.Path == $"{SettingCode.Folder}/{name}").Text;
}
