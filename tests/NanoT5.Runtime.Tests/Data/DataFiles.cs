// Small corpora written by the tests themselves: JSON lines (plain, gzip, multi-member gzip), text, Parquet.
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NanoT5.Data.Sources;
using Parquet;
using Parquet.Schema;

namespace NanoT5.Tests.Data;

internal static class DataFiles
{
    private static readonly string[] Words =
    [
        "the", "handle", "value", "returns", "a", "new", "instance", "of", "class", "that", "indicates", "whether",
        "string", "is", "invalid", "gets", "sets", "collection", "element", "specified", "index", "number", "when",
        "method", "called", "object", "represents", "current", "type", "stream", "bytes", "reads", "writes", "file",
    ];

    /// <summary>Deterministic English-like documents.</summary>
    public static string[] Documents(int count, int seed, int minWords = 5, int maxWords = 60)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => $"Doc {i}: " + string.Join(' ', Enumerable.Range(0, random.Next(minWords, maxWords)).Select(_ => Words[random.Next(Words.Length)])) + ".")
            .ToArray();
    }

    public static string JsonLine(string text) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = text, ["timestamp"] = "2019-04-25T12:57:54Z", ["url"] = "https://example.com/" });

    public static string WriteJsonLines(string path, IEnumerable<string> documents)
    {
        File.WriteAllLines(path, documents.Select(JsonLine));
        return path;
    }

    /// <summary>One gzip member per group of lines (C4 shards are one member; concatenated files have several).</summary>
    public static string WriteGzipMembers(string path, params string[][] members)
    {
        using var file = File.Create(path);
        foreach (string[] lines in members)
        {
            file.Write(Gzip(string.Join("\n", lines) + "\n"));
        }

        return path;
    }

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public static string WriteParquet(string path, params string?[][] rowGroups)
    {
        var text = new DataField<string>("text");
        var schema = new ParquetSchema(text, new DataField<string>("url"));
        using var file = File.Create(path);
        ParquetWriter writer = ParquetWriter.CreateAsync(schema, file).GetAwaiter().GetResult();
        try
        {
            foreach (string?[] rows in rowGroups)
            {
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                group.WriteAsync(text, rows!).GetAwaiter().GetResult();
                group.WriteAsync(schema.DataFields[1], rows.Select(_ => "https://example.com/").ToArray()).GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return path;
    }

    public static Shard Shard(string path) => new(path, SourceResolver.FormatOf(path)!.Value);
}

/// <summary>Collects warnings (thread-safe).</summary>
internal sealed class CollectingSink : IDataWarningSink
{
    private readonly List<DataWarning> warnings = [];

    public IReadOnlyList<DataWarning> Warnings
    {
        get
        {
            lock (warnings)
            {
                return [.. warnings];
            }
        }
    }

    public void Warn(DataWarning warning)
    {
        lock (warnings)
        {
            warnings.Add(warning);
        }
    }
}
