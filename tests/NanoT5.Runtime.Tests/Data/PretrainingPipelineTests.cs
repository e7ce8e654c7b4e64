using NanoT5.Config;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;
using TorchSharp;

namespace NanoT5.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class PretrainingPipelineTests : IDisposable
{
    private static readonly SentencePieceT5Tokenizer Tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
    private readonly TempFolder folder = TestPaths.NewTempFolder();
    private readonly PipelineOptions options;

    public PretrainingPipelineTests()
    {
        Shard[] shards =
        [
            DataFiles.Shard(DataFiles.WriteJsonLines(folder.File("a.jsonl"), DataFiles.Documents(120, seed: 11))),
            DataFiles.Shard(DataFiles.WriteGzipMembers(folder.File("b.json.gz"), DataFiles.Documents(90, seed: 12).Select(DataFiles.JsonLine).ToArray())),
            DataFiles.Shard(DataFiles.WriteParquet(folder.File("c.parquet"), DataFiles.Documents(60, seed: 13), DataFiles.Documents(50, seed: 14))),
        ];
        options = new PipelineOptions
        {
            Shards = shards,
            BatchSize = 4,
            Data = new DataSettings { InputLength = 64, ShuffleBuffer = 40, DocumentsPerChunk = 9 },
            Workers = 3,
            Seed = 2137,
        };
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Next_GivesInt64BatchesOfTheSpanCorruptionLengths()
    {
        using var pipeline = new PretrainingPipeline(options, Tokenizer, new CollectingSink());

        using PretrainingBatch batch = pipeline.Next();

        Assert.Equal((70, 14), (pipeline.Lengths.TokensLength, pipeline.Lengths.TargetLength));
        Assert.Equal([4L, 64L], batch.InputIds.shape);
        Assert.Equal([4L, 14L], batch.Labels.shape);
        Assert.Equal(torch.ScalarType.Int64, batch.InputIds.dtype);
        Assert.Equal(Tokenizer.SentinelId(0), batch.Labels[0, 0].item<long>());
        Assert.Equal(1L, batch.InputIds[3, 63].item<long>());
    }

    [Fact]
    public void Batches_DoNotDependOnTheNumberOfWorkers()
    {
        long[][] one = Take(options with { Workers = 1 }, 30);
        long[][] three = Take(options with { Workers = 3 }, 30);

        Assert.Equal(one, three);
    }

    [Fact]
    public void State_RestoredIntoANewPipeline_ContinuesWithExactlyTheUninterruptedBatches()
    {
        // 40 batches of 4 rows through a 40-row shuffle buffer cross chunk and shard ends; the state is saved mid-stream.
        long[][] uninterrupted = Take(options, 40);

        byte[] saved;
        using (var first = new PretrainingPipeline(options, Tokenizer, new CollectingSink()))
        {
            for (int i = 0; i < 17; i++)
            {
                first.Next().Dispose();
            }

            saved = first.State.ToBytes();
        }

        using var resumed = new PretrainingPipeline(options, Tokenizer, new CollectingSink(), PipelineState.FromBytes(saved));
        long[][] after = Enumerable.Range(0, 23).Select(_ => Flatten(resumed.Next())).ToArray();

        Assert.Equal(uninterrupted[17..], after);
    }

    [Fact]
    public void State_FromAnotherSetup_IsRejectedSayingWhatDiffers()
    {
        PipelineState state;
        using (var pipeline = new PretrainingPipeline(options, Tokenizer, new CollectingSink()))
        {
            pipeline.Next().Dispose();
            state = pipeline.State;
        }

        var e = Assert.Throws<InvalidDataException>(() => new PretrainingPipeline(options with { Seed = 1 }, Tokenizer, new CollectingSink(), state));

        Assert.StartsWith("the checkpoint's data position belongs to another data setup: seed 2137 -> 1. ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_OfATextCorpusReadWithAnotherTextSampleBy_IsRejected()
    {
        string path = folder.File("corpus.txt");
        File.WriteAllLines(path, DataFiles.Documents(200, seed: 32));
        PipelineOptions paragraphs = options with { Shards = [DataFiles.Shard(path)], Data = options.Data with { TextSampleBy = TextSampleBy.Paragraph } };
        PipelineState state;
        using (var pipeline = new PretrainingPipeline(paragraphs, Tokenizer, new CollectingSink()))
        {
            pipeline.Next().Dispose();
            state = pipeline.State;
        }

        var e = Assert.Throws<InvalidDataException>(() => new PretrainingPipeline(paragraphs with { Data = paragraphs.Data with { TextSampleBy = TextSampleBy.Line } }, Tokenizer, new CollectingSink(), state));

        Assert.Contains("text_sample_by Paragraph -> Line", e.Message, StringComparison.Ordinal);
        using var withoutText = new PretrainingPipeline(options, Tokenizer, new CollectingSink());
        Assert.DoesNotContain("text_sample_by", withoutText.State.Setup, StringComparison.Ordinal); // fingerprints of other formats unchanged
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void State_WrittenByThePreviousVersion_ResumesWithExactlyTheUninterruptedBatches(bool text)
    {
        // The setups exactly as the previous version's SetupOf wrote them for these options (its word order; the
        // fingerprint was the hash of that string), so its checkpoints must still resume.
        const string Previous =
            "shards=3 [JsonLines:a.jsonl,JsonLines:b.json.gz,Parquet:c.parquet] tokenizer_count=1100 row_length=70 input_length=64 " +
            "noise_density=0.15 mean_noise_span_length=3 seed=2137 shuffle_buffer=40 shuffle_shards=True documents_per_chunk=9 eos_after_document=True";
        const string PreviousText =
            "shards=1 [Text:corpus.txt] tokenizer_count=1100 row_length=70 input_length=64 " +
            "noise_density=0.15 mean_noise_span_length=3 seed=2137 shuffle_buffer=40 shuffle_shards=True documents_per_chunk=9 eos_after_document=True text_sample_by=Line";
        string corpus = folder.File("corpus.txt");
        File.WriteAllLines(corpus, DataFiles.Documents(300, seed: 33));
        PipelineOptions options = text ? this.options with { Shards = [DataFiles.Shard(corpus)] } : this.options;
        long[][] uninterrupted = Take(options, 12);
        PipelineState state;
        using (var first = new PretrainingPipeline(options, Tokenizer, new CollectingSink()))
        {
            for (int i = 0; i < 5; i++)
            {
                first.Next().Dispose();
            }

            state = first.State;
        }

        string setup = text ? PreviousText : Previous;
        PipelineState written = PipelineState.FromBytes(new PipelineState
        {
            Fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(setup)))[..32],
            Setup = setup,
            Position = state.Position,
            RowsTaken = state.RowsTaken,
            CountsBefore = state.CountsBefore,
            RowsServed = state.RowsServed,
            ShuffleBuffer = state.ShuffleBuffer,
        }.ToBytes());

        using var resumed = new PretrainingPipeline(options, Tokenizer, new CollectingSink(), written);

        Assert.Equal(uninterrupted[5..], Enumerable.Range(0, 7).Select(_ => Flatten(resumed.Next())));
        var e = Assert.Throws<InvalidDataException>(() => new PretrainingPipeline(options with { Seed = 7 }, Tokenizer, new CollectingSink(), written));
        Assert.StartsWith("the checkpoint's data position belongs to another data setup: seed 2137 -> 7. ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_Bytes_RoundTrip()
    {
        using var pipeline = new PretrainingPipeline(options, Tokenizer, new CollectingSink());
        pipeline.Next().Dispose();
        PipelineState state = pipeline.State;

        PipelineState back = PipelineState.FromBytes(state.ToBytes());

        Assert.Equal((state.Position, state.RowsTaken, state.RowsServed, state.CountsBefore), (back.Position, back.RowsTaken, back.RowsServed, back.CountsBefore));
        Assert.Equal(40, back.ShuffleBuffer.Count);
        Assert.Equal(state.ShuffleBuffer, back.ShuffleBuffer);
        Assert.Throws<InvalidDataException>(() => PipelineState.FromBytes(state.ToBytes()[..100]));
    }

    [Fact]
    public void EosAfterDocument_PutsEosBetweenDocumentsInsideRows()
    {
        static int EosInside(long[] flat) => flat.Take(4 * 64).Chunk(64).Sum(row => row[..^1].Count(id => id == 1));

        int without = Take(options with { Data = options.Data with { ShuffleBuffer = 1, EosAfterDocument = false } }, 5).Sum(EosInside);
        int with = Take(options with { Data = options.Data with { ShuffleBuffer = 1 } }, 5).Sum(EosInside);

        Assert.Equal(0, without);
        Assert.True(with > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TextLines_BeforeMasking_AreEachLineTokenizedThenEos_ConcatenatedAndCut(bool eosAfterDocument)
    {
        // nanoT5 on a .txt corpus: HF's text loader makes a record per line, T5TokenizerFast appends </s> to each.
        string[] lines = DataFiles.Documents(40, seed: 31);
        string path = folder.File("lines.txt");
        File.WriteAllText(path, string.Join("\n\n", lines.Take(20)) + "\n" + string.Join("\n", lines.Skip(20)) + "\n");
        PipelineOptions options = this.options with
        {
            Shards = [DataFiles.Shard(path)], ShuffleShards = false,
            Data = this.options.Data with { ShuffleBuffer = 1, DocumentsPerChunk = 1000, EosAfterDocument = eosAfterDocument },
        };
        int[] ids = [.. lines.SelectMany(l => eosAfterDocument ? [.. Tokenizer.Encode(l), Tokenizer.EosId] : Tokenizer.Encode(l))];
        int[][] expected = [.. ids.Chunk(70).Where(row => row.Length == 70).Take(8)];

        using var pipeline = new PretrainingPipeline(options, Tokenizer, new CollectingSink());
        int[][] rows = [.. Enumerable.Range(0, 2).SelectMany(_ => Unmask(pipeline.Next()))];

        Assert.Equal(expected, rows);
    }

    [Fact]
    public void Shuffle_ChangesTheOrderOfRows_ButNotTheirContent()
    {
        long[][] shuffled = Take(options, 5);
        long[][] inOrder = Take(options with { Data = options.Data with { ShuffleBuffer = 1 }, ShuffleShards = false }, 5);

        Assert.NotEqual(inOrder, shuffled);
    }

    [Fact]
    public void Validation_BatchesAreTheSameOnEveryEvaluation()
    {
        var validation = new ValidationBatches(options with { Data = options.Data with { ShuffleBuffer = 1 }, ShuffleShards = false }, Tokenizer, new CollectingSink(), count: 25);

        long[][] first = validation.Batches().Select(Flatten).ToArray();
        long[][] second = validation.Batches().Select(Flatten).ToArray();

        Assert.Equal(25, first.Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public void BadDataBeyondTheLimit_SurfacesFromNextAsAClearError()
    {
        string bad = folder.File("bad.jsonl");
        File.WriteAllLines(bad, Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "{broken" : DataFiles.JsonLine($"document {i} with some words in it")));
        using var pipeline = new PretrainingPipeline(options with { Shards = [DataFiles.Shard(bad)], Data = options.Data with { MaxBadDataFraction = 0.1 } }, Tokenizer, new CollectingSink());

        var e = Assert.Throws<BadDataLimitException>(() => pipeline.Next());

        Assert.Contains(bad, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorpusTooSmallForOneRow_FailsInsteadOfWaitingForever()
    {
        string tiny = DataFiles.WriteJsonLines(folder.File("tiny.jsonl"), ["just a few words"]);
        using var pipeline = new PretrainingPipeline(options with { Shards = [DataFiles.Shard(tiny)] }, Tokenizer, new CollectingSink());

        var e = Assert.Throws<InvalidDataException>(() => pipeline.Next());

        Assert.Contains("no complete row of 70 tokens", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForTraining_FromAnExperimentConfig_ResolvesSourcesAndMicroBatch()
    {
        var config = new ExperimentConfig
        {
            Optim = new OptimizerSettings { BatchSize = 8, GradAcc = 2 },
            Data = new DataSettings { TrainSources = [folder.File("*.jsonl")], InputLength = 64, ShuffleBuffer = 10, Workers = 2 },
        };

        using var pipeline = PretrainingPipeline.ForTraining(config, Tokenizer, new CollectingSink());
        using PretrainingBatch batch = pipeline.Next();

        Assert.Equal(4, pipeline.BatchSize);
        Assert.Equal([4L, 64L], batch.InputIds.shape);
    }

    [Fact]
    public void ForEvaluation_ReadsEvalStepsTimesGradAccMicroBatches_TheRowsNanoT5Evaluates()
    {
        var config = new ExperimentConfig
        {
            Optim = new OptimizerSettings { BatchSize = 8, GradAcc = 2 },
            Eval = new EvaluationSettings { Steps = 3 },
            Data = new DataSettings { TrainSources = [folder.File("*.jsonl")], ValidationSources = [folder.File("a.jsonl")], InputLength = 64, Workers = 1 },
        };

        var validation = ValidationBatches.ForEvaluation(config, Tokenizer, new CollectingSink());
        long[][] batches = [.. validation.Batches().Select(Flatten)];

        Assert.Equal(6, validation.Count);
        Assert.Equal(6, batches.Length);
        Assert.All(batches, b => Assert.Equal(4 * (64 + 14), b.Length));
        Assert.Equal(batches, validation.Batches().Select(Flatten));
    }

    private static long[][] Take(PipelineOptions options, int batches)
    {
        using var pipeline = new PretrainingPipeline(options, Tokenizer, new CollectingSink());
        return Enumerable.Range(0, batches).Select(_ => Flatten(pipeline.Next())).ToArray();
    }

    // The pre-masking rows of a batch (InputLength 64): every sentinel of the inputs replaced by the noise span that follows the same
    // sentinel in the labels; both end in an appended eos.
    internal static IEnumerable<int[]> Unmask(PretrainingBatch batch)
    {
        using (batch)
        {
            long[][] inputs = [.. batch.InputIds.data<long>().ToArray().Chunk(64)];
            long[][] labels = [.. batch.Labels.data<long>().ToArray().Chunk(14)];
            int firstSentinel = Tokenizer.Count - Tokenizer.SentinelCount;
            for (int r = 0; r < inputs.Length; r++)
            {
                var row = new List<int>();
                foreach (long id in inputs[r][..^1])
                {
                    if (id < firstSentinel)
                    {
                        row.Add((int)id);
                        continue;
                    }

                    int start = Array.IndexOf(labels[r], id) + 1;
                    row.AddRange(labels[r][start..^1].TakeWhile(t => t < firstSentinel).Select(t => (int)t));
                }

                yield return [.. row];
            }
        }
    }

    private static long[] Flatten(PretrainingBatch batch)
    {
        using (batch)
        {
            return [.. batch.InputIds.data<long>().ToArray(), .. batch.Labels.data<long>().ToArray()];
        }
    }
}
