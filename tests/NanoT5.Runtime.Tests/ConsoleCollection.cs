// Tests that redirect the process-wide Console run one at a time in this collection.
namespace NanoT5.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";

    /// <summary>Runs <paramref name="action"/> with Console.Out and Console.Error captured; returns its result and stdout.</summary>
    public static (T Result, string Output) Capture<T>(Func<T> action)
    {
        (T result, string output, _) = CaptureWithError(action);
        return (result, output);
    }

    /// <summary>Runs <paramref name="action"/> with Console.Out and Console.Error captured; returns its result, stdout and stderr.</summary>
    public static (T Result, string Output, string Error) CaptureWithError<T>(Func<T> action)
    {
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (action(), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
