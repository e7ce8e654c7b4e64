// Sends every request body with a Content-Length. Refit's JSON content has no length of its own, so it would go
// out chunked, and a plain proxy in front of MLflow passed such a body on empty (the server then answered with a
// misleading error). Tracker bodies are small (a batch of 100 points), so buffering them costs nothing.
namespace NanoT5.Tracking.Remote;

/// <summary>Buffers each request body so it is sent with a Content-Length instead of chunked.</summary>
internal sealed class ContentLengthHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && content.Headers.ContentLength is null)
        {
            byte[] body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var sized = new ByteArrayContent(body);
            foreach (KeyValuePair<string, IEnumerable<string>> header in content.Headers)
            {
                sized.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            sized.Headers.ContentLength = body.Length;
            request.Content = sized;
            content.Dispose();
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => nameof(ContentLengthHandler);
}
