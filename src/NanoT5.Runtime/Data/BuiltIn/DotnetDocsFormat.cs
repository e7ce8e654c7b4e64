// The built-in corpus's shards as a format: chosen by builtin:dotnet-docs, never by a file's ending; one format
// per split, because both splits read the same XML files.
using NanoT5.Data.Sources;

namespace NanoT5.Data.BuiltIn;

/// <summary>Summaries of one split of builtin:dotnet-docs.</summary>
internal sealed class DotnetDocsFormat(DataSplit split) : IShardFormat
{
    public ShardFormat Name => NameOf(split);

    public IReadOnlyList<string> Endings { get; } = [];

    /// <summary>The format of <paramref name="split"/>'s shards.</summary>
    public static ShardFormat NameOf(DataSplit split) => split == DataSplit.Train ? ShardFormat.DotnetDocsTrain : ShardFormat.DotnetDocsValidation;

    public IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems) =>
        DotnetDocsCorpus.Read(input.Shard, split, skipRecords, problems);
}
