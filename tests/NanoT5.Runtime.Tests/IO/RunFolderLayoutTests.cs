// Run folders written by earlier versions must still resume: the names a run writes never change.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.IO;
using NanoT5.Runs;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.IO;

public sealed class RunFolderLayoutTests
{
    [Fact]
    public void Names_AreTheOnesEarlierRunsWrote()
    {
        Assert.Equal(
            ["config.resolved.json", "metrics.jsonl", "summary.json", "params.json", "plots", "artifacts", "tracking", "outbox.json", "set-aside.jsonl",
                "checkpoints", "latest", "model", "onnx", "predictions.jsonl", "evaluations", "predictions", "resume-refused.txt", "inputs.json",
                ".downloads", ".nanot5-run.json", ".nanot5-written", ".nanot5.lock"],
            [RunFolderLayout.ConfigFile, RunFolderLayout.MetricsFile, RunFolderLayout.SummaryFile, RunFolderLayout.ParamsFile, RunFolderLayout.PlotsDirectory,
                RunFolderLayout.ArtifactsDirectory, RunFolderLayout.TrackingDirectory, RunFolderLayout.OutboxStateFile, RunFolderLayout.SetAsideFile,
                RunFolderLayout.CheckpointsDirectory, RunFolderLayout.LatestCheckpointFile, RunFolderLayout.ModelDirectory, RunFolderLayout.OnnxDirectory,
                RunFolderLayout.PredictionsFile, RunFolderLayout.EvaluationsDirectory, RunFolderLayout.PredictionsDirectory, RunFolderLayout.ResumeRefusalFile,
                RunFolderLayout.InputsFile, RunFolderLayout.DownloadsDirectory, RunFolderLayout.MarkerFile, RunFolderLayout.RecordFile, RunFolderLayout.LockFile]);
    }

    [Fact]
    public void Writers_TakeTheirPathsFromTheLayout()
    {
        string root = Path.Combine(Path.GetTempPath(), "run");
        var tracking = new RunFolder(root);

        Assert.Equal(
            [Path.Combine(root, "config.resolved.json"), Path.Combine(root, "metrics.jsonl"), Path.Combine(root, "summary.json"), Path.Combine(root, "params.json"),
                Path.Combine(root, "plots"), Path.Combine(root, "artifacts"), Path.Combine(root, "tracking", "outbox.json"), Path.Combine(root, "tracking", "set-aside.jsonl"),
                Path.Combine(root, "checkpoints"), Path.Combine(root, "onnx")],
            [tracking.ConfigFile, tracking.MetricsFile, tracking.SummaryFile, tracking.ParamsFile, tracking.PlotsDirectory, tracking.ArtifactsDirectory,
                tracking.OutboxStateFile, tracking.SetAsideFile, new TrainingCheckpointStore(root, 1).Root, new ExportSettings().ResolveDirectory(root)]);
        Assert.Equal((".nanot5.lock", ".nanot5-run.json", ".nanot5-written", "inputs.json", "resume-refused.txt"),
            (RunFolderLock.FileName, RunFolderRecord.MarkerFile, RunFolderRecord.RecordFile, RunInputs.FileName, RunIdentity.RefusalFile));
    }
}
