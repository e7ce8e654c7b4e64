// tracking/outbox.json: which remote run the run folder is delivered to and how much of metrics.jsonl that
// run has acknowledged. Rewritten atomically after every acknowledged batch, so a restart resends only
// what may not have arrived (and a resent point is identical, so the tracker keeps it once).
namespace NanoT5.Tracking.Outbox;

/// <summary>
/// Delivery progress of one run folder to one destination. <paramref name="AcknowledgedPoints"/> counts the points
/// the tracker holds; <paramref name="SetAsidePoints"/> those it refused for good (tracking/set-aside.jsonl).
/// </summary>
public sealed record OutboxState(string Destination, string? RunId, long AcknowledgedOffset, long AcknowledgedPoints, long SetAsidePoints = 0)
{
    /// <summary>The state in <paramref name="path"/> if it is for <paramref name="destination"/>, else a fresh one.</summary>
    public static OutboxState Load(string path, string destination) =>
        Local.TrackingJson.TryLoad<OutboxState>(path) is { } saved && saved.Destination == destination
            ? saved
            : new OutboxState(destination, null, 0, 0);

    public void Save(string path) => Local.TrackingJson.Save(path, this);
}
