// Part of ExperimentConfig: the ONNX export (the export verb, `dotnet build -t:Export`, `predict --engine onnx`).
// Its setting properties are generated from the settings table (Generated/ExportSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Where the ONNX export goes, what it exports and how it stores weights.</summary>
public sealed partial record ExportSettings
{
    /// <summary>The output folder of a run in <paramref name="runDirectory"/>.</summary>
    public string ResolveDirectory(string runDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Directory) ? Path.Combine(runDirectory, IO.RunFolderLayout.OnnxDirectory) : Directory);
}
