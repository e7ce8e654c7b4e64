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

    /// <summary>
    /// The validated config; throws <see cref="InvalidDataException"/> naming the source and the settings. A file's
    /// missing settings get the defaults of <paramref name="mode"/> (the verb's; null = the file's own mode).
    /// </summary>
    public static ExperimentConfig Resolve(FileInfo? file, ExperimentConfig? generated, RunMode? mode = null)
    {
        if (file is not null)
        {
            ExperimentConfig loaded = ExperimentConfigJson.Load(file.FullName, mode);
            loaded = mode is RunMode m ? loaded with { Mode = m } : loaded;
            ExperimentConfigValidation.ThrowIfInvalid(loaded, file.FullName);
            return loaded;
        }

        if (generated is null)
        {
            throw new InvalidDataException("No experiment config: pass --config FILE, or run an experiment project (dotnet build -t:Pretrain).");
        }

        generated = mode is RunMode run ? generated with { Mode = run } : generated;
        ExperimentConfigValidation.ThrowIfInvalid(generated, $"experiment '{generated.Name}'");
        return generated;
    }
}
