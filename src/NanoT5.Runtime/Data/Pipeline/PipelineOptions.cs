// Everything the pipeline needs, resolved from an ExperimentConfig: its data settings as they are (the record, not a
// copy of each), plus what is not a data setting (shards resolved, micro-batch, seed, workers resolved, http). The
// defaults, for pipelines built without a config (tests, benchmarks), are the settings table's.
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

    /// <summary>The data settings the stream is made with (validation: shuffle buffer 1, source order).</summary>
    public DataSettings Data { get; init; } = new();

    /// <summary>Shuffle the order of shards each epoch (training).</summary>
    public bool ShuffleShards { get; init; } = true;

    /// <summary>Tokenization workers (data.workers resolved: 0 is one per core); at least 1.</summary>
    public int Workers { get; init; } = 1;

    public int Seed { get; init; } = SettingTable.Seed.IntegerDefault;

    public HttpSourceOptions Http { get; init; } = new();

    /// <summary>The training stream of <paramref name="config"/> (sources resolved now: a missing file fails here).</summary>
    public static PipelineOptions ForTraining(ExperimentConfig config, string? baseDirectory = null) =>
        FromData(config, config.Data, SourceResolver.Resolve(config.Data.TrainSources, DataSplit.Train, ConfigSettingValues.Key(SettingTable.TrainSources), baseDirectory)) with
        {
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
            throw new ArgumentException(ConfigSettingValues.Key(SettingTable.ValidationSources) + ": evaluation needs validation sources (only builtin:dotnet-docs brings its own split)");
        }

        return FromData(config, config.Data with { ShuffleBuffer = 1 }, SourceResolver.Resolve(sources, DataSplit.Validation, ConfigSettingValues.Key(SettingTable.ValidationSources), baseDirectory)) with
        {
            ShuffleShards = false,
        };
    }

    /// <summary>The value of a setting the stream is made with: a data setting or the seed (others: their defaults).</summary>
    public object? Read(Setting setting) => new ConfigSettingValues(new ExperimentConfig { Seed = Seed, Data = Data }).Read(setting);

    private static PipelineOptions FromData(ExperimentConfig config, DataSettings data, IReadOnlyList<Shard> shards) => new()
    {
        Shards = shards,
        BatchSize = Math.Max(1, config.Optim.BatchSize / Math.Max(1, config.Optim.GradAcc)),
        Data = data,
        Workers = data.Workers > 0 ? data.Workers : Environment.ProcessorCount,
        Seed = config.Seed,
        Http = HttpSourceOptions.From(data) with { DownloadDirectory = Path.Combine(Path.GetFullPath(config.RunDirectory), IO.RunFolderLayout.DownloadsDirectory) },
    };
}
