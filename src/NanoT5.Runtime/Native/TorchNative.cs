// Loads TorchSharp's native backend with an error that says why and what to do, instead of
// TorchSharp's generic "doesn't contain a reference to libtorch-cpu-linux-x64".
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace NanoT5.Native;

/// <summary>Native library loading, threads and denormal handling for the LibTorch backend.</summary>
public static class TorchNative
{
    private static readonly string[] NuGetNatives = ["libtorch_cpu.so", "libtorch_cuda.so", "libLibTorchSharp.so"];

    // The one piece of mutable state of the native layer, and process-wide because what it describes is: the dynamic
    // loader maps libtorch once per process (a second copy aborts in its static initialisers), a DllImport resolver
    // is set once per assembly for the life of the process, and TorchSharp keeps the backend it initialised in its own
    // statics. So which libtorch this process uses is decided once, here; everything else asks TorchNative.
    private static readonly LoadState ThisProcess = new();

    /// <summary>The backend this runtime was built against: "cpu", "cuda" or "libtorch" (the NanoT5Backend property).</summary>
    public static string Backend { get; } =
        typeof(TorchNative).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "NanoT5Backend")?.Value ?? "cpu";

    /// <summary>The folder of a user's own libtorch and shim in use (NanoT5LibTorch), or null for the NuGet backend.</summary>
    public static string? LibTorchFolderInUse => ThisProcess.OwnLibTorch?.Folder;

    /// <summary>The libtorch folder named so far (command line, config or NANOT5_LIBTORCH), loaded or not.</summary>
    public static string? LibTorchFolderRequested
    {
        get
        {
            lock (ThisProcess.Gate)
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(LibTorchFolder.EnvironmentVariable);
                return ThisProcess.OwnLibTorch?.Folder ?? ThisProcess.Requested?.Folder ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment);
            }
        }
    }

    /// <summary>Whether CUDA devices can be asked for: the CUDA build, or a user's libtorch that has CUDA.</summary>
    public static bool CudaCapable
    {
        get
        {
            EnsureLoaded();
            return Backend == "cuda" || ThisProcess.OwnLibTorch?.HasCuda == true;
        }
    }

    /// <summary>
    /// Names the folder of a user's libtorch and shim (NanoT5LibTorch) before the backend loads; the first caller
    /// wins (the command line, then the config), the NANOT5_LIBTORCH environment variable is the fallback.
    /// Empty means "no preference". Asking for another folder once the backend is loaded is an error.
    /// </summary>
    public static void UseLibTorch(string? folder, string source)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        lock (ThisProcess.Gate)
        {
            if (ThisProcess.Requested is not null)
            {
                return; // An earlier caller (the command line before the config) already chose.
            }

            if (ThisProcess.Loaded)
            {
                string? inUse = ThisProcess.OwnLibTorch?.Folder;
                if (inUse is null || !string.Equals(inUse, Path.GetFullPath(folder), StringComparison.Ordinal))
                {
                    throw new ArgumentException($"{source}: libtorch folder {Path.GetFullPath(folder)} was asked for after the native backend " +
                        $"was loaded from {inUse ?? "TorchSharp's NuGet package"}; name it with --libtorch or {LibTorchFolder.EnvironmentVariable} instead.");
                }

                return;
            }

            ThisProcess.Requested = (folder, source);
        }
    }

    /// <summary>
    /// Loads libtorch and LibTorchSharp from the NanoT5LibTorch folder when one is named, otherwise from this
    /// program's own output. Throws <see cref="TorchLoadException"/> naming the file, the loader's reason and the fix.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (ThisProcess.Gate)
        {
            if (ThisProcess.Loaded)
            {
                return;
            }

            NativeHeap.KeepPagesMapped();
            string? fromEnvironment = Environment.GetEnvironmentVariable(LibTorchFolder.EnvironmentVariable);
            (string Folder, string Source)? requested = ThisProcess.Requested ??
                (string.IsNullOrWhiteSpace(fromEnvironment) ? null : (fromEnvironment, $"environment variable {LibTorchFolder.EnvironmentVariable}"));
            if (requested is { } own)
            {
                // TorchSharp opens "torch_cpu" and "LibTorchSharp" by name (NativeLibrary.TryLoad ignores resolvers): with
                // NuGet copies in this program's output it would map a second libtorch, which aborts in its initialisers.
                string? nuget = NuGetNatives.Select(FindInOutput).FirstOrDefault(p => p is not null);
                if (nuget is not null)
                {
                    throw new TorchLoadException(
                        $"{own.Source} names the libtorch folder {Path.GetFullPath(own.Folder)}, but this program was built with TorchSharp's NuGet natives " +
                        $"({nuget}), which TorchSharp would load as a second libtorch. Build it with -p:NanoT5Backend=libtorch (no NuGet natives), or drop the setting.",
                        new DllNotFoundException(nuget));
                }

                LoadFromFolder(own.Folder, own.Source);
                ThisProcess.Loaded = true;
                return;
            }

            if (Backend == "libtorch")
            {
                throw new TorchLoadException(
                    "This program was built with -p:NanoT5Backend=libtorch (no NuGet natives) and needs a libtorch folder: name it with --libtorch, " +
                    $"the NanoT5LibTorch property (lib_torch in a JSON config) or the {LibTorchFolder.EnvironmentVariable} environment variable (docs/gpu.md).",
                    new DllNotFoundException("LibTorchSharp"));
            }

            bool cuda = Backend == "cuda";
            foreach (string library in cuda ? new[] { "libtorch_cuda.so", "libLibTorchSharp.so" } : new[] { "libtorch_cpu.so", "libLibTorchSharp.so" })
            {
                string? path = FindInOutput(library);
                if (path is null)
                {
                    continue; // TorchSharp's own search (PATH, LD_LIBRARY_PATH, a Python install) may still find it.
                }

                try
                {
                    NativeLibrary.Load(path);
                }
                catch (DllNotFoundException e)
                {
                    throw new TorchLoadException(Explain(path, e.Message), e);
                }
            }

            try
            {
                torch.InitializeDeviceType(cuda ? DeviceType.CUDA : DeviceType.CPU);
            }
            catch (Exception e) when (e is NotSupportedException or TypeInitializationException or DllNotFoundException)
            {
                throw new TorchLoadException(
                    $"TorchSharp's native backend ({(cuda ? "TorchSharp-cuda-linux" : "TorchSharp-cpu")}) could not be initialised: {Innermost(e).Message}" +
                    Environment.NewLine + "Run `dotnet build` for this program on this machine so its runtimes/ folder holds the native libraries.", e);
            }

            ThisProcess.Loaded = true;
        }
    }

    /// <summary>Sets intra-op threads (0 = all cores).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
    }

    /// <summary>
    /// Flushes denormal floats to zero on this thread and the threads it starts afterwards
    /// (the OpenMP pool inherits it when it is created later). T5's std-1.0 embedding init makes the
    /// first steps produce denormals that run several times slower on x86 CPUs.
    /// </summary>
    public static bool SetFlushDenormal(bool enabled)
    {
        EnsureLoaded();
        try
        {
            return AtenContext.SetFlushDenormal(AtenContext.GlobalContext(), enabled);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Turns PyTorch's cuDNN backend of scaled_dot_product_attention on or off (torch.backends.cuda.enable_cudnn_sdp,
    /// which TorchSharp 0.107 does not expose). False when this libtorch has no such switch (then it has no cuDNN SDPA).
    /// </summary>
    /// <remarks>libtorch's mangled name, as <see cref="SetFlushDenormal"/>: at::Context::setSDPUseCuDNN(bool) exists
    /// since PyTorch 2.3 and kept its signature through 2.10.</remarks>
    public static bool SetCuDnnAttention(bool enabled)
    {
        EnsureLoaded();
        try
        {
            AtenContext.SetSdpUseCuDnn(AtenContext.GlobalContext(), enabled);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>TF32 tensor-core matmuls and convolutions on CUDA (PyTorch's allow_tf32 flags).</summary>
    /// <remarks>Through TorchSharp's shim, not libtorch's mangled C++ names: a shim built against the user's libtorch
    /// (NanoT5LibTorch) matches that libtorch's Context API, where a hard-coded symbol may have been renamed.</remarks>
    public static void SetAllowTf32(bool enabled)
    {
        EnsureLoaded();
        torch.backends.cuda.matmul.allow_tf32 = enabled;
        torch.backends.cudnn.allow_tf32 = enabled;
    }

    private static void LoadFromFolder(string folder, string source)
    {
        LibTorchFolder own = LibTorchFolder.Load(folder, source);
        DllImportResolver resolve = (name, _, _) => own.Resolve(name);
        foreach (Assembly assembly in new[] { typeof(torch).Assembly, typeof(TorchNative).Assembly })
        {
            try
            {
                NativeLibrary.SetDllImportResolver(assembly, resolve);
            }
            catch (InvalidOperationException e)
            {
                throw new TorchLoadException($"{source}: cannot route {assembly.GetName().Name}'s native calls to {own.Folder}: {e.Message}", e);
            }
        }

        ThisProcess.OwnLibTorch = own;
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new TorchLoadException($"{source}: TorchSharp could not start on the shim in {own.Folder}: {Innermost(e).Message}", e);
        }
    }

    private static string Explain(string path, string loaderMessage)
    {
        if (loaderMessage.Contains(ElfVersionNeedPatcher.Glibcxx3432, StringComparison.Ordinal))
        {
            return $"TorchSharp's native library {path} needs GCC 13's libstdc++ (version {ElfVersionNeedPatcher.Glibcxx3432}), which this machine's " +
                "libstdc++ lacks (Debian 12, Ubuntu 22.04). NanoT5's build patches its own copy automatically when it is built on such a machine; " +
                "this copy was built elsewhere or with -p:NanoT5PatchLibTorchSharp=false. Fix: rebuild on this machine, or build with " +
                $"-p:NanoT5PatchLibTorchSharp=true, or install a libstdc++ from GCC 13 or newer.{Environment.NewLine}Loader said: {loaderMessage}";
        }

        return $"TorchSharp's native library {path} could not be loaded: {loaderMessage}{Environment.NewLine}" +
            "Check that the file is complete (a fresh `dotnet build` restores it) and that its dependencies are present (`ldd` on it lists them).";
    }

    private static string? FindInOutput(string library)
    {
        string baseDirectory = AppContext.BaseDirectory;
        string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64";
        foreach (string candidate in new[] { Path.Combine(baseDirectory, "runtimes", rid, "native", library), Path.Combine(baseDirectory, library) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    /// <summary>Which libtorch this process asked for and loaded; read and written under <see cref="Gate"/>.</summary>
    private sealed class LoadState
    {
        public Lock Gate { get; } = new();

        /// <summary>The first folder named (the command line, then the config), with who named it.</summary>
        public (string Folder, string Source)? Requested { get; set; }

        /// <summary>Whether the backend is loaded (from <see cref="OwnLibTorch"/> or TorchSharp's NuGet natives).</summary>
        public bool Loaded { get; set; }

        /// <summary>The user's libtorch folder in use, or null for the NuGet natives.</summary>
        public LibTorchFolder? OwnLibTorch { get; set; }
    }

    private static partial class AtenContext
    {
        [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context16setFlushDenormalEb")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool SetFlushDenormal(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool on);

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context14setSDPUseCuDNNEb")]
        public static extern void SetSdpUseCuDnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool on);
    }
}
