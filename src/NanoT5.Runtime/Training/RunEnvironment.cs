// Process-wide set-up a run needs before any tensor exists: native backend, device, threads, denormal
// flushing and the matmul precision.
using NanoT5.Config;
using NanoT5.Native;
using static TorchSharp.torch;

namespace NanoT5.Training;

/// <summary>The device and numeric mode of a run.</summary>
public sealed record RunEnvironment(Device Device, ScalarType? AutocastDtype)
{
    /// <summary>Applies <paramref name="config"/>'s device, threads and precision to this process.</summary>
    public static RunEnvironment Prepare(ExperimentConfig config)
    {
        TorchNative.UseLibTorch(config.LibTorch, "NanoT5LibTorch (lib_torch)");
        Device device = DeviceSelector.Resolve(config.Device);
        // Flush before the intra-op thread pool starts, so its threads inherit it (see TorchNative).
        TorchNative.SetFlushDenormal(true);
        TorchNative.SetThreads(config.Threads);
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            TorchNative.SetAllowTf32(config.Precision is Precision.Tf32 or Precision.Bf16);
        }

        ScalarType? autocast = config.Precision == Precision.Bf16 ? ScalarType.BFloat16 : null;
        return new RunEnvironment(device, autocast);
    }

    /// <summary>"cpu, fp32, 2 threads".</summary>
    public string Describe(ExperimentConfig config) =>
        $"{Device}, {config.Precision.ToString().ToLowerInvariant()}{(Device.type == TorchSharp.DeviceType.CPU ? $", {TorchSharp.torch.get_num_threads()} threads" : string.Empty)}";
}
