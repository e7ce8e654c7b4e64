// The verbs of the runtime, one class each; this file only assembles them.
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>Entry point shared by the runtime program and experiment programs.</summary>
public static class CommandLine
{
    /// <summary>
    /// Parses <paramref name="args"/> and runs the chosen verb; returns the process exit code.
    /// <paramref name="experiment"/> is the config an experiment program was generated with; verbs that
    /// run an experiment use it unless <c>--config</c> names a JSON file.
    /// </summary>
    public static int Run(string[] args, ExperimentConfig? experiment = null)
    {
        var root = new RootCommand("NanoT5: pretrain and fine-tune T5 v1.1 models with TorchSharp.");
        var libTorch = new Option<string>("--libtorch")
        {
            Recursive = true,
            Description = $"Folder with a libtorch and TorchSharp's shim built against it (eng/build-libtorchsharp.sh); overrides the config's lib_torch and {Native.LibTorchFolder.EnvironmentVariable}.",
        };
        root.Options.Add(libTorch);
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ParityCommand.Create());
        root.Subcommands.Add(ShowConfigCommand.Create(experiment));
        root.Subcommands.Add(ExperimentCommands.Pretrain(experiment));
        root.Subcommands.Add(ExperimentCommands.Finetune(experiment));
        root.Subcommands.Add(ExperimentCommands.Evaluate(experiment));
        root.Subcommands.Add(ExperimentCommands.Predict(experiment));
        root.Subcommands.Add(ExperimentCommands.Export(experiment));
        root.Subcommands.Add(ScheduleCommand.Create());
        root.Subcommands.Add(BenchOptimizerCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(TrackingCheckCommand.Create(experiment));
        root.Subcommands.Add(TokenizerCommand.Create());
        root.Subcommands.Add(BenchDataCommand.Create());
        root.Subcommands.Add(RougeCommand.Create());
        root.Subcommands.Add(NativeInfoCommand.Create(experiment));
        root.Subcommands.Add(SettingsCommand.Create());
        int code;
        try
        {
            ParseResult parsed = root.Parse(args);
            Native.TorchNative.UseLibTorch(parsed.GetValue(libTorch), "--libtorch");
            code = parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (ExitCodes.Of(e, Distributed.ProcessGroups.Current.Size) is int failed)
        {
            // An explained outcome (bad input, a folder in use, a failed write) is one line naming the file or setting;
            // anything else only reaches here in a job of several ranks, where it must end the job, not leave it waiting.
            Console.Error.WriteLine($"error: {(ExitCodes.IsExplained(e) ? e.Message : e.ToString())}");
            code = failed;
        }

        Distributed.ProcessGroups.End(code, ExitCodes.ReachedTogether(code));
        return code;
    }
}
