// What EndAsync tells the caller: enough to print a closing line and to know nothing was lost.
using NanoT5.Tracking.Plots;

namespace NanoT5.Tracking;

/// <summary>The outcome of a tracked run.</summary>
public sealed record TrackingReport
{
    public required RunStatus Status { get; init; }

    public required string RunDirectory { get; init; }

    /// <summary>Metric points in metrics.jsonl.</summary>
    public long Points { get; init; }

    /// <summary>Points ignored because their metric already had a value at that step (a replay after resume).</summary>
    public long ReplayedPointsIgnored { get; init; }

    public IReadOnlyList<PlotFile> Plots { get; init; } = [];

    /// <summary>The remote run, when a tracker is configured and the run was opened there.</summary>
    public string? RemoteRunId { get; init; }

    /// <summary>Points the tracker acknowledged over the run's lifetime.</summary>
    public long DeliveredPoints { get; init; }

    /// <summary>Points not yet acknowledged; they stay in the outbox and go out on the next start.</summary>
    public long PendingPoints { get; init; }

    /// <summary>Points the tracker refused for good (tracking/set-aside.jsonl says which and why).</summary>
    public long SetAsidePoints { get; init; }

    /// <summary>Warnings raised while tracking (token-free).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One line for the console.</summary>
    public string Describe() =>
        $"run {Status.ToString().ToLowerInvariant()}: {Points} metric points in {RunDirectory}"
        + (RemoteRunId is null && DeliveredPoints == 0 && PendingPoints == 0 ? string.Empty
            : $"; tracker run {RemoteRunId ?? "(not opened)"}: {DeliveredPoints} delivered, {PendingPoints} pending"
              + (SetAsidePoints == 0 ? string.Empty : $", {SetAsidePoints} set aside (refused by the tracker)"));
}
