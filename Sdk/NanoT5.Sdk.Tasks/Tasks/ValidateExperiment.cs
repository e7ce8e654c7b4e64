// MSBuild task: every check of a .t5proj, logged as NTxxxx errors and warnings at the property's file and line.
using Microsoft.Build.Framework;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;
using NanoT5.Sdk.Validation;

namespace NanoT5.Sdk.Tasks;

public sealed class ValidateExperiment : ExperimentTask
{
    /// <summary>Files MSBuild evaluates before the project body ($(DirectoryBuildPropsPath)).</summary>
    public ITaskItem[] FilesBefore { get; set; } = [];

    /// <summary>Files evaluated after it ($(DirectoryBuildTargetsPath)).</summary>
    public ITaskItem[] FilesAfter { get; set; } = [];

    /// <summary>The NanoT5SweepRun this build runs, if any (its metadata are then global properties).</summary>
    public string? SweepRun { get; set; }

    public override bool Execute()
    {
        ExperimentSettings settings = ReadSettings();
        IReadOnlyDictionary<string, string> globals = (BuildEngine as IBuildEngine6)?.GetGlobalProperties() ?? new Dictionary<string, string>();
        var locator = new PropertyLocator(
            ProjectFile,
            FilesBefore.Select(f => f.ItemSpec),
            FilesAfter.Select(f => f.ItemSpec),
            globals,
            Environment.GetEnvironmentVariable,
            SweepRun);

        IReadOnlyList<ProjectDiagnostic> diagnostics = ExperimentValidator.Validate(settings, ProjectDirectory, locator);
        foreach (ProjectDiagnostic d in diagnostics)
        {
            Report(d);
        }

        int errors = diagnostics.Count(d => d.Descriptor.Severity == Severity.Error);
        Log.LogMessage(
            MessageImportance.Normal,
            "NanoT5: {0} validated for a {1} run: {2} error(s), {3} warning(s).",
            Path.GetFileName(ProjectFile),
            settings.Mode,
            errors,
            diagnostics.Count - errors);
        return !Log.HasLoggedErrors;
    }
}
