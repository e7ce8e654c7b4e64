// summary.json: what a person or a sweep wants from a run without reading every metric line.
namespace NanoT5.Tracking.Local;

/// <summary>A metric value at a step.</summary>
public sealed record StepValue(long Step, double Value);

/// <summary>Statistics of one metric series.</summary>
public sealed record MetricSummary(long Count, StepValue Last, StepValue? Min, StepValue? Max, StepValue? Best, double Mean);

/// <summary>The whole summary.json document.</summary>
public sealed record RunSummary
{
    public required string Name { get; init; }

    /// <summary>Stable id of this run across restarts; also tags the remote run so it is found again.</summary>
    public required string RunUid { get; init; }

    public RunStatus Status { get; init; }

    /// <summary>When the run was first started (a resumed run keeps it).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When this process started the run (differs from StartedAt after a resume).</summary>
    public DateTimeOffset ResumedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Wall-clock seconds from the first start to the end (or to the last summary write).</summary>
    public double WallSeconds { get; init; }

    /// <summary>How many processes have run this run folder (1 + resumes).</summary>
    public int Starts { get; init; }

    public string? GitCommit { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Largest step of any metric.</summary>
    public long? LastStep { get; init; }

    public long Points { get; init; }

    public IReadOnlyDictionary<string, MetricSummary> Metrics { get; init; } = new Dictionary<string, MetricSummary>();

    /// <summary>Delivery to the remote tracker, when one is configured.</summary>
    public RemoteSummary? Remote { get; init; }
}

/// <summary>What the remote tracker has and has not received.</summary>
public sealed record RemoteSummary(string Destination, string? RunId, long DeliveredPoints, long PendingPoints, long SetAsidePoints = 0);
