// The --config option shared by every verb that runs an experiment.
using System.CommandLine;
using NanoT5.Config;

namespace NanoT5.Cli;

/// <summary>Resolves the experiment a verb runs: --config FILE, else the generated config of an experiment program.</summary>
public static class ExperimentConfigOption
{
    /// <summary>A new --config option.</summary>
    public static Option<FileInfo?> Create() =>
        new("--config") { Description = "Experiment config as JSON (config.resolved.json of a run, or written by hand)." };

    /// <summary>The validated config; throws <see cref="InvalidDataException"/> naming the source and the settings.</summary>
    public static ExperimentConfig Resolve(FileInfo? file, ExperimentConfig? generated)
    {
        if (file is not null)
        {
            ExperimentConfig loaded = ExperimentConfigJson.Load(file.FullName);
            ExperimentConfigValidation.ThrowIfInvalid(loaded, file.FullName);
            return loaded;
        }

        if (generated is null)
        {
            throw new InvalidDataException("No experiment config: pass --config FILE, or run an experiment project (dotnet build -t:Pretrain).");
        }

        ExperimentConfigValidation.ThrowIfInvalid(generated, $"experiment '{generated.Name}'");
        return generated;
    }
}
