// The delivery of a run to a remote tracker: its backend and the background sender that reads metrics.jsonl and
// mirrors params and tags. Started once the run record is open; at the end it drains for up to
// TrackerSettings.DrainSeconds and says what the tracker has and has not received.
using NanoT5.Config;
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tracking.Outbox;

/// <summary>A started <see cref="OutboxSender"/> and the backend it sends to (disposed with it).</summary>
internal sealed class RemoteDelivery : IAsyncDisposable
{
    private readonly ITrackingBackend backend;
    private readonly OutboxSender sender;
    private readonly TimeSpan drainBudget;

    private RemoteDelivery(ITrackingBackend backend, OutboxSender sender, TimeSpan drainBudget)
    {
        this.backend = backend;
        this.sender = sender;
        this.drainBudget = drainBudget;
    }

    /// <summary>Starts delivering <paramref name="record"/>'s run to <paramref name="backend"/> in the background; touches no network here.</summary>
    public static RemoteDelivery Start(ITrackingBackend backend, ExperimentConfig config, RunRecord record, DeliveryOptions options, TimeProvider time, TrackerLog log)
    {
        var request = new RemoteRunRequest(config.Tracker.Experiment ?? config.Name, config.Name, record.RunUid, record.StartedAt, record.Tags(), record.GitCommit);
        var sender = new OutboxSender(backend, record.Journal, record.Folder, request, () => RunDataOf(record), options, time, log);
        sender.Start();
        return new RemoteDelivery(backend, sender, TimeSpan.FromSeconds(config.Tracker.DrainSeconds));
    }

    /// <summary>Reports the outcome and waits up to the drain budget for what is pending to be delivered.</summary>
    public async Task<RemoteSummary> DrainAsync(RunStatus status, DateTimeOffset endTime, CancellationToken cancellationToken)
    {
        long pending = await sender.DrainAsync(status, endTime, drainBudget, cancellationToken).ConfigureAwait(false);
        OutboxState delivered = sender.State;
        return new RemoteSummary(sender.Destination, delivered.RunId, delivered.AcknowledgedPoints, pending, delivered.SetAsidePoints);
    }

    public async ValueTask DisposeAsync()
    {
        await sender.DisposeAsync().ConfigureAwait(false);
        backend.Dispose();
    }

    private static RunData RunDataOf(RunRecord record)
    {
        (int version, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags) = record.ParamsAndTags();
        return new RunData(version, parameters, tags);
    }
}
