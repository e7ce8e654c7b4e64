using NanoT5.Data.Sources;

namespace NanoT5.Tests.Data;

public sealed class SourceResolverTests
{
    [Fact]
    public void Resolve_GlobInTheFileName_MatchesInOrdinalOrderAndDetectsFormats()
    {
        using var folder = TestPaths.NewTempFolder();
        foreach (string name in new[] { "c4-train.00001-of-01024.json.gz", "c4-train.00000-of-01024.json.gz", "c4-validation.00000-of-00008.json.gz" })
        {
            File.WriteAllText(folder.File(name), string.Empty);
        }

        IReadOnlyList<Shard> shards = SourceResolver.Resolve([folder.File("c4-train.*.json.gz")], DataSplit.Train, "data.train_sources");

        Assert.Equal(["c4-train.00000-of-01024.json.gz", "c4-train.00001-of-01024.json.gz"], shards.Select(s => Path.GetFileName(s.Location)));
        Assert.All(shards, s => Assert.Equal(ShardFormat.JsonLines, s.Format));
        Assert.All(shards, s => Assert.True(s.IsGzip));
    }

    [Fact]
    public void Resolve_GlobMatchingNothing_FailsBeforeTrainingNamingTheSettingAndPattern()
    {
        using var folder = TestPaths.NewTempFolder();

        var e = Assert.Throws<FileNotFoundException>(() => SourceResolver.Resolve([folder.File("c4-train.*.json.gz")], DataSplit.Train, "data.train_sources"));

        Assert.Equal($"data.train_sources: '{folder.File("c4-train.*.json.gz")}' matches no files", e.Message);
    }

    [Fact]
    public void Resolve_MissingFile_FailsNamingIt()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SourceResolver.Resolve(["/nonexistent/corpus.jsonl"], DataSplit.Train, "data.train_sources"));

        Assert.Equal("data.train_sources: data source '/nonexistent/corpus.jsonl' not found (/nonexistent/corpus.jsonl)", e.Message);
    }

    [Fact]
    public void Resolve_Folder_TakesItsDataFilesRecursively_AndAFolderWithoutThemFails()
    {
        using var folder = TestPaths.NewTempFolder();
        Directory.CreateDirectory(folder.File("sub"));
        File.WriteAllText(folder.File("b.txt"), "x");
        File.WriteAllText(folder.File("sub/a.parquet"), "x");
        File.WriteAllText(folder.File("notes.md"), "x");
        using var empty = TestPaths.NewTempFolder();

        IReadOnlyList<Shard> shards = SourceResolver.Resolve([folder.Path], DataSplit.Train, "data.train_sources");
        var e = Assert.Throws<FileNotFoundException>(() => SourceResolver.Resolve([empty.Path], DataSplit.Train, "data.train_sources"));

        Assert.Equal([(folder.File("b.txt"), ShardFormat.Text), (folder.File("sub/a.parquet"), ShardFormat.Parquet)], shards.Select(s => (s.Location, s.Format)));
        Assert.Contains("holds no data files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UrlsAndUnknownEndings()
    {
        IReadOnlyList<Shard> shards = SourceResolver.Resolve(["https://example.org/c4/en/c4-train.00000-of-01024.json.gz?download=true"], DataSplit.Train, "data.train_sources");
        var e = Assert.Throws<ArgumentException>(() => SourceResolver.Resolve(["https://example.org/data.csv"], DataSplit.Train, "data.train_sources"));

        Assert.Equal(ShardFormat.JsonLines, Assert.Single(shards).Format);
        Assert.True(shards[0].IsUrl && shards[0].IsGzip);
        Assert.Contains("cannot tell the format", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationSources_BuiltInTrainingCorpus_BringsItsOwnSplit()
    {
        Assert.Equal(["builtin:dotnet-docs"], SourceResolver.ValidationSources(["builtin:dotnet-docs"], []));
        Assert.Empty(SourceResolver.ValidationSources(["/data/train.jsonl"], []));
        Assert.Equal(["/data/val.jsonl"], SourceResolver.ValidationSources(["builtin:dotnet-docs"], ["/data/val.jsonl"]));
    }
}
