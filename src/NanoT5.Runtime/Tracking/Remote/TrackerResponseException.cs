// A tracker answered "200 OK" but the body could not be used: the connection closed in its middle, or it was not
// the JSON the API returns (a proxy's HTML page, a truncated reply). Both can pass, so both are transient (an
// IOException): delivery retries them with back-off under the circuit breaker instead of giving up.
namespace NanoT5.Tracking.Remote;

/// <summary>An unusable success response; the message says what was wrong with the body.</summary>
public sealed class TrackerResponseException : IOException
{
    public TrackerResponseException()
    {
    }

    public TrackerResponseException(string message)
        : base(message)
    {
    }

    public TrackerResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Describes a success response whose body failed to read or parse (<paramref name="failure"/>).</summary>
    public static TrackerResponseException From(string operation, int status, Exception failure, string? body, TrackerToken? token)
    {
        Exception cause = failure.InnerException is { } inner && failure is Refit.ApiException ? inner : failure;
        bool cut = Causes(cause).Any(c => c is IOException or HttpRequestException);
        string what = cut
            ? $"the connection closed in the middle of the response ({cause.Message})"
            : $"the body is not the JSON the tracker's API returns ({cause.GetType().Name}: {cause.Message})"
              + (body is null ? string.Empty : body.Trim().Length == 0 ? "; it was empty" : $"; it starts: {TrackerRequestException.Truncate(token?.Redact(body) ?? body)}");
        string message = $"{operation}: HTTP {status}, but {what}";
        return new TrackerResponseException(token?.Redact(message) ?? message, cause);
    }

    /// <summary>A success reply that parsed but lacks <paramref name="field"/> (a "{}" from a stub, a misrouted proxy).</summary>
    public static TrackerResponseException Missing(string operation, string field, TrackerToken? token)
    {
        string message = $"{operation}: HTTP 200, but the body is not the reply the tracker's API gives: it has no '{field}' (docs/tracking.md lists the replies the runtime needs)";
        return new TrackerResponseException(token?.Redact(message) ?? message);
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? c = e; c is not null; c = c.InnerException)
        {
            yield return c;
        }
    }
}
