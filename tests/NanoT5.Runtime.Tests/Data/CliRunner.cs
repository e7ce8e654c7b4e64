// Runs a verb of the runtime in-process and captures standard output (test collections run one at a time).
using NanoT5.Cli;

namespace NanoT5.Tests.Data;

internal static class CliRunner
{
    public static (int Exit, string Output) Run(string[] args)
    {
        TextWriter original = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            return (CommandLine.Run(args), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
