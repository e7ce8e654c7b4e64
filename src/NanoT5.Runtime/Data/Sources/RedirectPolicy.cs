// Which redirects a URL source follows: http(s) to http(s) only, a bounded number, and never from https down to
// plain http unless allowed. A file:, data:, ftp:, gopher: or ws: target (or a malformed Location) is refused with
// a PermanentHttpException, which the reader reports as a bad shard with a warning.
using System.Net;

namespace NanoT5.Data.Sources;

/// <summary>Checks each redirect of a URL source.</summary>
public static class RedirectPolicy
{
    /// <summary>301, 302, 303, 307 and 308.</summary>
    public static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>An absolute http(s) URL, or a <see cref="PermanentHttpException"/> naming the text.</summary>
    public static Uri Parse(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out Uri? url) && IsHttp(url)
            ? url
            : throw new PermanentHttpException($"{location}: not an http or https URL");

    /// <summary>
    /// The URL to request after the <paramref name="hop"/>-th redirect from <paramref name="current"/> to
    /// <paramref name="location"/>; throws <see cref="PermanentHttpException"/> naming <paramref name="source"/> when it is not followed.
    /// </summary>
    public static Uri Next(Uri source, Uri current, Uri? location, int hop, HttpSourceOptions options)
    {
        if (hop > options.MaxRedirects)
        {
            throw new PermanentHttpException($"{source}: more than {options.MaxRedirects} redirects");
        }

        if (location is null)
        {
            throw new PermanentHttpException($"{source}: a redirect from {current} without a usable Location header");
        }

        Uri next;
        try
        {
            next = location.IsAbsoluteUri ? location : new Uri(current, location);
        }
        catch (UriFormatException e)
        {
            throw new PermanentHttpException($"{source}: a redirect to a malformed URL ({e.Message})");
        }

        if (!IsHttp(next))
        {
            throw new PermanentHttpException($"{source}: a redirect to {next.Scheme}: is not followed (only http and https)");
        }

        if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !options.AllowHttpsToHttpRedirect)
        {
            throw new PermanentHttpException($"{source}: a redirect from https to plain http ({next.GetLeftPart(UriPartial.Authority)}) is refused: the data would travel unencrypted");
        }

        return next;
    }

    private static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps;
}
