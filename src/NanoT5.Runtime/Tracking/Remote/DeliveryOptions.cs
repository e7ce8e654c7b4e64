// Timing of delivery to a remote tracker. Two values come from TrackerSettings; the rest are defaults
// chosen for a tracker on a network (tests shrink them to milliseconds).
using NanoT5.Config;

namespace NanoT5.Tracking.Remote;

/// <summary>Retry, timeout and circuit-breaker settings of the background sender.</summary>
internal sealed record DeliveryOptions
{
    /// <summary>Pause between deliveries while training.</summary>
    public TimeSpan SendInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time one request may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of one operation before the sender gives up until its next round.</summary>
    public int MaxRetryAttempts { get; init; } = 4;

    /// <summary>First retry delay; doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest Retry-After honoured; a server asking for more is retried after this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failed calls within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    public int BreakerMinimumThroughput { get; init; } = 6;

    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit refuses calls before one probe is let through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest pause of the sender after failed rounds (the pause doubles per failed round).</summary>
    public TimeSpan MaxRoundBackoff { get; init; } = TimeSpan.FromSeconds(60);

    public static DeliveryOptions From(TrackerSettings settings) => new()
    {
        SendInterval = TimeSpan.FromSeconds(settings.SendIntervalSeconds),
        AttemptTimeout = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds),
    };
}
