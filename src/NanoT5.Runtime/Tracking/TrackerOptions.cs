// What a caller may change about a tracker beyond the experiment config: the clock, extra tags, where
// warnings go, and the backend (a test double or another tracker's adapter).
using NanoT5.Tracking.Remote;

namespace NanoT5.Tracking;

/// <summary>Options of <see cref="ExperimentTracker.Start"/>.</summary>
public sealed record TrackerOptions
{
    /// <summary>Clock of metric timestamps, timings and delivery pauses.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Tags added to the config's tracker tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Where warnings go (default: standard error).</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Reads environment variables (the token); replaceable in tests.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Folder whose git repository gives the commit (default: the current folder).</summary>
    public string? SourceDirectory { get; init; }

    /// <summary>Replaces the backend chosen by TrackerSettings.Kind (another tracker's adapter, or a test double); disposed at the end.</summary>
    public ITrackingBackend? Backend { get; init; }

    /// <summary>Retry, timeout and breaker timings; default from TrackerSettings.</summary>
    internal DeliveryOptions? Delivery { get; init; }
}
