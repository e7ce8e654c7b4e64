using NanoT5.Data.Sources;

namespace NanoT5.Tests.Data;

public sealed class UrlRedirectTests
{
    private static readonly HttpSourceOptions FastRetries = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), ReadTimeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("file:///etc/passwd", "a redirect to file: is not followed (only http and https)")]
    [InlineData("data:text/plain,{\"text\":\"injected\"}", "redirect")]
    [InlineData("ftp://127.0.0.1:21/c4.json", "a redirect to ftp: is not followed")]
    [InlineData("gopher://127.0.0.1:70/1", "a redirect to gopher: is not followed")]
    [InlineData("ws://127.0.0.1:80/socket", "a redirect to ws: is not followed")]
    public void Url_RedirectedOutsideHttp_IsABadShardWithAWarningNotACrash(string target, string expected)
    {
        using var server = new LoopbackServer((_, context) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers["Location"] = target;
            context.Response.Close();
            return Task.CompletedTask;
        });
        var shard = new Shard(server.Url + "c4-train.00001-of-01024.json", ShardFormat.JsonLines);
        var sink = new CollectingSink();
        var problems = new DataProblems(sink, 0.5, totalShards: 4);

        List<SourceDocument> read = new ShardReader(FastRetries).Read(shard, 0, problems).ToList();

        Assert.Empty(read);
        Assert.Equal(1, problems.Counts.BadShards);
        Assert.Equal(1, server.Requests);
        DataWarning warning = Assert.Single(sink.Warnings);
        Assert.Equal(shard.Location, warning.Shard);
        Assert.Contains(expected, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_RedirectingForever_StopsAfterTheBoundAsABadShard()
    {
        using var server = new LoopbackServer((n, context) =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers["Location"] = $"/hop-{n + 1}.json";
            context.Response.Close();
            return Task.CompletedTask;
        });
        var shard = new Shard(server.Url + "hop-0.json", ShardFormat.JsonLines);
        var sink = new CollectingSink();
        var problems = new DataProblems(sink, 0.5, totalShards: 4);

        Assert.Empty(new ShardReader(FastRetries).Read(shard, 0, problems));

        Assert.Equal(1 + FastRetries.MaxRedirects, server.Requests);
        Assert.Contains($"more than {FastRetries.MaxRedirects} redirects", Assert.Single(sink.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_RedirectedToAnotherHttpPath_IsFollowedAndRead()
    {
        string[] documents = DataFiles.Documents(50, seed: 4);
        byte[] body = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", documents.Select(DataFiles.JsonLine)) + "\n");
        using var server = new LoopbackServer((n, context) =>
        {
            if (context.Request.Url!.AbsolutePath == "/moved.jsonl")
            {
                return LoopbackServer.Serve(context, body);
            }

            context.Response.StatusCode = 301;
            context.Response.Headers["Location"] = "moved.jsonl";
            context.Response.Close();
            return Task.CompletedTask;
        });
        var sink = new CollectingSink();

        List<SourceDocument> read = new ShardReader(FastRetries).Read(new Shard(server.Url + "old.jsonl", ShardFormat.JsonLines), 0, new DataProblems(sink, 0, 1)).ToList();

        Assert.Equal(documents, read.Select(d => d.Text));
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Next_FromHttpsDownToHttp_IsRefusedUnlessAllowed()
    {
        var source = new Uri("https://data.example/c4.json.gz");
        var down = new Uri("http://mirror.example/c4.json.gz");

        var error = Assert.Throws<PermanentHttpException>(() => RedirectPolicy.Next(source, source, down, 1, new HttpSourceOptions()));

        Assert.Contains("a redirect from https to plain http (http://mirror.example) is refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(down, RedirectPolicy.Next(source, source, down, 1, new HttpSourceOptions { AllowHttpsToHttpRedirect = true }));
        Assert.Equal(new Uri("https://data.example/other/c4.json.gz"), RedirectPolicy.Next(source, source, new Uri("/other/c4.json.gz", UriKind.Relative), 1, new HttpSourceOptions()));
    }

    [Fact]
    public void Parquet_Url_IsDownloadedIntoTheGivenFolderAndRemovedWhenRead()
    {
        using var temp = TestPaths.NewTempFolder();
        string file = DataFiles.WriteParquet(temp.File("part.parquet"), new string?[] { "one document here", "another document there" });
        byte[] body = File.ReadAllBytes(file);
        using var server = new LoopbackServer((_, context) => LoopbackServer.Serve(context, body));
        string downloads = temp.File("run/.downloads");
        var reader = new ShardReader(FastRetries with { DownloadDirectory = downloads });
        var shard = new Shard(server.Url + "c4-part.parquet", ShardFormat.Parquet);

        using IEnumerator<SourceDocument> documents = reader.Read(shard, 0, new DataProblems(new CollectingSink(), 0, 1)).GetEnumerator();
        Assert.True(documents.MoveNext());
        string downloaded = Assert.Single(Directory.GetFiles(downloads));
        Assert.EndsWith(".parquet", downloaded, StringComparison.Ordinal);
        while (documents.MoveNext())
        {
        }

        documents.Dispose();
        Assert.Empty(Directory.GetFiles(downloads));
    }
}
