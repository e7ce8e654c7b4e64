// Part of ExperimentConfig: remote tracker; the token is read from an environment variable, never stored in config.
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Remote tracker; the token is read from an environment variable, never stored in config.</summary>
public sealed record TrackerSettings
{
    public TrackerKind Kind { get; init; } = SettingTable.Tracker.EnumDefault<TrackerKind>();

    /// <summary>Tracking server base URL (e.g. http://127.0.0.1:5000).</summary>
    public string? Url { get; init; }

    /// <summary>Experiment name on the tracker (defaults to the experiment name).</summary>
    public string? Experiment { get; init; }

    /// <summary>Environment variable holding the bearer token.</summary>
    public string TokenVariable { get; init; } = SettingTable.TrackerTokenVariable.DefaultText;

    /// <summary>Tags added to the run, as key=value pairs.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds the sender may take to deliver pending metrics at the end.</summary>
    public double DrainSeconds { get; init; } = SettingTable.TrackerDrainSeconds.NumberDefault;

    /// <summary>
    /// Seconds between deliveries while training: points logged meanwhile go out as one batch, so a
    /// run logging every step still sends about one request per interval.
    /// </summary>
    public double SendIntervalSeconds { get; init; } = SettingTable.TrackerSendInterval.NumberDefault;

    /// <summary>
    /// Seconds one request may take before it is abandoned and retried: a tracker answers log-batch in
    /// milliseconds, and a hung connection must not hold back delivery for minutes.
    /// </summary>
    public double RequestTimeoutSeconds { get; init; } = SettingTable.TrackerRequestTimeout.NumberDefault;
}
