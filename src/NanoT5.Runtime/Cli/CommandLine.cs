// The verbs of the runtime, one class each; this file only assembles them.
using System.CommandLine;

namespace NanoT5.Cli;

/// <summary>Entry point shared by the runtime program and experiment programs.</summary>
public static class CommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen verb; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("NanoT5: pretrain and fine-tune T5 v1.1 models with TorchSharp.");
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ParityCommand.Create());
        return root.Parse(args).Invoke();
    }
}
