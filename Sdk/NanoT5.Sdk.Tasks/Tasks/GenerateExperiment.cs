// MSBuild task: writes Experiment.g.cs (the typed config) and, unless turned off, ExperimentProgram.g.cs (Main).
// Files are rewritten only when their text changes, so an unchanged config does not recompile the experiment.
using Microsoft.Build.Framework;
using NanoT5.Sdk.Generation;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Tasks;

public sealed class GenerateExperiment : ExperimentTask
{
    /// <summary>$(RootNamespace); made into a valid C# namespace.</summary>
    public string RootNamespace { get; set; } = string.Empty;

    [Required]
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>Where Main goes; empty = no generated Main (NanoT5GenerateProgram=false).</summary>
    public string? ProgramFile { get; set; }

    /// <summary>The files written or kept, for Compile.</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; private set; } = [];

    public override bool Execute()
    {
        ExperimentSettings settings = ReadSettings();
        if (settings.Problems.Count > 0)
        {
            // ValidateExperiment runs first and stops the build; this guards direct use.
            Log.LogError("NanoT5: the experiment has invalid settings; run the Validate target to see them.");
            return false;
        }

        string ns = ExperimentCodeWriter.Namespace(string.IsNullOrWhiteSpace(RootNamespace) ? Path.GetFileNameWithoutExtension(ProjectFile) : RootNamespace);
        var files = new List<ITaskItem> { Write(ConfigFile, ExperimentCodeWriter.Config(settings, ns, ProjectDirectory, Path.GetFileName(ProjectFile))) };
        if (!string.IsNullOrEmpty(ProgramFile))
        {
            files.Add(Write(ProgramFile!, ExperimentCodeWriter.Program(ns)));
        }

        GeneratedFiles = files.ToArray();
        return !Log.HasLoggedErrors;
    }

    private Microsoft.Build.Utilities.TaskItem Write(string path, string text)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full) || File.ReadAllText(full) != text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            Log.LogMessage(MessageImportance.Low, "NanoT5: wrote {0}", full);
        }

        return new Microsoft.Build.Utilities.TaskItem(full);
    }
}
