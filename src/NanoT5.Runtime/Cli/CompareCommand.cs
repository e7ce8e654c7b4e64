// `compare`: draws several runs' curves of a metric on one figure (nanoT5's optimizer/schedule comparison).
using System.CommandLine;
using NanoT5.Runs;
using NanoT5.Tracking.Plots;

namespace NanoT5.Cli;

/// <summary>The compare verb.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var runs = new Argument<DirectoryInfo[]>("runs") { Description = "Run folders to compare (each holds a metrics.jsonl), or a folder of them (a sweep's runs/).", Arity = ArgumentArity.OneOrMore };
        var metrics = new Option<string[]>("--metric")
        {
            Description = "Metric to draw; repeat for one figure per metric (default: every metric all the runs logged).",
        };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder of the PNG files (default: the current folder).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var command = new Command("compare", "Draw a metric of several runs on one figure, one PNG per metric.") { runs, metrics, output };
        command.SetAction(parse =>
        {
            string[] folders = [.. parse.GetValue(runs)!.Select(d => d.FullName)];
            string[] chosen = parse.GetValue(metrics) ?? [];
            foreach (string metric in chosen.Length > 0 ? chosen : ComparisonPlot.SharedMetrics(folders))
            {
                PlotFile file = ComparisonPlot.Draw(folders, metric, Path.Combine(parse.GetValue(output)!.FullName, ComparisonPlot.FileNameFor(metric)));
                Console.WriteLine($"{file.Path}: {metric}, " + string.Join(", ", file.Series.Select(s => $"{s.Label} ({Points(s.Steps.Count)})")));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Points(int count) => count == 1 ? "1 point" : $"{count} points";
}
