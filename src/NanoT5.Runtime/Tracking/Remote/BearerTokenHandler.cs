// Adds "Authorization: Bearer <token>" to every tracker request, so no Refit interface carries the token.
using System.Net.Http.Headers;

namespace NanoT5.Tracking.Remote;

/// <summary>Sets the bearer token on each request when one is configured.</summary>
internal sealed class BearerTokenHandler(TrackerToken? token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Reveal());
        }

        return base.SendAsync(request, cancellationToken);
    }

    public override string ToString() => nameof(BearerTokenHandler);
}
