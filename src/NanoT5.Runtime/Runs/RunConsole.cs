// Where a run speaks: its progress and results on one writer, warnings and errors on another. The process console
// in a run; writers of their own in tests and in a host that captures a run's output.
namespace NanoT5.Runs;

/// <summary>The writers a run reports to, and whether the first is a terminal a status line may redraw.</summary>
public sealed record RunConsole(TextWriter Out, TextWriter Error, bool Interactive)
{
    /// <summary>
    /// The process's standard output and error as they are now (under a launcher, the rank-prefixed writers):
    /// interactive unless standard output is redirected or CI is set.
    /// </summary>
    public static RunConsole Standard => new(Console.Out, Console.Error, !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null);
}
