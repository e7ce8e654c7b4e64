// Part of ExperimentConfig: pretraining data and span corruption (nanoT5's data section).
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Pretraining data and span corruption (nanoT5's data section).</summary>
public sealed record DataSettings
{
    /// <summary>Training sources: files, globs, http(s) URLs, or builtin:dotnet-docs.</summary>
    public IReadOnlyList<string> TrainSources { get; init; } = [];

    /// <summary>Validation sources; empty with a built-in corpus = its deterministic validation split.</summary>
    public IReadOnlyList<string> ValidationSources { get; init; } = [];

    /// <summary>Encoder input length after masking.</summary>
    public int InputLength { get; init; } = SettingTable.InputLength.IntegerDefault;

    /// <summary>Share of tokens masked (nanoT5's mlm_probability).</summary>
    public double NoiseDensity { get; init; } = SettingTable.NoiseDensity.NumberDefault;

    /// <summary>Mean length of a masked span.</summary>
    public double MeanNoiseSpanLength { get; init; } = SettingTable.MeanNoiseSpanLength.NumberDefault;

    /// <summary>Rows in the seeded shuffle buffer.</summary>
    public int ShuffleBuffer { get; init; } = SettingTable.ShuffleBuffer.IntegerDefault;

    /// <summary>Parallel preparation workers; 0 = one per core.</summary>
    public int Workers { get; init; } = SettingTable.DataWorkers.IntegerDefault;

    /// <summary>Share of bad records (corrupt, unreadable) tolerated before the run stops.</summary>
    public double MaxBadDataFraction { get; init; } = SettingTable.MaxBadDataFraction.NumberDefault;

    /// <summary>
    /// Documents whose tokens are concatenated and cut into rows together, the remainder dropped: nanoT5's
    /// tokenize_function runs under HF datasets' map with its default batch of 1,000 documents.
    /// </summary>
    public int DocumentsPerChunk { get; init; } = SettingTable.DocumentsPerChunk.IntegerDefault;

    /// <summary>
    /// Append eos after each document before concatenating: nanoT5 does, because HF's T5TokenizerFast adds eos to
    /// every encoded text and its tokenize_function encodes one document at a time. With one document per line the
    /// eos tokens are ~1% of the tokens and change the objective, not just chunk boundaries.
    /// </summary>
    public bool EosAfterDocument { get; init; } = SettingTable.EosAfterDocument.BooleanDefault;

    /// <summary>What a document of a .txt source is (HF's text loader: one per line by default).</summary>
    public TextSampleBy TextSampleBy { get; init; } = SettingTable.TextSampleBy.EnumDefault<TextSampleBy>();

    /// <summary>Retries (exponential back-off from 1 s) of a failing request or dropped read of an http(s) source before the shard is skipped.</summary>
    public int HttpRetries { get; init; } = SettingTable.HttpRetries.IntegerDefault;
}
