// MSBuild task: the run's name when -p: overrides shape the model (RunNaming), so a sweep of -p: values writes
// one run folder per value instead of resuming, or being refused by, the run of the plain project.
using Microsoft.Build.Framework;
using NanoT5.Config.Settings;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Tasks;

public sealed class NameRun : NanoT5Task
{
    /// <summary>$(NanoT5Name) as the project (or the SDK's default) sets it.</summary>
    [Required]
    public string BaseName { get; set; } = string.Empty;

    /// <summary>The run's name: <see cref="BaseName"/>, or it with the overrides that name the run.</summary>
    [Output]
    public string RunName { get; private set; } = string.Empty;

    public override bool Execute()
    {
        IReadOnlyDictionary<string, string> globals = (BuildEngine as IBuildEngine6)?.GetGlobalProperties() ?? new Dictionary<string, string>();
        // A name given on the command line, or by a NanoT5SweepRun item, is the user's choice.
        string[] naming = ["NanoT5Name", "NanoT5RunDirectory", "_NanoT5SweepRun"];
        bool named = globals.Keys.Any(k => naming.Contains(k, StringComparer.OrdinalIgnoreCase));
        RunName = named ? BaseName : RunNaming.Name(BaseName, globals);
        if (RunName != BaseName)
        {
            Log.LogMessage(MessageImportance.High, "NanoT5: -p: overrides name this run {0} ({1} = false keeps {2})", RunName, SettingTable.NameFromOverrides.Property, BaseName);
        }

        return true;
    }
}
