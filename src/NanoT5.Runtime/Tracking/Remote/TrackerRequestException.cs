// A failed tracker request, reduced to what delivery decisions need (status, server error code, Retry-After)
// and a redacted message. It keeps no reference to the request, whose headers hold the token.
using System.Net;
using System.Text.Json;
using Refit;

namespace NanoT5.Tracking.Remote;

/// <summary>A tracker answered with an error status.</summary>
public sealed class TrackerRequestException : Exception
{
    private const int MaxDetail = 300;

    public TrackerRequestException()
    {
    }

    public TrackerRequestException(string message)
        : base(message)
    {
    }

    public TrackerRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private TrackerRequestException(string message, HttpStatusCode status, string? errorCode, TimeSpan? retryAfterDelta, DateTimeOffset? retryAfterDate)
        : base(message)
    {
        StatusCode = status;
        ErrorCode = errorCode;
        RetryAfterDelta = retryAfterDelta;
        RetryAfterDate = retryAfterDate;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The server's error code (MLflow: RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...).</summary>
    public string? ErrorCode { get; }

    public TimeSpan? RetryAfterDelta { get; }

    public DateTimeOffset? RetryAfterDate { get; }

    /// <summary>5xx, 408 and 429 are worth retrying; other statuses will fail the same way again.</summary>
    public bool IsTransient => (int)StatusCode >= 500 || StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Translates Refit's exception; <paramref name="operation"/> names the call in the message.</summary>
    public static TrackerRequestException From(ApiException e, string operation, TrackerToken? token)
    {
        (string? errorCode, string? detail) = ParseBody(e.Content);
        // Mask before cutting: a cut through the token would leave its first characters unmasked.
        string Masked(string text) => token?.Redact(text) ?? text;
        string message = $"{operation}: HTTP {(int)e.StatusCode} {e.StatusCode}" + (errorCode is null ? string.Empty : $" {Masked(errorCode)}")
            + (string.IsNullOrWhiteSpace(detail) ? string.Empty : $": {Truncate(Masked(detail))}");
        return new TrackerRequestException(Masked(message), e.StatusCode, errorCode, e.Headers?.RetryAfter?.Delta, e.Headers?.RetryAfter?.Date);
    }

    // Trackers answer errors as JSON {"error_code": ..., "message": ...}; anything else is shown as text.
    private static (string? ErrorCode, string? Detail) ParseBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string? code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_code", out JsonElement c) ? c.ToString() : null;
            string? detail = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out JsonElement m) ? m.ToString() : body;
            return (code, detail);
        }
        catch (JsonException)
        {
            return (null, body);
        }
    }

    /// <summary>One line of at most 300 characters (with "..." when cut); mask secrets first.</summary>
    internal static string Truncate(string text)
    {
        string oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= MaxDetail ? oneLine : oneLine[..MaxDetail] + "...";
    }
}
