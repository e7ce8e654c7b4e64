// Sends metric batches so that the tracker holds each point exactly once, whatever it stored before:
// - after a send whose outcome is unknown (this process restarted on a run, an attempt timed out or lost its
//   reply, a batch was refused after the SQL store had committed part of it), the next send reads the history of
//   the batch's keys and sends only the points not there; MLflow's file store would store a resent point twice,
//   and its SQL store refuses a resent NaN (and a resent batch of more than 100) with a 400;
// - a batch the tracker refuses is split in halves until the single points it refuses are found; those are set
//   aside (tracking/set-aside.jsonl, one warning) and everything else is delivered.
using NanoT5.Tracking.Remote;
using Polly;

namespace NanoT5.Tracking.Outbox;

/// <summary>Exactly-once delivery of metric batches to one remote run.</summary>
internal sealed class MetricDelivery(ITrackingBackend backend, ResiliencePipeline pipeline, SetAsideLog setAside, TrackerLog log)
{
    // What the tracker held for each key when last read; valid until the next send.
    private Dictionary<string, HashSet<(long Step, long Timestamp, long ValueBits)>>? history;
    private long setAsideWarnings;

    /// <summary>Whether the tracker may hold points past the acknowledged offset (true after a restart).</summary>
    public bool Uncertain { get; set; }

    /// <summary>Delivers <paramref name="points"/>; returns how many were set aside.</summary>
    public async Task<int> DeliverAsync(string runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        try
        {
            await pipeline.ExecuteAsync(async ct => await SendUnstoredAsync(runId, points, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (TrackerRequestException e) when (TrackerRefusal.Is(e))
        {
            Forget(); // The SQL store commits the first chunks of a batch it then refuses.
            if (points.Count == 1)
            {
                SetAside(points[0], e.Message);
                return 1;
            }

            IReadOnlyList<MetricPoint> rest = await pipeline.ExecuteAsync(async ct => await UnstoredAsync(runId, points, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            int half = rest.Count / 2;
            return rest.Count == 0 ? 0
                : rest.Count == 1 ? await DeliverAsync(runId, rest, cancellationToken).ConfigureAwait(false)
                : await DeliverAsync(runId, [.. rest.Take(half)], cancellationToken).ConfigureAwait(false)
                  + await DeliverAsync(runId, [.. rest.Skip(half)], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendUnstoredAsync(string runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        IReadOnlyList<MetricPoint> rest = Uncertain ? await UnstoredAsync(runId, points, cancellationToken).ConfigureAwait(false) : points;
        if (rest.Count == 0)
        {
            return;
        }

        Forget();
        Uncertain = true; // until the reply is seen: a timeout or a lost reply leaves the outcome unknown
        await backend.LogBatchAsync(runId, rest, [], cancellationToken).ConfigureAwait(false);
        // Part of this batch was already there: the next batch may be too (a resend after a lost acknowledgement).
        Uncertain = rest.Count < points.Count;
    }

    /// <summary>The points of <paramref name="points"/> the tracker does not hold.</summary>
    private async Task<IReadOnlyList<MetricPoint>> UnstoredAsync(string runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        Uncertain = true;
        history ??= [];
        foreach (string name in points.Select(p => p.Name).Distinct(StringComparer.Ordinal))
        {
            if (!history.ContainsKey(name))
            {
                IReadOnlyList<MetricPoint> stored = await backend.GetHistoryAsync(runId, name, cancellationToken).ConfigureAwait(false);
                history[name] = [.. stored.Select(Identity)];
            }
        }

        return [.. points.Where(p => !history[p.Name].Contains(Identity(p)))];
    }

    private void Forget() => history = null;

    private void SetAside(MetricPoint point, string reason)
    {
        setAside.Metric(point, reason);
        if (setAsideWarnings++ < 10)
        {
            log.Warn($"{point.Name} at step {point.Step} is refused by the tracker ({reason}); it is set aside in {setAside.Path} and delivery goes on.");
        }
    }

    // A point as the tracker's store compares it. A NaN equals a stored NaN (MLflow's SQL store cannot tell, which
    // is why a resent NaN fails there); an infinity equals the largest double, which the SQL store stores instead.
    private static (long Step, long Timestamp, long ValueBits) Identity(MetricPoint point)
    {
        double value = double.IsNaN(point.Value) ? double.NaN
            : Math.Abs(point.Value) == double.MaxValue ? Math.CopySign(double.PositiveInfinity, point.Value)
            : point.Value;
        return (point.Step, point.TimestampMs, BitConverter.DoubleToInt64Bits(value));
    }
}
