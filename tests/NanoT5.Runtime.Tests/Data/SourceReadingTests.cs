using System.Text;
using NanoT5.Config;
using NanoT5.Data.Sources;

namespace NanoT5.Tests.Data;

public sealed class SourceReadingTests
{
    private static (List<SourceDocument> Documents, DataProblems Problems, CollectingSink Sink) ReadAll(
        Shard shard, long skip = 0, double maxBad = 1.0, TextSampleBy sampleBy = TextSampleBy.Line)
    {
        var sink = new CollectingSink();
        var problems = new DataProblems(sink, maxBad, totalShards: 1);
        var documents = new ShardReader(new HttpSourceOptions(), sampleBy).Read(shard, skip, problems).ToList();
        return (documents, problems, sink);
    }

    [Fact]
    public void JsonLinesGzip_C4Shard_ReadsTheTextOfEveryLine()
    {
        using var folder = TestPaths.NewTempFolder();
        string[] documents = DataFiles.Documents(50, seed: 1);
        string path = DataFiles.WriteGzipMembers(folder.File("c4-train.00000-of-01024.json.gz"), documents.Select(DataFiles.JsonLine).ToArray());

        var (read, problems, sink) = ReadAll(DataFiles.Shard(path));

        Assert.Equal(documents, read.Select(d => d.Text));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), read.Select(d => d.Record));
        Assert.Equal(new DataCounts(50, 0, 0, 1, 0), problems.Counts);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void JsonLinesGzip_CorruptMiddleMember_SkipsItWithAWarningAndReadsTheNextMember()
    {
        using var folder = TestPaths.NewTempFolder();
        string[] first = DataFiles.Documents(30, seed: 2).Select(DataFiles.JsonLine).ToArray();
        string[] middle = DataFiles.Documents(300, seed: 3).Select(DataFiles.JsonLine).ToArray();
        string[] last = DataFiles.Documents(30, seed: 4).Select(d => DataFiles.JsonLine("last " + d)).ToArray();
        byte[] a = DataFiles.Gzip(string.Join("\n", first) + "\n");
        byte[] b = DataFiles.Gzip(string.Join("\n", middle) + "\n");
        byte[] c = DataFiles.Gzip(string.Join("\n", last) + "\n");
        for (int i = b.Length / 2; i < b.Length / 2 + 64; i++)
        {
            b[i] ^= 0x5A;
        }

        string path = folder.File("corrupt.json.gz");
        File.WriteAllBytes(path, [.. a, .. b, .. c]);

        var (read, problems, sink) = ReadAll(DataFiles.Shard(path));

        Assert.Equal(first.Length, read.TakeWhile(d => !d.Text.StartsWith("last ", StringComparison.Ordinal)).Take(first.Length).Count());
        Assert.Equal(30, read.Count(d => d.Text.StartsWith("last ", StringComparison.Ordinal)));
        Assert.True(read.Count < 30 + 300 + 30);
        Assert.Contains(sink.Warnings, w => w.Shard == path && w.Message.Contains("corrupt gzip data at compressed byte", StringComparison.Ordinal));
        Assert.True(problems.Counts.BadRecords >= 1);
    }

    [Fact]
    public void JsonLines_InvalidJsonNonUtf8EmptyAndMissingText_AreSkippedCountedAndNamed()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("mixed.jsonl");
        using (var file = File.Create(path))
        {
            void Line(byte[] bytes) => file.Write([.. bytes, (byte)'\n']);
            Line(Encoding.UTF8.GetBytes(DataFiles.JsonLine("good one")));
            Line("{\"text\": \"unterminated"u8.ToArray());
            Line([.. "{\"text\": \"bad \u00e9 "u8, 0xC3, 0x28, .. "\"}"u8]);
            Line(Encoding.UTF8.GetBytes(DataFiles.JsonLine("   ")));
            Line("{\"url\": \"no text\"}"u8.ToArray());
            Line(Encoding.UTF8.GetBytes(DataFiles.JsonLine("good two")));
        }

        var (read, problems, sink) = ReadAll(DataFiles.Shard(path));

        Assert.Equal(["good one", "good two"], read.Select(d => d.Text));
        Assert.Equal([0L, 5L], read.Select(d => d.Record));
        Assert.Equal(new DataCounts(6, 3, 1, 1, 0), problems.Counts);
        Assert.Equal(
            ["record 1: invalid JSON", "record 2: not valid UTF-8", "record 4: no \"text\" string field", "record -1: 1 empty documents skipped"],
            sink.Warnings.Select(w => $"record {w.Record}: {w.Message.Split(" (", 2)[0]}"));
        Assert.All(sink.Warnings, w => Assert.Equal(path, w.Shard));
    }

    [Fact]
    public void JsonLines_SkipRecords_StartsAtThatLineWithoutCountingTheSkippedOnes()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = DataFiles.WriteJsonLines(folder.File("a.jsonl"), DataFiles.Documents(10, seed: 5));

        var (read, problems, _) = ReadAll(DataFiles.Shard(path), skip: 7);

        Assert.Equal([7L, 8L, 9L], read.Select(d => d.Record));
        Assert.Equal(3, problems.Counts.Records);
    }

    [Fact]
    public void Text_ByDefault_EveryNonBlankLineIsADocument_AsHfTextLoadersSampleByLine()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("corpus.txt");
        File.WriteAllText(path, "First line\r\nsecond line.\n\n\nThird.\n  \nFourth");

        var (read, problems, sink) = ReadAll(DataFiles.Shard(path));

        Assert.Equal(["First line", "second line.", "Third.", "Fourth"], read.Select(d => d.Text));
        Assert.Equal([0L, 1L, 2L, 3L], read.Select(d => d.Record));
        Assert.Equal(new DataCounts(4, 0, 0, 1, 0), problems.Counts);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Text_SampleByParagraph_BlankLinesSeparateDocuments_LinesOfADocumentAreJoined()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("corpus.txt");
        File.WriteAllText(path, "First paragraph\r\nstill first.\n\n\nSecond.\n  \nThird\n");

        var (read, _, _) = ReadAll(DataFiles.Shard(path), sampleBy: TextSampleBy.Paragraph);

        Assert.Equal(["First paragraph\nstill first.", "Second.", "Third"], read.Select(d => d.Text));
        Assert.Equal([0L, 1L, 2L], read.Select(d => d.Record));
    }

    [Fact]
    public void Text_SampleByDocument_TheWholeFileIsOneDocument_ParagraphBreaksKept()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("corpus.txt");
        File.WriteAllText(path, "\nFirst paragraph\nstill first.\n\nSecond.\n\n");

        var (read, _, _) = ReadAll(DataFiles.Shard(path), sampleBy: TextSampleBy.Document);

        SourceDocument document = Assert.Single(read);
        Assert.Equal("First paragraph\nstill first.\n\nSecond.", document.Text);
    }

    [Fact]
    public void Text_SampleByDocument_ALargeFileIsCutAtTheFirstLineEndPastTheCap()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("large.txt");
        string line = new('a', 999);
        int lines = 2 * PlainTextFormat.MaxDocumentChars / 1000;
        File.WriteAllLines(path, Enumerable.Repeat(line, lines));

        var (read, _, _) = ReadAll(DataFiles.Shard(path), sampleBy: TextSampleBy.Document);

        int firstLines = (PlainTextFormat.MaxDocumentChars / 1000) + 1;
        Assert.Equal([(firstLines * 1000) - 1, ((lines - firstLines) * 1000) - 1], read.Select(d => d.Text.Length));
        Assert.All(read.SelectMany(d => d.Text.Split('\n')), l => Assert.Equal(line, l));
    }

    [Theory]
    [InlineData(TextSampleBy.Line, new[] { "before", "after" })]
    [InlineData(TextSampleBy.Paragraph, new[] { "before", "after" })]
    [InlineData(TextSampleBy.Document, new string[0])]
    public void Text_LineOverTheLineLimit_IsCountedAsBadAndWarned(TextSampleBy sampleBy, string[] expected)
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("long-line.txt");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("before\n\n");
            writer.Write(new string('x', LineReader.MaxLineBytes + 10));
            writer.Write("\n\nafter\n");
        }

        var (read, problems, sink) = ReadAll(DataFiles.Shard(path), sampleBy: sampleBy);

        Assert.Equal(expected, read.Select(d => d.Text));
        Assert.Equal(1, problems.Counts.BadRecords);
        DataWarning warning = Assert.Single(sink.Warnings, w => w.Message.Contains("line longer than 16777216 bytes", StringComparison.Ordinal));
        Assert.Equal(path, warning.Shard);
    }

    [Fact]
    public void Text_SkipRecords_CountsOnlyTheDocumentsRead()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("corpus.txt");
        File.WriteAllText(path, "One.\n\nTwo.\nThree.\n");

        var (read, problems, _) = ReadAll(DataFiles.Shard(path), skip: 1);

        Assert.Equal(["Two.", "Three."], read.Select(d => d.Text));
        Assert.Equal([1L, 2L], read.Select(d => d.Record));
        Assert.Equal(2, problems.Counts.Records);
    }

    [Fact]
    public void TextGz_IsDecompressed()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("corpus.txt.gz");
        File.WriteAllBytes(path, DataFiles.Gzip("One.\nTwo.\n"));

        var (read, _, _) = ReadAll(DataFiles.Shard(path));

        Assert.Equal(["One.", "Two."], read.Select(d => d.Text));
    }

    [Fact]
    public void Parquet_RowGroups_AreReadInOrder_AndSkipCrossesRowGroups()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = DataFiles.WriteParquet(folder.File("c4-train.parquet"), ["a", "b", "c"], ["d", "", "f"]);

        var (all, problems, sinkAll) = ReadAll(DataFiles.Shard(path));
        Assert.Contains("1 empty documents skipped", Assert.Single(sinkAll.Warnings).Message, StringComparison.Ordinal);
        var (skipped, _, _) = ReadAll(DataFiles.Shard(path), skip: 2);

        Assert.Equal(["a", "b", "c", "d", "f"], all.Select(d => d.Text));
        Assert.Equal(1, problems.Counts.EmptyRecords);
        Assert.Equal([2L, 3L, 5L], skipped.Select(d => d.Record));
    }

    [Fact]
    public void Parquet_TruncatedFile_IsABadShardWithAWarningNotACrash()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = DataFiles.WriteParquet(folder.File("truncated.parquet"), DataFiles.Documents(100, seed: 6));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var sink = new CollectingSink();
        var problems = new DataProblems(sink, 0.5, totalShards: 3);

        List<SourceDocument> read = new ShardReader(new HttpSourceOptions()).Read(DataFiles.Shard(path), 0, problems).ToList();

        Assert.Empty(read);
        Assert.Equal(1, problems.Counts.BadShards);
        DataWarning warning = Assert.Single(sink.Warnings);
        Assert.Equal(path, warning.Shard);
        Assert.Contains("not a readable Parquet file", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadRecords_BeyondTheAllowedShare_StopWithAnErrorNamingTheShard()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("mostly-bad.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 1200).Select(i => i % 10 == 0 ? "not json" : DataFiles.JsonLine($"doc {i}")));

        var e = Assert.Throws<BadDataLimitException>(() => ReadAll(DataFiles.Shard(path), maxBad: 0.05));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("data.max_bad_data_fraction = 0.05", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadShards_BeyondTheAllowedShare_StopWithAnErrorNamingTheShard()
    {
        var problems = new DataProblems(new CollectingSink(), 0.01, totalShards: 3);
        var shard = new Shard("/data/c4-train.00001-of-01024.json.gz", ShardFormat.JsonLines);

        var e = Assert.Throws<BadDataLimitException>(() => problems.BadShard(shard, "cannot open: HTTP 500"));

        Assert.Contains("1 of 3 shards are unreadable", e.Message, StringComparison.Ordinal);
        Assert.Contains(shard.Location, e.Message, StringComparison.Ordinal);
    }
}
