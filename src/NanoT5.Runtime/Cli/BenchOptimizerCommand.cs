// `bench-optimizer`: the optimizer step alone, on the parameter shapes of a model preset.
using System.CommandLine;
using System.Globalization;
using NanoT5.Benchmarks;
using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>The bench-optimizer verb.</summary>
public static class BenchOptimizerCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { DefaultValueFactory = _ => "tiny", Description = "Model preset whose parameter shapes are optimized (tiny, t5-v1_1-base, ...)." };
        var optimizer = new Option<string>("--optimizer") { DefaultValueFactory = _ => "adamwscale", Description = "adamwscale, adamw or adafactor." };
        var fused = new Option<bool>("--fused") { DefaultValueFactory = _ => true, Description = "Allow the fused CPU kernel (false: LibTorch ops per tensor)." };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 5, Description = "Measured steps." };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 2, Description = "Unmeasured steps first." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu", Description = "cpu, cuda or cuda:N." };
        var command = new Command("bench-optimizer", "Measure the optimizer step alone on a preset's parameter shapes.") { preset, optimizer, fused, steps, warmup, device };
        command.SetAction(parse =>
        {
            OptimizerKind kind = Enum.TryParse(parse.GetValue(optimizer), ignoreCase: true, out OptimizerKind k)
                ? k
                : throw new ArgumentException($"--optimizer must be adamwscale, adamw or adafactor (got '{parse.GetValue(optimizer)}').");
            double seconds = OptimizerStepBenchmark.Run(
                T5Presets.Get(parse.GetValue(preset)!), kind, parse.GetValue(fused), parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(device)!, Console.Out);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"optimizer_step_s={seconds:F4}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
