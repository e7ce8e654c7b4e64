// The paths of the files tracking keeps in a run folder (ExperimentConfig.RunDirectory); their names are RunFolderLayout's.
using NanoT5.IO;

namespace NanoT5.Tracking.Local;

/// <summary>Paths of the files tracking keeps in a run folder.</summary>
public sealed record RunFolder(string Root)
{
    /// <summary>The experiment config the run was started with.</summary>
    public string ConfigFile => Path.Combine(Root, RunFolderLayout.ConfigFile);

    /// <summary>Every metric point, one JSON object per line; also the outbox of the remote sender.</summary>
    public string MetricsFile => Path.Combine(Root, RunFolderLayout.MetricsFile);

    /// <summary>Identity, status, timings, tags and last/best metric values.</summary>
    public string SummaryFile => Path.Combine(Root, RunFolderLayout.SummaryFile);

    /// <summary>Parameters: the flattened config plus any the loop logged.</summary>
    public string ParamsFile => Path.Combine(Root, RunFolderLayout.ParamsFile);

    public string PlotsDirectory => Path.Combine(Root, RunFolderLayout.PlotsDirectory);

    public string ArtifactsDirectory => Path.Combine(Root, RunFolderLayout.ArtifactsDirectory);

    /// <summary>Delivery state of the remote tracker: its run id and what it acknowledged.</summary>
    public string OutboxStateFile => Path.Combine(Root, RunFolderLayout.TrackingDirectory, RunFolderLayout.OutboxStateFile);

    /// <summary>Points and params the tracker refused for good, one JSON object per line with the reason.</summary>
    public string SetAsideFile => Path.Combine(Root, RunFolderLayout.TrackingDirectory, RunFolderLayout.SetAsideFile);
}
