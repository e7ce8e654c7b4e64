// Process-wide set-up a run needs before any tensor exists: the job it belongs to (under mpirun or srun),
// native backend, device, threads, denormal flushing and the matmul precision.
using NanoT5.Config;
using NanoT5.Distributed;
using NanoT5.Native;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>The device and numeric mode of a run.</summary>
public sealed record RunEnvironment(Device Device, ScalarType? AutocastDtype)
{
    /// <summary>Applies <paramref name="config"/>'s device, threads and precision to this process.</summary>
    public static RunEnvironment Prepare(ExperimentConfig config)
    {
        BufferMemory.EnsureFits(config);
        TorchNative.UseLibTorch(config.LibTorch, "NanoT5LibTorch (lib_torch)");
        IProcessGroup world = ProcessGroups.Join();
        Device device = DeviceSelector.Resolve(config.Device);
        if (world.Size > 1 && device.type == TorchSharp.DeviceType.CUDA && TorchSharp.torch.cuda.device_count() != 1)
        {
            throw new ArgumentException(
                $"{world.Describe()} sees {TorchSharp.torch.cuda.device_count()} GPUs: each rank of a multi-process job must see exactly one. " +
                "Set CUDA_VISIBLE_DEVICES per rank from its local rank (docs/distributed.md shows the mpirun and srun lines).");
        }

        // Flush before the intra-op thread pool starts, so its threads inherit it (see TorchNative).
        TorchNative.SetFlushDenormal(true);
        // Ranks sharing a machine share its cores: "all cores" means this rank's part of them.
        int localRanks = ProcessGroups.Launch.LocalSize;
        TorchNative.SetThreads(config.Threads == 0 && localRanks > 1 ? Math.Max(1, Environment.ProcessorCount / localRanks) : config.Threads);
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            TorchNative.SetAllowTf32(config.Precision is Precision.Tf32 or Precision.Bf16);
        }

        ScalarType? autocast = config.Precision == Precision.Bf16 ? ScalarType.BFloat16 : null;
        return new RunEnvironment(device, autocast) { World = world };
    }

    /// <summary>The processes of this job (one unless launched by mpirun or srun).</summary>
    public IProcessGroup World { get; init; } = SingleProcess.Instance;

    /// <summary>"cpu, fp32, 2 threads" (", 2 processes" under a launcher).</summary>
    public string Describe(ExperimentConfig config) =>
        $"{Device}, {config.Precision.ToString().ToLowerInvariant()}{(Device.type == TorchSharp.DeviceType.CPU ? $", {TorchSharp.torch.get_num_threads()} threads" : string.Empty)}" +
        (World.Size > 1 ? $", {World.Size} processes" : string.Empty);
}
