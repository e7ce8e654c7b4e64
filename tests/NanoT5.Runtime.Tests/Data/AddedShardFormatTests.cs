// docs/architecture.md "Adding a data format", done: a format that does not ship, registered as the recipe says, is
// found by the resolver and read by the real reader and pipeline (gzip, bad-data counting, resume) with no other edit.
using System.Text;
using NanoT5.Config;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class AddedShardFormatTests : IDisposable
{
    private static readonly TabSeparatedTestFormat Format = new();
    private static readonly SentencePieceT5Tokenizer Tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
    private readonly TempFolder folder = TestPaths.NewTempFolder();

    // The recipe's registration, for a format outside the runtime (a shipped one is listed in ShardFormats instead);
    // a static constructor runs before the first test of the class, whichever that is.
    static AddedShardFormatTests() => ShardFormats.Register(Format);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Resolve_AFolder_GivesTheAddedFormatsFilesThatFormat()
    {
        WriteTsv("b.test.tsv", ["one document"]);
        WriteTsv("a.test.tsv.gz", ["another"], gzip: true);
        File.WriteAllText(folder.File("notes.md"), "not data");

        IReadOnlyList<Shard> shards = SourceResolver.Resolve([folder.Path], DataSplit.Train, "data.train_sources");

        Assert.Equal([(folder.File("a.test.tsv.gz"), Format.Name), (folder.File("b.test.tsv"), Format.Name)], shards.Select(s => (s.Location, s.Format)));
        Assert.Contains(".test.tsv.gz", SourceResolver.KnownEndings, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TheAddedFormat_CountsBadAndEmptyRecordsAndResumesAtARecord()
    {
        string path = folder.File("corpus.test.tsv.gz");
        File.WriteAllBytes(path, DataFiles.Gzip("0\tfirst document\n1\tsecond document\nbroken row\n3\t  \n4\tfifth document\n"));
        Shard shard = Assert.Single(SourceResolver.Resolve([path], DataSplit.Train, "data.train_sources"));
        var sink = new CollectingSink();
        var problems = new DataProblems(sink, 1.0, totalShards: 1);

        List<SourceDocument> all = [.. new ShardReader(new HttpSourceOptions()).Read(shard, 0, problems)];
        var resumedProblems = new DataProblems(new CollectingSink(), 1.0, totalShards: 1);
        List<SourceDocument> resumed = [.. new ShardReader(new HttpSourceOptions()).Read(shard, 3, resumedProblems)];

        Assert.Equal([(0L, "first document"), (1L, "second document"), (4L, "fifth document")], all.Select(d => (d.Record, d.Text)));
        Assert.Equal(new DataCounts(Records: 5, BadRecords: 1, EmptyRecords: 1, Shards: 1, BadShards: 0), problems.Counts);
        Assert.Equal([2L], sink.Warnings.Where(w => w.Record >= 0).Select(w => w.Record)); // and the end-of-shard summary
        Assert.Equal([(4L, "fifth document")], resumed.Select(d => (d.Record, d.Text)));
    }

    [Fact]
    public void Pipeline_OnTheAddedFormat_TokenizesItsDocumentsInOrderAndResumesExactly()
    {
        string[] documents = DataFiles.Documents(60, seed: 41);
        WriteTsv("corpus.test.tsv.gz", documents, gzip: true);
        var options = new PipelineOptions
        {
            Shards = SourceResolver.Resolve([folder.Path], DataSplit.Train, "data.train_sources"),
            BatchSize = 4,
            Data = new DataSettings { InputLength = 64, ShuffleBuffer = 1, DocumentsPerChunk = 1000, EosAfterDocument = true },
            ShuffleShards = false,
            Workers = 2,
            Seed = 5,
        };
        int[] ids = [.. documents.SelectMany(d => Tokenizer.Encode(d).Append(Tokenizer.EosId))];
        int[][] expected = [.. ids.Chunk(70).Where(row => row.Length == 70).Take(12)];

        int[][] rows;
        byte[] saved;
        using (var pipeline = new PretrainingPipeline(options, Tokenizer, new CollectingSink()))
        {
            rows = [.. Enumerable.Range(0, 2).SelectMany(_ => PretrainingPipelineTests.Unmask(pipeline.Next()))];
            saved = pipeline.State.ToBytes();
            Assert.Contains($"{Format.Name}:corpus.test.tsv.gz", pipeline.State.Setup, StringComparison.Ordinal);
        }

        using var resumed = new PretrainingPipeline(options, Tokenizer, new CollectingSink(), PipelineState.FromBytes(saved));
        int[][] after = [.. PretrainingPipelineTests.Unmask(resumed.Next())];

        Assert.Equal(expected, [.. rows, .. after]);
    }

    [Fact]
    public void Register_AnotherFormatWithATakenEndingOrName_IsRefused()
    {
        ShardFormats.Register(Format); // the same instance again: nothing happens

        Assert.Throws<ArgumentException>(() => ShardFormats.Register(new TabSeparatedTestFormat()));
        Assert.Throws<ArgumentException>(() => ShardFormats.Register(new TabSeparatedTestFormat("OtherName", [".jsonl"])));
        Assert.Same(Format, ShardFormats.ForFileName("x.TEST.tsv"));
        Assert.Equal("JsonLines", ShardFormats.ForFileName("c4.json.gz")!.Name.ToString());
    }

    private void WriteTsv(string name, string[] texts, bool gzip = false)
    {
        string content = string.Concat(texts.Select((t, i) => $"{i}\t{t}\n"));
        if (gzip)
        {
            File.WriteAllBytes(folder.File(name), DataFiles.Gzip(content));
        }
        else
        {
            File.WriteAllText(folder.File(name), content);
        }
    }
}

/// <summary>
/// A format that does not ship: tab-separated rows, an id and the document; a record is a row. Line-based like
/// JsonLinesFormat (ShardOpening.Lines), so files, URLs, gzip and resume skipping come from the reader.
/// </summary>
internal sealed class TabSeparatedTestFormat(string name = "TestTabSeparated", string[]? endings = null) : IShardFormat
{
    public ShardFormat Name { get; } = new(name);

    public IReadOnlyList<string> Endings { get; } = endings ?? [".test.tsv", ".test.tsv.gz"];

    public IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems)
    {
        foreach ((long record, ReadOnlyMemory<byte> line, bool tooLong) in ShardOpening.Lines(input.Shard, input.OpenStream, skipRecords, problems))
        {
            string[] fields = tooLong ? [] : Encoding.UTF8.GetString(line.Span).TrimEnd('\r').Split('\t');
            if (fields.Length != 2)
            {
                problems.BadRecord(input.Shard, record, "not two tab-separated fields");
            }
            else if (string.IsNullOrWhiteSpace(fields[1]))
            {
                problems.EmptyRecord();
            }
            else
            {
                problems.GoodRecord();
                yield return new SourceDocument(record, fields[1]);
            }
        }
    }
}
