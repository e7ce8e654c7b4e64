// Faults FakeMLflowServer applies to requests: what networks, proxies and overloaded servers do to a tracker.
using System.Net;

namespace NanoT5.Tests.Tracking;

/// <summary>A fault the server applies to one request of an endpoint.</summary>
internal sealed record Fault(HttpStatusCode? Status = null, int? RetryAfterSeconds = null, TimeSpan? Delay = null, bool DropBefore = false, bool DropAfter = false,
    bool CutReply = false, string? Garbage = null, bool HalfJson = false, long HugeBodyBytes = 0)
{
    /// <summary>A complete HTTP 200 whose JSON body stops halfway (what a client sees when a proxy cuts the upstream reply).</summary>
    public static Fault TruncatedJson { get; } = new(HalfJson: true);

    /// <summary>The request is processed and a 200 starts, but the connection closes halfway through its body.</summary>
    public static Fault ClosedMidResponse { get; } = new(CutReply: true);

    /// <summary>A 200 whose body is not the API's JSON (a proxy's page).</summary>
    public static Fault Garbage200 { get; } = new(Garbage: "<html><body>Gateway says hello</body></html>");

    /// <summary>A 200 whose body is the empty JSON object (a stub or a misrouted proxy).</summary>
    public static Fault EmptyObject200 { get; } = new(Garbage: "{}");

    public static Fault Error500 { get; } = new(Status: HttpStatusCode.InternalServerError);

    public static Fault DroppedConnection { get; } = new(DropBefore: true);

    /// <summary>The request is processed, then the connection is cut: the client never sees the acknowledgement.</summary>
    public static Fault LostAck { get; } = new(DropAfter: true);

    public static Fault TooMany(int retryAfterSeconds) => new(Status: HttpStatusCode.TooManyRequests, RetryAfterSeconds: retryAfterSeconds);

    public static Fault Slow(TimeSpan delay) => new(Delay: delay);

    /// <summary>An error reply whose body streams <paramref name="bytes"/> bytes of text (a proxy's runaway error page).</summary>
    public static Fault HugeError(long bytes, HttpStatusCode status = HttpStatusCode.InternalServerError) => new(Status: status, HugeBodyBytes: bytes);
}
