// `parity <fixture-dir>`: compares this runtime with golden outputs of the reference implementation.
using System.CommandLine;
using System.Globalization;
using NanoT5.Model;
using NanoT5.Native;
using NanoT5.Runs;
using NanoT5.Verification;

namespace NanoT5.Cli;

/// <summary>The parity verb.</summary>
public static class ParityCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("fixture-dir") { Description = "Folder in the t5-parity-tiny format (config.json, model.safetensors, inputs.json, expected.json, expected.safetensors)." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu", Description = "cpu, cuda or cuda:N." };
        var precision = new Option<string>("--precision")
        {
            DefaultValueFactory = _ => "fp32",
            Description = "fp32 (the fixture's own tolerances) or bf16 (bf16 matmuls against the fp32 golden values, bounds derived from bf16's 8-bit significand).",
        };
        precision.AcceptOnlyFromAmong("fp32", "bf16");
        var scale = new Option<double>("--scale-tolerances")
        {
            DefaultValueFactory = _ => 1.0,
            Description = "Multiply every non-exact tolerance (for fixtures of deeper, trained models than t5-parity-tiny, whose fp32 rounding differences add up over more layers).",
        };
        var attention = new Option<string>("--attention") { DefaultValueFactory = _ => "eager", Description = "eager or sdpa (the fused kernel, against the same golden values and tolerances)." };
        attention.AcceptOnlyFromAmong("eager", "sdpa");
        var command = new Command("parity", "Compare the model and optimizer with golden outputs of nanoT5's reference implementation; exit 1 if any value is outside its tolerance.")
        {
            folder, device, precision, scale, attention,
        };
        command.SetAction(parse => Run(
            parse.GetValue(folder)!, parse.GetValue(device)!, parse.GetValue(precision)!, parse.GetValue(scale), Enum.Parse<AttentionKind>(parse.GetValue(attention)!, ignoreCase: true)));
        return command;
    }

    private static int Run(DirectoryInfo folder, string deviceName, string precision, double scale, AttentionKind attention)
    {
        if (!(scale >= 1) || double.IsInfinity(scale))
        {
            throw new ArgumentException($"--scale-tolerances must be a finite number >= 1 (got {scale.ToString(CultureInfo.InvariantCulture)}).");
        }

        TorchSharp.torch.Device device = DeviceSelector.Resolve(deviceName);
        TorchNative.SetThreads(0);
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            TorchNative.SetAllowTf32(false); // fp32 parity means fp32 matmuls, not TF32's 10-bit ones.
        }

        Console.WriteLine($"parity on {device}, {precision}, attention {attention.ToString().ToLowerInvariant()}{(scale == 1 ? string.Empty : $", tolerances x{scale.ToString(CultureInfo.InvariantCulture)}")}");
        TorchSharp.torch.ScalarType? autocast = precision == "bf16" ? TorchSharp.torch.ScalarType.BFloat16 : null;
        ParityTolerances tolerances = (autocast is null ? new ParityTolerances() : ParityTolerances.Bf16).Scaled(scale);
        IReadOnlyList<ParityResult> results = ParityCheck.Run(folder.FullName, tolerances, device, autocast, attention);
        int width = results.Max(r => r.Name.Length);
        Console.WriteLine($"{"value".PadRight(width)}  {"max_abs_diff",12}  {"measure",12}  {"tolerance",10}  result");
        foreach (ParityResult r in results)
        {
            string measure = r.Kind switch
            {
                ToleranceKind.Exact => "exact",
                ToleranceKind.Relative => "rel " + r.Measured.ToString("0.00e+00", CultureInfo.InvariantCulture),
                _ => "abs " + r.Measured.ToString("0.00e+00", CultureInfo.InvariantCulture),
            };
            Console.WriteLine(
                $"{r.Name.PadRight(width)}  {r.MaxAbsDiff.ToString("0.000e+00", CultureInfo.InvariantCulture),12}  {measure,12}  " +
                $"{r.Tolerance.ToString("0.0e+00", CultureInfo.InvariantCulture),10}  {(r.Passed ? "ok" : "FAIL")}");
        }

        int failed = results.Count(r => !r.Passed);
        Console.WriteLine(failed == 0 ? $"parity: all {results.Count} values within tolerance" : $"parity: {failed} of {results.Count} values outside tolerance");
        return failed == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
