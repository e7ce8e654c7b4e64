// One point of a metric series: the unit the local journal stores and the outbox delivers.
namespace NanoT5.Tracking;

/// <summary>
/// A metric value at a training step. <paramref name="TimestampMs"/> (Unix milliseconds) is fixed when the
/// point is logged, so a resent point is identical to the first send and the tracker stores it once.
/// </summary>
public readonly record struct MetricPoint(string Name, long Step, double Value, long TimestampMs);
