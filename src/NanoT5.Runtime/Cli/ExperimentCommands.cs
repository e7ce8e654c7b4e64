// The verbs that run an experiment: pretrain and evaluate (fine-tune and predict live with fine-tuning).
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Training;

namespace NanoT5.Cli;

/// <summary>Builds the experiment verbs.</summary>
public static class ExperimentCommands
{
    /// <summary>`pretrain [--config FILE]`.</summary>
    public static Command Pretrain(ExperimentConfig? experiment) =>
        Create("pretrain", "Pretrain with span corruption as the experiment says (resumes from its run folder's latest checkpoint).", experiment,
            config => PretrainingRun.Pretrain(config with { Mode = RunMode.Pretrain }, CallbackDiscovery.In(System.Reflection.Assembly.GetEntryAssembly())));

    /// <summary>`evaluate [--config FILE]`.</summary>
    public static Command Evaluate(ExperimentConfig? experiment) =>
        Create("evaluate", "Evaluation only: validation loss (NLL) and token accuracy of model.init_from or the run's latest checkpoint.", experiment,
            config => PretrainingRun.Evaluate(config with { Mode = RunMode.Evaluate }));

    /// <summary>A verb that resolves the experiment config and runs <paramref name="run"/> on it.</summary>
    public static Command Create(string name, string description, ExperimentConfig? experiment, Func<ExperimentConfig, int> run)
    {
        var config = ExperimentConfigOption.Create();
        var command = new Command(name, description) { config };
        command.SetAction(parse => run(ExperimentConfigOption.Resolve(parse.GetValue(config), experiment)));
        return command;
    }
}
