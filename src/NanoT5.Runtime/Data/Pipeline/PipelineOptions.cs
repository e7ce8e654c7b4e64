// Everything the pipeline needs, resolved from an ExperimentConfig (sources expanded, lengths computed). Defaults
// are the settings table's, for pipelines built without a config (tests, benchmarks).
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Pipeline;

/// <summary>Resolved settings of one pipeline (training or validation).</summary>
public sealed record PipelineOptions
{
    public required IReadOnlyList<Shard> Shards { get; init; }

    /// <summary>Rows per batch: nanoT5's micro-batch, optim.batch_size / optim.grad_acc.</summary>
    public required int BatchSize { get; init; }

    public int InputLength { get; init; } = SettingTable.InputLength.IntegerDefault;

    public double NoiseDensity { get; init; } = SettingTable.NoiseDensity.NumberDefault;

    public double MeanNoiseSpanLength { get; init; } = SettingTable.MeanNoiseSpanLength.NumberDefault;

    /// <summary>Rows in the shuffle buffer; 1 = source order.</summary>
    public int ShuffleBuffer { get; init; } = SettingTable.ShuffleBuffer.IntegerDefault;

    /// <summary>Shuffle the order of shards each epoch (training).</summary>
    public bool ShuffleShards { get; init; } = true;

    /// <summary>Tokenization workers; at least 1.</summary>
    public int Workers { get; init; } = 1;

    public int DocumentsPerChunk { get; init; } = SettingTable.DocumentsPerChunk.IntegerDefault;

    public bool EosAfterDocument { get; init; } = SettingTable.EosAfterDocument.BooleanDefault;

    /// <summary>What a document of a .txt shard is.</summary>
    public TextSampleBy TextSampleBy { get; init; } = SettingTable.TextSampleBy.EnumDefault<TextSampleBy>();

    public long Seed { get; init; } = SettingTable.Seed.IntegerDefault;

    public double MaxBadDataFraction { get; init; } = SettingTable.MaxBadDataFraction.NumberDefault;

    public HttpSourceOptions Http { get; init; } = new();

    /// <summary>The training stream of <paramref name="config"/> (sources resolved now: a missing file fails here).</summary>
    public static PipelineOptions ForTraining(ExperimentConfig config, string? baseDirectory = null) =>
        FromData(config, SourceResolver.Resolve(config.Data.TrainSources, DataSplit.Train, "data.train_sources", baseDirectory)) with
        {
            ShuffleBuffer = config.Data.ShuffleBuffer,
            ShuffleShards = true,
        };

    /// <summary>
    /// The validation stream: validation sources (or the built-in corpus's validation split), source order, no
    /// shuffling, so every evaluation sees the same rows. Throws when there are no validation sources.
    /// </summary>
    public static PipelineOptions ForValidation(ExperimentConfig config, string? baseDirectory = null)
    {
        IReadOnlyList<string> sources = SourceResolver.ValidationSources(config.Data.TrainSources, config.Data.ValidationSources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("data.validation_sources: evaluation needs validation sources (only builtin:dotnet-docs brings its own split)");
        }

        return FromData(config, SourceResolver.Resolve(sources, DataSplit.Validation, "data.validation_sources", baseDirectory)) with
        {
            ShuffleBuffer = 1,
            ShuffleShards = false,
        };
    }

    private static PipelineOptions FromData(ExperimentConfig config, IReadOnlyList<Shard> shards)
    {
        DataSettings data = config.Data;
        return new PipelineOptions
        {
            Shards = shards,
            BatchSize = Math.Max(1, config.Optim.BatchSize / Math.Max(1, config.Optim.GradAcc)),
            InputLength = data.InputLength,
            NoiseDensity = data.NoiseDensity,
            MeanNoiseSpanLength = data.MeanNoiseSpanLength,
            Workers = data.Workers > 0 ? data.Workers : Environment.ProcessorCount,
            DocumentsPerChunk = data.DocumentsPerChunk,
            EosAfterDocument = data.EosAfterDocument,
            TextSampleBy = data.TextSampleBy,
            Seed = config.Seed,
            MaxBadDataFraction = data.MaxBadDataFraction,
            Http = HttpSourceOptions.From(data) with { DownloadDirectory = Path.Combine(Path.GetFullPath(config.RunDirectory), IO.RunFolderLayout.DownloadsDirectory) },
        };
    }
}
