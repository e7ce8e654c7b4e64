// Bounds what is read of a tracker's reply, so a proxy or a broken server answering with a gigabyte cannot raise
// the training process's memory (a 1 GB reply once took it to 4.7 GB): an error body is read up to 64 KiB and the
// rest dropped with the connection (only a few hundred characters of it ever reach a warning); a success body over
// 128 MiB fails like a cut reply, and is retried. The largest API reply is a metric's whole history, which servers
// before 2.12 send in one piece: about 90 bytes a point, so 128 MiB holds some 1.4 million points of one metric.
namespace NanoT5.Tracking.Remote;

/// <summary>Caps every response body: <see cref="MaxErrorBodyBytes"/> of an error, <see cref="MaxReplyBytes"/> of a success.</summary>
internal sealed class ReplyBodyLimitHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Bytes of an error body kept; the rest is never read.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Bytes a success reply may have.</summary>
    public const long MaxReplyBytes = 128L * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content is null)
        {
            return response;
        }

        if (!response.IsSuccessStatusCode)
        {
            response.Content = await FirstBytesAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return response;
        }

        if (response.Content.Headers.ContentLength > MaxReplyBytes)
        {
            long length = response.Content.Headers.ContentLength.Value;
            response.Dispose();
            throw new TooLargeReplyException(length);
        }

        response.Content = new CappedContent(response.Content);
        return response;
    }

    public override string ToString() => nameof(ReplyBodyLimitHandler);

    private static async Task<HttpContent> FirstBytesAsync(HttpContent original, CancellationToken cancellationToken)
    {
        byte[] kept = new byte[MaxErrorBodyBytes];
        int length = 0;
        try
        {
            Stream body = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                for (int read; length < kept.Length && (read = await body.ReadAsync(kept.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0;)
                {
                    length += read;
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // A body cut short: the status line is what matters; keep what arrived.
        }

        var limited = new ByteArrayContent(kept, 0, length);
        CopyHeaders(original, limited);
        limited.Headers.ContentLength = length;
        original.Dispose();
        return limited;
    }

    private static void CopyHeaders(HttpContent from, HttpContent to)
    {
        foreach (KeyValuePair<string, IEnumerable<string>> header in from.Headers)
        {
            to.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>A reply over <see cref="MaxReplyBytes"/>; an IOException, so delivery treats it like a cut reply.</summary>
    private sealed class TooLargeReplyException(long length)
        : IOException($"the reply is {length} bytes or more, over the {MaxReplyBytes >> 20} MiB a tracker reply may have; it was not read");

    // The original content, whose stream fails once more than MaxReplyBytes have been read.
    private sealed class CappedContent : HttpContent
    {
        private readonly HttpContent original;

        public CappedContent(HttpContent original)
        {
            this.original = original;
            CopyHeaders(original, this);
        }

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new CappedStream(await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            Stream body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = original.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                original.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CappedStream(Stream inner) : Stream
    {
        private long total;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            total += read;
            return total > MaxReplyBytes ? throw new TooLargeReplyException(total) : read;
        }
    }
}
