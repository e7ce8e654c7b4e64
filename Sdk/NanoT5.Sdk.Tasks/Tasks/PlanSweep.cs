// MSBuild task: turns NanoT5SweepRun items into MSBuild invocations of the same project, one per run, after
// checking that every metadata name is a NanoT5 setting and every run name is unique.
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Sweep;
using NanoT5.Sdk.Validation;

namespace NanoT5.Sdk.Tasks;

public sealed class PlanSweep : NanoT5Task
{
    /// <summary>@(NanoT5SweepRun).</summary>
    public ITaskItem[] Runs { get; set; } = [];

    /// <summary>$(NanoT5Name): runs are named NAME-RUN unless they set NanoT5Name.</summary>
    [Required]
    public string BaseName { get; set; } = string.Empty;

    /// <summary>The project once per run, with AdditionalProperties, SweepRun and Overrides metadata.</summary>
    [Output]
    public ITaskItem[] Projects { get; private set; } = [];

    public override bool Execute()
    {
        var locator = new PropertyLocator(ProjectFile, [], [], new Dictionary<string, string>(), _ => null);
        if (Runs.Length == 0)
        {
            Report(new ProjectDiagnostic(
                DiagnosticCodes.SweepEmpty,
                "The Sweep target needs NanoT5SweepRun items, one per run, e.g. <NanoT5SweepRun Include=\"lr-1e-2\" NanoT5LearningRate=\"1e-2\" />.",
                ProjectFile,
                0,
                0));
            return false;
        }

        var projects = new List<ITaskItem>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (ITaskItem item in Runs)
        {
            if (!names.Add(item.ItemSpec))
            {
                PropertyLocation where = locator.LocateSweepRun(item.ItemSpec, null);
                Report(new ProjectDiagnostic(DiagnosticCodes.SweepRunDuplicate, $"Two NanoT5SweepRun items are named '{item.ItemSpec}'; each run needs its own name (it names the run folder).", where.File, where.Line, where.Column));
                continue;
            }

            var properties = new List<KeyValuePair<string, string>>();
            foreach (System.Collections.DictionaryEntry m in item.CloneCustomMetadata())
            {
                string name = (string)m.Key;
                Setting? setting = SettingTable.Find(name);
                if (setting is null || setting == SettingTable.SweepTarget || setting == SettingTable.SweepSummaryFile)
                {
                    PropertyLocation where = locator.LocateSweepRun(item.ItemSpec, name);
                    string? closest = NameRules.ClosestSetting(name);
                    string why = setting is not null ? $"{name} belongs to the whole sweep, not to one run"
                        : closest is null ? $"{name} is not a NanoT5 setting (Sdk/README.md lists them)"
                        : $"{name} is not a NanoT5 setting; did you mean {closest}?";
                    Report(new ProjectDiagnostic(DiagnosticCodes.SweepMetadataUnknown, $"NanoT5SweepRun '{item.ItemSpec}' cannot set {name}: {why}", where.File, where.Line, where.Column));
                    continue;
                }

                properties.Add(new KeyValuePair<string, string>(setting.Property, (string)m.Value!));
            }

            // Catalog order, so a run's overrides read the same whatever order MSBuild keeps metadata in.
            properties.Sort((a, b) => Index(a.Key).CompareTo(Index(b.Key)));
            var run = new SweepRun(item.ItemSpec, properties);
            var project = new TaskItem(ProjectFile);
            project.SetMetadata("AdditionalProperties", run.AdditionalProperties(BaseName));
            project.SetMetadata("SweepRun", run.Name);
            project.SetMetadata("Overrides", run.Overrides);
            projects.Add(project);
        }

        Projects = projects.ToArray();
        return !Log.HasLoggedErrors;
    }

    private static int Index(string property) => SettingTable.All.ToList().FindIndex(s => s.Property == property);
}
