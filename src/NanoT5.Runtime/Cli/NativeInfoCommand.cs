// `native-info`: which libtorch and TorchSharp shim this process loaded (from /proc/self/maps), and whether
// CUDA is usable. The check that a NanoT5LibTorch folder is really the one in use.
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Native;
using NanoT5.Runs;
using TorchSharp;

namespace NanoT5.Cli;

/// <summary>The native-info verb.</summary>
public static class NativeInfoCommand
{
    /// <summary>An experiment program's config names its NanoT5LibTorch folder (after --libtorch, before NANOT5_LIBTORCH).</summary>
    public static Command Create(ExperimentConfig? experiment = null)
    {
        var command = new Command("native-info", "Load the native backend, run one matmul, and print the libtorch files this process mapped and whether CUDA is available.");
        command.SetAction(_ =>
        {
            TorchNative.UseLibTorch(experiment?.LibTorch, "NanoT5LibTorch (lib_torch)");
            return Run();
        });
        return command;
    }

    private static int Run()
    {
        TorchNative.EnsureLoaded();
        using (var a = torch.ones(3, 4))
        using (var b = torch.ones(4, 5))
        using (var product = a.matmul(b))
        using (var sum = product.sum())
        {
            // 3 x 5 entries of 4: 60 when the kernels run.
            Console.WriteLine($"matmul check: {sum.item<float>()} (expected 60)");
        }

        Console.WriteLine($"backend: {TorchNative.Backend} build; libtorch folder: {TorchNative.LibTorchFolderInUse ?? "(none: TorchSharp's NuGet natives)"}");
        bool cuda = TorchNative.CudaCapable && torch.cuda.is_available();
        Console.WriteLine(cuda ? $"cuda: available, {torch.cuda.device_count()} device(s)" : "cuda: not available");
        foreach (string path in MappedTorchLibraries())
        {
            Console.WriteLine($"mapped: {path}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Files of libtorch, c10 and LibTorchSharp mapped into this process, each once.</summary>
    public static IReadOnlyList<string> MappedTorchLibraries() => File.ReadLines("/proc/self/maps")
        .Select(line => line.IndexOf('/', StringComparison.Ordinal) is int i and >= 0 ? line.Substring(i) : null)
        .OfType<string>()
        .Where(path => Path.GetFileName(path) is string name && (name.StartsWith("libtorch", StringComparison.Ordinal) ||
            name.StartsWith("libc10", StringComparison.Ordinal) || name.StartsWith("libLibTorchSharp", StringComparison.Ordinal)))
        .Distinct(StringComparer.Ordinal)
        .ToList();
}
