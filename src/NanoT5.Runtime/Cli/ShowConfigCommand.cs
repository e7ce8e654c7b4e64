// `show-config`: prints the resolved experiment config as JSON (what a run would write to its folder).
using System.CommandLine;
using NanoT5.Config;

namespace NanoT5.Cli;

/// <summary>The show-config verb.</summary>
public static class ShowConfigCommand
{
    public static Command Create(ExperimentConfig? experiment)
    {
        var config = ExperimentConfigOption.Create();
        var command = new Command("show-config", "Validate the experiment config and print it as JSON.") { config };
        command.SetAction(parse =>
        {
            Console.Write(ExperimentConfigJson.Serialize(ExperimentConfigOption.Resolve(parse.GetValue(config), experiment)));
            return 0;
        });
        return command;
    }
}
