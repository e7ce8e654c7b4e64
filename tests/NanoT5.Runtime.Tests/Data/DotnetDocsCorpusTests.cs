using System.Xml;
using NanoT5.Data.BuiltIn;
using NanoT5.Data.Sources;

namespace NanoT5.Tests.Data;

public sealed class DotnetDocsCorpusTests
{
    [Fact]
    public void Files_FindTheSdksReferenceDocs()
    {
        IReadOnlyList<string> files = DotnetDocsCorpus.Files();

        Assert.Contains(files, f => f.EndsWith("System.Runtime.xml", StringComparison.Ordinal));
        Assert.Contains(files, f => DotnetDocsCorpus.SplitKey(f).StartsWith("Microsoft.NETCore.App.Ref/", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_TrainAndValidationSplits_PartitionTheSummariesDeterministically()
    {
        string file = DotnetDocsCorpus.Files().First(f => f.EndsWith("System.Collections.xml", StringComparison.Ordinal));
        List<SourceDocument> Read(ShardFormat format, DataSplit split) =>
            [.. DotnetDocsCorpus.Read(new Shard(file, format), split, 0, new DataProblems(new CollectingSink(), 1, 1))];

        List<SourceDocument> train = Read(ShardFormat.DotnetDocsTrain, DataSplit.Train);
        List<SourceDocument> validation = Read(ShardFormat.DotnetDocsValidation, DataSplit.Validation);

        Assert.Empty(train.Select(d => d.Record).Intersect(validation.Select(d => d.Record)));
        double share = validation.Count / (double)(train.Count + validation.Count);
        Assert.InRange(share, 0.02, 0.09);
        Assert.Equal(train, Read(ShardFormat.DotnetDocsTrain, DataSplit.Train));
        Assert.All(train, d => Assert.DoesNotContain("<", d.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void SummaryText_ReplacesReferencesByTheirNamesAndCollapsesWhitespace()
    {
        const string Xml = """
            <summary>Initializes a new instance of the <see cref="T:System.Collections.Generic.List`1" /> class
              for <paramref name="count" /> items, or <see langword="null" />; see <see cref="M:System.String.Format(System.String,System.Object)" />
              and <see cref="M:System.Text.StringBuilder.#ctor" />. Use <c>Add</c>.</summary>
            """;
        using XmlReader reader = XmlReader.Create(new StringReader(Xml));
        reader.MoveToContent();

        string text = DotnetDocsCorpus.SummaryText(reader);

        Assert.Equal("Initializes a new instance of the List class for count items, or null; see Format and StringBuilder. Use Add.", text);
    }
}
