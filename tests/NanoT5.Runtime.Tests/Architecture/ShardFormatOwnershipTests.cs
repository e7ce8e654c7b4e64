// Data formats have one owner: Data/Sources/ShardFormats.cs lists them, each IShardFormat names itself, and nothing
// else picks a format (docs/architecture.md "Adding a data format"). This fails when a shipped format's name is used
// to decide something anywhere else.
using System.Text.RegularExpressions;

namespace NanoT5.Tests.Architecture;

public sealed partial class ShardFormatOwnershipTests
{
    // The formats themselves, and the one known use: the data fingerprint adds text_sample_by when a shard is Text
    // (owned by the pipeline's fingerprint).
    private static readonly string[] Allowed =
    [
        "Data/Sources/Shard.cs", "Data/Sources/JsonLinesFormat.cs", "Data/Sources/ParquetFormat.cs",
        "Data/Sources/PlainTextFormat.cs", "Data/BuiltIn/DotnetDocsFormat.cs", "Data/Pipeline/PipelineState.cs",
    ];

    [Fact]
    public void ShippedFormatNames_AreUsedOnlyByTheirFormats()
    {
        string runtime = TestPaths.Repo("src", "NanoT5.Runtime");
        var uses = Directory.GetFiles(runtime, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(runtime, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && !Allowed.Contains(f))
            .SelectMany(f => File.ReadLines(Path.Combine(runtime, f)).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => ShippedFormat().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(uses.Count == 0, "a shipped format is picked outside ShardFormats and the formats (add behaviour to IShardFormat instead):\n" + string.Join("\n", uses));
    }

    [GeneratedRegex(@"\bShardFormat\.(JsonLines|Parquet|Text|DotnetDocsTrain|DotnetDocsValidation)\b")]
    private static partial Regex ShippedFormat();
}
