// Turns "cpu", "cuda" or "cuda:N" into a TorchSharp device, with errors a user can act on.
using TorchSharp;

namespace NanoT5.Native;

/// <summary>Parses and checks device names.</summary>
public static class DeviceSelector
{
    /// <summary>Resolves <paramref name="name"/>; throws <see cref="ArgumentException"/> when it is malformed or unavailable.</summary>
    public static torch.Device Resolve(string name)
    {
        string spec = name.Trim().ToLowerInvariant();
        if (spec == "cpu")
        {
            TorchNative.EnsureLoaded();
            return torch.CPU;
        }

        int index = 0;
        if (spec != "cuda")
        {
            if (!spec.StartsWith("cuda:", StringComparison.Ordinal) || !int.TryParse(spec.AsSpan(5), out index) || index < 0)
            {
                throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:N (N = GPU index).");
            }
        }

        if (TorchNative.Backend == "cpu" && TorchNative.LibTorchFolderRequested is null)
        {
            throw new ArgumentException(
                $"Device '{name}' needs the CUDA backend, but this program was built with TorchSharp-cpu. " +
                "Rebuild with -p:NanoT5Backend=cuda (restores TorchSharp-cuda-linux) on a machine with an NVIDIA GPU and driver, " +
                "or with -p:NanoT5Backend=libtorch and a CUDA libtorch folder (docs/gpu.md), or use device cpu.");
        }

        if (!TorchNative.CudaCapable)
        {
            throw new ArgumentException($"Device '{name}' was requested, but the libtorch in {TorchNative.LibTorchFolderInUse} has no libtorch_cuda.so (a CPU-only build).");
        }
        if (!torch.cuda.is_available())
        {
            throw new ArgumentException($"Device '{name}' was requested, but CUDA is not available here (no GPU visible, or the NVIDIA driver is missing).");
        }

        int count = torch.cuda.device_count();
        if (index >= count)
        {
            throw new ArgumentException($"Device '{name}' does not exist: this machine has {count} CUDA device(s), cuda:0 to cuda:{count - 1}.");
        }

        return torch.device(DeviceType.CUDA, index);
    }
}
