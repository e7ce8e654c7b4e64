// What ValidateExperiment and GenerateExperiment both read: the project, its NanoT5 properties and the mode.
using Microsoft.Build.Framework;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Tasks;

public abstract class ExperimentTask : NanoT5Task
{
    /// <summary>One item per NanoT5 property (Include = name, Value = the evaluated value); NanoT5.Settings.targets lists them.</summary>
    [Required]
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>The launch target's mode (pretrain, finetune, evaluate, predict); empty = NanoT5Mode.</summary>
    public string? Mode { get; set; }

    internal ExperimentSettings ReadSettings()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (ITaskItem item in Settings)
        {
            values[item.ItemSpec] = item.GetMetadata("Value");
        }

        return ExperimentSettings.Read(values, Mode);
    }
}
