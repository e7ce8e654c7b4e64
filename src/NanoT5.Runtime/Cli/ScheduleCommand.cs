// `schedule`: prints learning-rate curves (cosine vs legacy vs constant) for the first N steps.
using System.CommandLine;
using System.Globalization;
using NanoT5.Config;
using NanoT5.Optim;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>The schedule verb.</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var defaults = new OptimizerSettings();
        var totalSteps = new Option<long>("--total-steps") { DefaultValueFactory = _ => defaults.TotalSteps, Description = "Optimizer steps of the run." };
        var warmupSteps = new Option<long>("--warmup-steps") { DefaultValueFactory = _ => defaults.WarmupSteps, Description = "Warm-up steps (cosine)." };
        var baseLr = new Option<double>("--base-lr") { DefaultValueFactory = _ => defaults.BaseLr, Description = "Base learning rate (legacy ignores it)." };
        var finalCosine = new Option<double>("--final-cosine") { DefaultValueFactory = _ => defaults.FinalCosine, Description = "Final cosine learning rate." };
        var rows = new Option<int>("--steps") { DefaultValueFactory = _ => 20, Description = "Rows to print." };
        var every = new Option<long>("--every") { DefaultValueFactory = _ => 1, Description = "Stride between printed steps." };
        var schedules = new Option<string[]>("--schedules") { DefaultValueFactory = _ => ["cosine", "legacy"], Description = "Which schedules to print (cosine, legacy, constant).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("schedule", "Print learning-rate schedules step by step (nanoT5's cosine vs T5's legacy inverse square root).")
        {
            totalSteps, warmupSteps, baseLr, finalCosine, rows, every, schedules,
        };
        command.SetAction(parse =>
        {
            var kinds = parse.GetValue(schedules)!.Select(ParseKind).ToList();
            long total = parse.GetValue(totalSteps);
            var settings = defaults with { BaseLr = parse.GetValue(baseLr), WarmupSteps = (int)parse.GetValue(warmupSteps), FinalCosine = parse.GetValue(finalCosine) };
            var curves = kinds.Select(k => OptimizerFactory.CreateSchedule(settings with { Schedule = k }, total)).ToList();
            foreach (string? note in curves.Select(c => c.Note).OfType<string>())
            {
                Console.WriteLine($"# {note}");
            }

            Console.WriteLine("step\t" + string.Join('\t', kinds.Select(k => k.ToString().ToLowerInvariant())));
            long stride = Math.Max(1, parse.GetValue(every));
            for (long i = 0, step = 0; i < parse.GetValue(rows) && step < total; i++, step += stride)
            {
                Console.WriteLine(step.ToString(CultureInfo.InvariantCulture) + "\t" +
                    string.Join('\t', curves.Select(c => c.LearningRate(step).ToString("0.000000e+00", CultureInfo.InvariantCulture))));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static ScheduleKind ParseKind(string name) => Enum.TryParse(name, ignoreCase: true, out ScheduleKind kind)
        ? kind
        : throw new ArgumentException($"Unknown schedule '{name}': use cosine, legacy or constant.");
}
