// `parity <fixture-dir>`: compares this runtime with golden outputs of the reference implementation.
using System.CommandLine;
using System.Globalization;
using NanoT5.Native;
using NanoT5.Verification;

namespace NanoT5.Cli;

/// <summary>The parity verb.</summary>
public static class ParityCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("fixture-dir") { Description = "Folder in the t5-parity-tiny format (config.json, model.safetensors, inputs.json, expected.json, expected.safetensors)." };
        var command = new Command("parity", "Compare the model and optimizer with golden outputs of nanoT5's reference implementation; exit 1 if any value is outside its tolerance.")
        {
            folder,
        };
        command.SetAction(parse => Run(parse.GetValue(folder)!));
        return command;
    }

    private static int Run(DirectoryInfo folder)
    {
        TorchNative.EnsureLoaded();
        TorchNative.SetThreads(0);
        IReadOnlyList<ParityResult> results = ParityCheck.Run(folder.FullName);
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
