// The background sender: every SendInterval it opens the remote run (once), syncs params and tags when they
// changed, and sends the unacknowledged part of metrics.jsonl in batches, saving the acknowledged offset
// after each. The training thread only appends to the journal; all network work happens here.
// Exactly once rests on three things: a point keeps its timestamp, so a resend is identical; after any send whose
// outcome was not seen (a restart, a timeout, a lost reply, a refused batch) the next send first reads what the
// tracker holds for the batch's keys and sends only the rest (a stored NaN counts as stored); and a batch the
// tracker refuses is split until the points it refuses for good are found, set aside, and the rest delivered.
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Remote;
using Polly;
using Polly.CircuitBreaker;

namespace NanoT5.Tracking.Outbox;

/// <summary>Params and tags to mirror on the remote run; <see cref="Version"/> changes whenever they do.</summary>
internal sealed record RunData(int Version, IReadOnlyList<KeyValuePair<string, string>> Params, IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>The outcome to report once everything pending is delivered.</summary>
internal sealed record EndRequest(RunStatus Status, DateTimeOffset EndTime);

/// <summary>Delivers a run folder's metrics to a remote tracker in the background.</summary>
internal sealed class OutboxSender : IAsyncDisposable
{
    private readonly ITrackingBackend backend;
    private readonly MetricsJournal journal;
    private readonly string stateFile;
    private readonly Func<RunData> runData;
    private readonly DeliveryOptions options;
    private readonly TimeProvider time;
    private readonly TrackerLog log;
    private readonly ResiliencePipeline pipeline;
    private readonly SemaphoreSlim wake = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KeyClaims metricKeys;
    private readonly SetAsideLog setAside;
    private readonly MetricDelivery metrics;
    private readonly RunDataSync runDataSync;
    private readonly RemoteRunRequest openRequest;
    private readonly HashSet<string> warnedCollisions = new(StringComparer.Ordinal);
    private OutboxState state;
    private bool resumedRun;
    private bool stopped;
    private int sentRunDataVersion = -1;
    private int failedRounds;
    private EndRequest? ending;
    private Task loop = Task.CompletedTask;

    public OutboxSender(ITrackingBackend backend, MetricsJournal journal, RunFolder folder, RemoteRunRequest runRequest, Func<RunData> runData,
        DeliveryOptions options, TimeProvider time, TrackerLog log)
    {
        this.backend = backend;
        this.journal = journal;
        this.runData = runData;
        this.options = options;
        this.time = time;
        this.log = log;
        stateFile = folder.OutboxStateFile;
        Destination = $"{backend.Destination} experiment '{runRequest.Experiment}'";
        pipeline = DeliveryPipeline.Build(options, time, log);
        state = OutboxState.Load(stateFile, Destination);
        resumedRun = state.RunId is not null;
        setAside = new SetAsideLog(folder.SetAsideFile);
        // A restarted process cannot know whether its predecessor's last send arrived: it checks before sending.
        metrics = new MetricDelivery(backend, pipeline, setAside, log) { Uncertain = resumedRun };
        runDataSync = new RunDataSync(backend, pipeline, setAside, log);
        openRequest = runDataSync.Prepare(runRequest);
        // Keys are claimed in journal order, so every start gives a contested key to the same name.
        metricKeys = new KeyClaims(backend.RemoteKey);
        foreach (string name in journal.Read(0, int.MaxValue).Points.Select(p => p.Name).Distinct(StringComparer.Ordinal))
        {
            metricKeys.Rival(name);
        }

        if (state.AcknowledgedOffset > journal.Length)
        {
            // metrics.jsonl lost a tail that had been delivered (power loss before fsync): continue from its end.
            log.Warn($"{stateFile} acknowledges {state.AcknowledgedOffset} bytes but metrics.jsonl has {journal.Length}; continuing from its end.");
            state = state with { AcknowledgedOffset = journal.Length };
        }
    }

    public string Destination { get; }

    public OutboxState State => Volatile.Read(ref state);

    public void Start() => loop = Task.Run(() => RunAsync(stop.Token));

    /// <summary>Points in metrics.jsonl the tracker has not acknowledged.</summary>
    public long PendingPoints() => journal.Read(State.AcknowledgedOffset, int.MaxValue).Points.Count;

    /// <summary>
    /// Sends what is pending and the final status, for at most <paramref name="budget"/>; then stops the
    /// sender and returns how many points are still pending (they stay in the outbox for the next start).
    /// </summary>
    public async Task<long> DrainAsync(RunStatus status, DateTimeOffset endTime, TimeSpan budget, CancellationToken cancellationToken)
    {
        Volatile.Write(ref ending, new EndRequest(status, endTime));
        wake.Release();
        try
        {
            await finished.Task.WaitAsync(budget, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The budget is spent (or the caller stopped waiting): what is left stays in the outbox.
        }

        await StopAsync().ConfigureAwait(false);
        long pending = PendingPoints();
        if (pending > 0)
        {
            log.Warn($"{pending} metric points not delivered to {Destination} at the end; they stay in metrics.jsonl and are sent on the next start.");
        }

        return pending;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stop.Dispose();
        wake.Dispose();
    }

    private async Task StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            EndRequest? end = Volatile.Read(ref ending);
            try
            {
                if (!stopped)
                {
                    await DeliverAsync(end, cancellationToken).ConfigureAwait(false);
                }
                else if (end is not null && State.RunId is { } runId)
                {
                    // Delivery stopped, but the remote run still gets its outcome (it was marked RUNNING at this start).
                    await ExecuteAsync(ct => backend.UpdateRunAsync(runId, end.Status, end.EndTime, ct), cancellationToken).ConfigureAwait(false);
                }

                if (failedRounds > 0)
                {
                    log.Warn($"delivery to {Destination} resumed.");
                }

                failedRounds = 0;
                if (end is not null)
                {
                    finished.TrySetResult();
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (DeliveryPipeline.IsTransient(e) || e is BrokenCircuitException)
            {
                if (failedRounds++ == 0)
                {
                    log.Warn($"tracker unreachable ({DeliveryPipeline.Describe(e)}); metrics stay in metrics.jsonl and are sent when it is back.");
                }
            }
#pragma warning disable CA1031 // A tracker failure of any kind must not escape into training; it is reported and delivery stops.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (stopped)
                {
                    log.Warn($"the final status of the remote run could not be set: {DeliveryPipeline.Describe(e)}.");
                    finished.TrySetResult();
                    return;
                }

                log.Warn($"delivery to {Destination} stopped: {DeliveryPipeline.Describe(e)}. Unsent metrics stay in metrics.jsonl and are sent on the next start.");
                stopped = true;
                continue; // An end request already made still sets the remote run's status.
            }

            await PauseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(EndRequest? end, CancellationToken cancellationToken)
    {
        string runId = await OpenRunAsync(cancellationToken).ConfigureAwait(false);
        await SyncRunDataAsync(runId, cancellationToken).ConfigureAwait(false);
        for (MetricBatch batch; (batch = journal.Read(State.AcknowledgedOffset, backend.MaxMetricsPerBatch)).EndOffset > State.AcknowledgedOffset;)
        {
            if (batch.MalformedLines > 0)
            {
                log.Warn($"skipped {batch.MalformedLines} unreadable line(s) of metrics.jsonl after byte {State.AcknowledgedOffset}.");
            }

            int setAsideHere = 0;
            if (batch.Points.Count > 0)
            {
                // What the tracker acknowledges must also survive a power loss here.
                journal.FlushToDisk();
                List<MetricPoint> sendable = [];
                foreach (MetricPoint point in batch.Points)
                {
                    if (metricKeys.Rival(point.Name) is { } rival)
                    {
                        SetAsideCollision(point, rival);
                        setAsideHere++;
                    }
                    else
                    {
                        sendable.Add(point);
                    }
                }

                setAsideHere += await metrics.DeliverAsync(runId, sendable, cancellationToken).ConfigureAwait(false);
            }

            Acknowledge(State with
            {
                AcknowledgedOffset = batch.EndOffset,
                AcknowledgedPoints = State.AcknowledgedPoints + batch.Points.Count - setAsideHere,
                SetAsidePoints = State.SetAsidePoints + setAsideHere,
            });
        }

        if (end is not null)
        {
            await ExecuteAsync(ct => backend.UpdateRunAsync(runId, end.Status, end.EndTime, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> OpenRunAsync(CancellationToken cancellationToken)
    {
        if (State.RunId is { } existing)
        {
            if (resumedRun)
            {
                // A restarted process continues the same remote run, which a crash may have left in any state.
                await ExecuteAsync(ct => backend.UpdateRunAsync(existing, RunStatus.Running, null, ct), cancellationToken).ConfigureAwait(false);
                resumedRun = false;
            }

            return existing;
        }

        string runId = await pipeline.ExecuteAsync(async ct => await backend.OpenRunAsync(openRequest, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        Acknowledge(State with { RunId = runId });
        return runId;
    }

    private async Task SyncRunDataAsync(string runId, CancellationToken cancellationToken)
    {
        RunData data = runData();
        if (data.Version == sentRunDataVersion)
        {
            return;
        }

        await runDataSync.SyncAsync(runId, data, cancellationToken).ConfigureAwait(false);
        sentRunDataVersion = data.Version;
    }

    private void SetAsideCollision(MetricPoint point, string rival)
    {
        string key = backend.RemoteKey(point.Name);
        setAside.Metric(point, $"its tracker key '{key}' belongs to metric '{rival}'");
        if (warnedCollisions.Add(point.Name))
        {
            log.Warn($"metric '{point.Name}' is not sent: the tracker stores it under '{key}', the key of metric '{rival}' (the two series would merge); its points are set aside in {setAside.Path}.");
        }
    }

    private void Acknowledge(OutboxState next)
    {
        next.Save(stateFile);
        Volatile.Write(ref state, next);
    }

    private Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).AsTask();

    // The send interval while healthy; after failed rounds it doubles per round up to MaxRoundBackoff. An
    // end request cuts the pause short.
    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        double factor = failedRounds == 0 ? 1 : Math.Pow(2, Math.Min(failedRounds - 1, 16));
        TimeSpan pause = TimeSpan.FromTicks((long)Math.Min(options.SendInterval.Ticks * factor, options.MaxRoundBackoff.Ticks));
        using var timeout = new CancellationTokenSource(pause, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The pause is over (or the sender stops; the loop checks).
        }
    }
}
