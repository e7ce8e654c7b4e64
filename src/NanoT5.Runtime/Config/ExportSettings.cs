// Part of ExperimentConfig: the ONNX export (the export verb, `dotnet build -t:Export`, `predict --engine onnx`).
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Where the ONNX export goes, what it exports and how it stores weights.</summary>
public sealed record ExportSettings
{
    /// <summary>Output folder; empty = the run folder's onnx/ (where predict --engine onnx looks).</summary>
    public string Directory { get; init; } = SettingTable.ExportDirectory.DefaultText;

    /// <summary>The weights to export: empty = the run's latest checkpoint, else model.init_from; or a run, checkpoint or HF model folder.</summary>
    public string From { get; init; } = SettingTable.ExportFrom.DefaultText;

    /// <summary>fp32, or fp16 weights computed in fp32.</summary>
    public ExportWeights Weights { get; init; } = SettingTable.ExportWeights.EnumDefault<ExportWeights>();

    /// <summary>The output folder of a run in <paramref name="runDirectory"/>.</summary>
    public string ResolveDirectory(string runDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Directory) ? Path.Combine(runDirectory, IO.RunFolderLayout.OnnxDirectory) : Directory);
}
