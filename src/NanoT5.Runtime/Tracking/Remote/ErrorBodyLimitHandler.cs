// Reads at most 64 KiB of an error reply's body and drops the rest with the connection: a proxy or a broken
// server answering with a gigabyte of error page must not raise the training process's memory. Only the first
// few hundred characters of an error ever reach a warning.
namespace NanoT5.Tracking.Remote;

/// <summary>Replaces the body of every non-success response with its first <see cref="MaxErrorBodyBytes"/> bytes.</summary>
internal sealed class ErrorBodyLimitHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Bytes of an error body kept; the rest is never read.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.Content is null)
        {
            return response;
        }

        HttpContent original = response.Content;
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
        foreach (KeyValuePair<string, IEnumerable<string>> header in original.Headers)
        {
            limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        limited.Headers.ContentLength = length;
        response.Content = limited;
        original.Dispose();
        return response;
    }

    public override string ToString() => nameof(ErrorBodyLimitHandler);
}
