// Base of the SDK's tasks: the project they work on and how a diagnostic is logged (code, file, line, help link).
using NanoT5.Sdk.Diagnostics;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace NanoT5.Sdk.Tasks;

public abstract class NanoT5Task : MSBuildTask
{
    /// <summary>The .t5proj ($(MSBuildProjectFullPath)).</summary>
    [Microsoft.Build.Framework.Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>docs/diagnostics.md (in the repository or the package), linked from every diagnostic.</summary>
    public string? HelpFile { get; set; }

    internal string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;

    internal void Report(ProjectDiagnostic d)
    {
        string? help = string.IsNullOrEmpty(HelpFile) ? null : new Uri(Path.GetFullPath(HelpFile)).AbsoluteUri + "#" + d.Descriptor.Anchor;
        if (d.Descriptor.Severity == Severity.Error)
        {
            Log.LogError(null, d.Descriptor.Code, null, help, d.File, d.Line, d.Column, 0, 0, d.Message);
        }
        else
        {
            Log.LogWarning(null, d.Descriptor.Code, null, help, d.File, d.Line, d.Column, 0, 0, d.Message);
        }
    }
}
