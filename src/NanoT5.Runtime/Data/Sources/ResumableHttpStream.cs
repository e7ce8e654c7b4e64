// A forward-only stream over an http(s) URL that survives dropped connections: a failed read is retried
// (Polly, exponential back-off) by reopening the URL with a Range header at the bytes already delivered,
// so the decoder above never notices. Servers without Range support are handled by skipping ahead.
// Redirects are followed here, not by HttpClient, so that each one is checked (RedirectPolicy).
using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;

namespace NanoT5.Data.Sources;

/// <summary>Thrown when a URL answers with a status that retrying cannot fix (404, 403, …).</summary>
public sealed class PermanentHttpException(string message) : IOException(message);

/// <summary>HTTP GET body with resume-at-offset.</summary>
public sealed class ResumableHttpStream : ForwardOnlyStream
{
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(2) };

    private readonly Uri url;
    private readonly HttpClient client;
    private readonly HttpSourceOptions options;
    private readonly ResiliencePipeline retry;
    private HttpResponseMessage? response;
    private Stream? body;
    private long position;
    private byte[] scratch = [];

    public ResumableHttpStream(Uri url, HttpSourceOptions options, HttpClient? client = null)
    {
        this.url = url;
        this.options = options;
        this.client = client ?? SharedClient;
        retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<IOException>(e => e is not PermanentHttpException).Handle<OperationCanceledException>(),
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                OnRetry = _ =>
                {
                    CloseBody();
                    Retries++;
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Reconnections so far (for logs and tests).</summary>
    public int Retries { get; private set; }

    public override long Position { get => position; set => throw new NotSupportedException(); }

    /// <summary>Opens the URL now (with retries), so an unreachable source fails before any byte is expected.</summary>
    public void Open() => retry.Execute(EnsureOpen);

    public override int Read(Span<byte> buffer)
    {
        if (this.scratch.Length < buffer.Length)
        {
            this.scratch = new byte[buffer.Length];
        }

        byte[] scratch = this.scratch;
        int wanted = buffer.Length;
        int read = retry.Execute(() =>
        {
            EnsureOpen();
            using var timeout = new CancellationTokenSource(options.ReadTimeout);
            return body!.ReadAsync(scratch.AsMemory(0, wanted), timeout.Token).AsTask().GetAwaiter().GetResult();
        });
        scratch.AsSpan(0, read).CopyTo(buffer);
        position += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }

        base.Dispose(disposing);
    }

    private void EnsureOpen()
    {
        if (body is not null)
        {
            return;
        }

        HttpResponseMessage response = SendFollowingRedirects();
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            response.Dispose();
            body = Stream.Null;
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            int status = (int)response.StatusCode;
            string message = $"{url}: HTTP {status} {response.ReasonPhrase}";
            response.Dispose();
            throw status is 408 or 429 or >= 500 ? new HttpRequestException(message) : new PermanentHttpException(message);
        }

        this.response = response;
        body = response.Content.ReadAsStream();
        if (position > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            // The server ignored Range and sent the whole body again: drop what was already delivered.
            SkipBytes(body, position);
        }
    }

    private HttpResponseMessage SendFollowingRedirects()
    {
        Uri target = url;
        for (int redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            if (position > 0)
            {
                request.Headers.Range = new RangeHeaderValue(position, null);
            }

            HttpResponseMessage response = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (!RedirectPolicy.IsRedirect(response.StatusCode))
            {
                return response;
            }

            Uri? location = response.Headers.Location;
            response.Dispose();
            target = RedirectPolicy.Next(url, target, location, redirects + 1, options);
        }
    }

    private static void SkipBytes(Stream stream, long count)
    {
        byte[] sink = new byte[1 << 16];
        while (count > 0)
        {
            int read = stream.Read(sink, 0, (int)Math.Min(sink.Length, count));
            if (read == 0)
            {
                throw new IOException("the body ended before the resume offset");
            }

            count -= read;
        }
    }

    private void CloseBody()
    {
        body?.Dispose();
        response?.Dispose();
        body = null;
        response = null;
    }
}
