using NanoT5.Data.Sources;

namespace NanoT5.Tests.Data;

public sealed class UrlSourceTests
{
    private static readonly HttpSourceOptions FastRetries = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), ReadTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public void JsonGzUrl_ConnectionDroppedMidBody_ResumesWithARangeRequestAndReadsEverything()
    {
        string[] documents = DataFiles.Documents(2000, seed: 8);
        byte[] body = DataFiles.Gzip(string.Join("\n", documents.Select(DataFiles.JsonLine)) + "\n");
        using var server = new LoopbackServer((n, context) => LoopbackServer.Serve(context, body, cutAfter: n == 0 ? body.Length / 3 : int.MaxValue));
        var shard = new Shard(server.Url + "c4-train.00000-of-01024.json.gz", ShardFormat.JsonLines);
        var sink = new CollectingSink();

        List<SourceDocument> read = new ShardReader(FastRetries).Read(shard, 0, new DataProblems(sink, 0, 1)).ToList();

        Assert.Equal(documents, read.Select(d => d.Text));
        Assert.Empty(sink.Warnings);
        Assert.True(server.Requests >= 2);
        Assert.Null(server.RangeHeaders[0]);
        Assert.StartsWith("bytes=", server.RangeHeaders[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Url_ThatKeepsFailing_IsSkippedAsABadShardWithAWarning_AfterTheRetries()
    {
        using var server = new LoopbackServer((_, context) =>
        {
            context.Response.StatusCode = 503;
            context.Response.Close();
            return Task.CompletedTask;
        });
        var shard = new Shard(server.Url + "c4-train.00007-of-01024.json.gz", ShardFormat.JsonLines);
        var sink = new CollectingSink();
        var problems = new DataProblems(sink, 0.5, totalShards: 4);

        List<SourceDocument> read = new ShardReader(FastRetries).Read(shard, 0, problems).ToList();

        Assert.Empty(read);
        Assert.Equal(1 + FastRetries.MaxRetries, server.Requests);
        Assert.Equal(1, problems.Counts.BadShards);
        DataWarning warning = Assert.Single(sink.Warnings);
        Assert.Equal(shard.Location, warning.Shard);
        Assert.Contains("HTTP 503", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_NotFound_IsNotRetried()
    {
        using var server = new LoopbackServer((_, context) =>
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return Task.CompletedTask;
        });
        var shard = new Shard(server.Url + "missing.jsonl", ShardFormat.JsonLines);
        var problems = new DataProblems(new CollectingSink(), 0.5, totalShards: 4);

        Assert.Empty(new ShardReader(FastRetries).Read(shard, 0, problems));
        Assert.Equal(1, server.Requests);
        Assert.Equal(1, problems.Counts.BadShards);
    }
}
