// MSBuild task, run by every launch target before it builds: the weights a run starts from must exist now (Validate
// only warns, NT1009, since an earlier run may still make them). Said in a second rather than after the build
// and the runtime's start-up, with the experiment that makes them.
using Microsoft.Build.Framework;
using NanoT5.Config.Settings;
using NanoT5.IO;
using NanoT5.Runs;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Validation;

namespace NanoT5.Sdk.Tasks;

public sealed class CheckLaunch : NanoT5Task
{
    /// <summary>$(NanoT5InitFrom).</summary>
    public string? InitFrom { get; set; }

    /// <summary>$(NanoT5RunDirectory): a run folder with checkpoints resumes (or is evaluated) without init_from.</summary>
    public string? RunDirectory { get; set; }

    /// <summary>The launch mode (pretrain, finetune, evaluate, predict); empty for show-config.</summary>
    public string? Mode { get; set; }

    public override bool Execute()
    {
        if (string.IsNullOrWhiteSpace(InitFrom) || string.IsNullOrEmpty(Mode))
        {
            return true;
        }

        string full = PathRules.Resolve(ProjectDirectory, InitFrom!.Trim());
        string checkpoints = PathRules.Resolve(ProjectDirectory, Path.Combine(RunDirectory ?? string.Empty, RunFolderLayout.CheckpointsDirectory));
        bool hasCheckpoints = Directory.Exists(checkpoints) && Directory.GetDirectories(checkpoints, "step-*").Length > 0;
        if (File.Exists(full) || Directory.Exists(full) || hasCheckpoints)
        {
            return true;
        }

        IReadOnlyDictionary<string, string> globals = (BuildEngine as IBuildEngine6)?.GetGlobalProperties() ?? new Dictionary<string, string>();
        PropertyLocation where = new PropertyLocator(ProjectFile, [], [], globals, Environment.GetEnvironmentVariable).Locate(SettingTable.InitFrom.Property, InitFrom);
        Report(new ProjectDiagnostic(
            DiagnosticCodes.InitFromMissingAtLaunch,
            $"{SettingTable.InitFrom.Property}: '{full}' does not exist, so {Mode} has no weights to start from.{InitFromHint.For(full)}",
            where.File,
            where.Line,
            where.Column));
        return false;
    }
}
