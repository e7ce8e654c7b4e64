// Bring your own libtorch: loads TorchSharp's native shim (libLibTorchSharp.so, built by
// eng/build-libtorchsharp.sh) and the libtorch it was built against from one folder (NanoT5LibTorch),
// and routes TorchSharp's P/Invokes there, so the NuGet copies are never mapped.
using System.Runtime.InteropServices;
using System.Text.Json;

namespace NanoT5.Native;

/// <summary>A libtorch folder named by the NanoT5LibTorch setting, loaded by full path.</summary>
internal sealed class LibTorchFolder
{
    /// <summary>The environment variable that names the folder when neither --libtorch nor the config does.</summary>
    public const string EnvironmentVariable = "NANOT5_LIBTORCH";

    /// <summary>Written by eng/build-libtorchsharp.sh next to the shim: what it was built from and against.</summary>
    public const string ManifestName = "nanot5-libtorch.json";

    public const string ShimName = "libLibTorchSharp.so";

    // An export every LibTorchSharp has: the managed side calls it after each native call.
    private const string ShimMarker = "THSTorch_get_and_reset_last_err";

    private LibTorchFolder(string folder, string libDirectory, IReadOnlyDictionary<string, IntPtr> byImportName)
    {
        Folder = folder;
        LibDirectory = libDirectory;
        ByImportName = byImportName;
    }

    /// <summary>The folder as given, made absolute.</summary>
    public string Folder { get; }

    /// <summary>Where libtorch_cpu.so was found: the folder itself or its lib/.</summary>
    public string LibDirectory { get; }

    /// <summary>Whether this libtorch has CUDA kernels (libtorch_cuda.so was loaded).</summary>
    public bool HasCuda => ByImportName.ContainsKey("torch_cuda");

    // DllImport names (TorchSharp's "LibTorchSharp", "torch_cpu", ...) to the handles loaded here.
    private IReadOnlyDictionary<string, IntPtr> ByImportName { get; }

    /// <summary>
    /// Loads libc10, libtorch_cpu, libtorch_cuda (when present), libtorch and the shim from <paramref name="folder"/>
    /// by full path, the shim with every symbol bound now (a shim built for another libtorch fails here with the
    /// missing symbol named, instead of crashing at its first call). Throws <see cref="TorchLoadException"/>.
    /// </summary>
    public static LibTorchFolder Load(string folder, string source)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw Error($"{source}: the libtorch folder {full} does not exist. Build one with eng/build-libtorchsharp.sh (docs/gpu.md).");
        }

        string shimPath = Path.Combine(full, ShimName);
        if (!File.Exists(shimPath))
        {
            throw Error($"{source}: {full} has no {ShimName} (TorchSharp's native shim built against this libtorch). " +
                "eng/build-libtorchsharp.sh writes it there (docs/gpu.md).");
        }

        string? libDirectory = new[] { full, Path.Combine(full, "lib") }.FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")));
        if (libDirectory is null)
        {
            throw Error($"{source}: no libtorch_cpu.so in {full} or {Path.Combine(full, "lib")}; the folder must hold a libtorch " +
                "(its lib/ folder, or a link named lib to it) next to the shim.");
        }

        CheckVersions(full, libDirectory, shimPath, source);

        var handles = new Dictionary<string, IntPtr>(StringComparer.Ordinal);
        foreach ((string file, string importName) in new[] { ("libc10.so", "c10"), ("libtorch_cpu.so", "torch_cpu"), ("libc10_cuda.so", "c10_cuda"), ("libtorch_cuda.so", "torch_cuda"), ("libtorch.so", "torch") })
        {
            string path = Path.Combine(libDirectory, file);
            if (File.Exists(path))
            {
                handles[importName] = Open(path, Dl.Lazy | Dl.Global, source);
            }
        }

        IntPtr shim = Open(shimPath, Dl.Now, source);
        if (Dl.Symbol(shim, ShimMarker) == IntPtr.Zero)
        {
            throw Error($"{source}: {shimPath} loads but is not TorchSharp's LibTorchSharp (it has no {ShimMarker} export).");
        }

        handles["LibTorchSharp"] = shim;
        return new LibTorchFolder(full, libDirectory, handles);
    }

    /// <summary>The handle for a DllImport library name, or zero to let the runtime search as usual.</summary>
    public IntPtr Resolve(string libraryName)
    {
        string name = libraryName;
        if (name.StartsWith("lib", StringComparison.Ordinal))
        {
            name = name.Substring(3);
        }

        if (name.EndsWith(".so", StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - 3);
        }

        return ByImportName.TryGetValue(name, out IntPtr handle) ? handle : IntPtr.Zero;
    }

    /// <summary>The version of the libtorch in <paramref name="libDirectory"/>: libtorch's build-version or PyTorch's version.py, one level up.</summary>
    internal static (string Version, string File)? FindLibTorchVersion(string libDirectory)
    {
        // OUT/lib is usually a link to the real libtorch/lib or site-packages/torch/lib: look beside its target.
        string real = Directory.ResolveLinkTarget(libDirectory, returnFinalTarget: true)?.FullName ?? libDirectory;
        string parent = Path.GetDirectoryName(Path.GetFullPath(real).TrimEnd(Path.DirectorySeparatorChar)) ?? real;
        string buildVersion = Path.Combine(parent, "build-version");
        if (File.Exists(buildVersion))
        {
            return (ReadRegularFile(buildVersion, "libtorch version").Trim(), buildVersion);
        }

        string versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy))
        {
            foreach (string line in ReadRegularFile(versionPy, "libtorch version").Split('\n'))
            {
                // __version__ = '2.11.0+cu130'
                string trimmed = line.Trim();
                if (trimmed.StartsWith("__version__", StringComparison.Ordinal) && trimmed.Split('\'', '"') is { Length: >= 2 } parts)
                {
                    return (parts[1], versionPy);
                }
            }
        }

        return null;
    }

    /// <summary>"2.11.0+cu130" and "2.11.0" are the same libtorch for the shim: compare major.minor.patch.</summary>
    internal static string PublicVersion(string version) => version.Split('+')[0].Trim();

    private static void CheckVersions(string folder, string libDirectory, string shimPath, string source)
    {
        string manifestPath = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifestPath))
        {
            return; // No record of what the shim was built against: the symbol check at load is the guard.
        }

        string? builtFor;
        try
        {
            using JsonDocument manifest = JsonDocument.Parse(ReadRegularFile(manifestPath, source));
            if (manifest.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error($"{source}: {manifestPath} must be a JSON object; rebuild the folder with eng/build-libtorchsharp.sh.");
            }

            builtFor = manifest.RootElement.TryGetProperty("torch_version", out JsonElement v) ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Null => null,
                _ => throw Error($"{source}: {manifestPath}: torch_version must be a string such as \"2.10.0\" (got {v.GetRawText()}); rebuild the folder with eng/build-libtorchsharp.sh."),
            } : null;
        }
        catch (JsonException e)
        {
            throw Error($"{source}: {manifestPath} is not valid JSON ({e.Message}); rebuild the folder with eng/build-libtorchsharp.sh.");
        }

        (string Version, string File)? found = FindLibTorchVersion(libDirectory);
        if (builtFor is null || found is null || PublicVersion(builtFor) == PublicVersion(found.Value.Version))
        {
            return;
        }

        throw Error($"{source}: version skew: {shimPath} was built for libtorch {builtFor} (per {manifestPath}), but the libtorch in " +
            $"{libDirectory} is {found.Value.Version} (per {found.Value.File}). Rebuild the shim against this libtorch: " +
            "eng/build-libtorchsharp.sh --torchsharp-source <TorchSharp checkout> --libtorch <its folder> (or --python <its python>) --out " + folder);
    }

    private static IntPtr Open(string given, int flags, string source)
    {
        // By real path: a pip wheel's libtorch_cuda.so finds its nvidia/* libraries through RUNPATH $ORIGIN/../../nvidia,
        // and glibc takes $ORIGIN from the path as opened, so OUT/lib (a link to torch/lib) would send it to OUT/../nvidia.
        string path = Dl.RealPath(given) ?? given;
        if (ElfLibrary.Problem(path) is string problem)
        {
            throw Error($"{source}: {path} cannot be loaded: {problem}.");
        }

        // Binds dlerror's P/Invoke now and clears any old error: resolving it after a failed dlopen would reset the message.
        Dl.LastError();
        IntPtr handle = Dl.Open(path, flags);
        if (handle != IntPtr.Zero)
        {
            return handle;
        }

        string reason = Dl.LastError();
        string hint = reason.Contains("undefined symbol", StringComparison.Ordinal)
            ? " The shim and the libtorch are different versions (the shim needs a symbol this libtorch does not define): rebuild the shim " +
              "against this libtorch with eng/build-libtorchsharp.sh."
            : reason.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal)
                ? " The file needs GCC 13's libstdc++; build the shim on this machine with eng/build-libtorchsharp.sh."
                : " Check that it is a complete x86-64 Linux shared library (`file`, `ldd` on it).";
        throw Error($"{source}: {path} could not be loaded: {reason}.{hint}");
    }

    // A FIFO in the folder would block a read forever: refuse anything that is not a regular file before opening it.
    private static string ReadRegularFile(string path, string source) =>
        FileKind.IsRegularFile(path) ? File.ReadAllText(path)
            : throw Error($"{source}: {path} is not a regular file (a FIFO, socket or device); replace it with the file eng/build-libtorchsharp.sh writes.");

    private static TorchLoadException Error(string message) => new(message, new DllNotFoundException(message));

    private static partial class Dl
    {
        public const int Lazy = 0x1;
        public const int Now = 0x2;
        public const int Global = 0x100;

        public static IntPtr Open(string path, int flags) => DlOpen(path, flags);

        public static IntPtr Symbol(IntPtr handle, string name) => DlSym(handle, name);

        public static string LastError() => Marshal.PtrToStringUTF8(DlError()) ?? "unknown dlopen error";

        /// <summary>The path with every link resolved, or null when it cannot be resolved.</summary>
        public static string? RealPath(string path)
        {
            IntPtr resolved = RealPathNative(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                Free(resolved);
            }
        }

        // libdl.so.2 exists on every glibc (a stub forwarding to libc.so.6 since glibc 2.34).
        [DllImport("libdl.so.2", EntryPoint = "dlopen", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern IntPtr DlOpen(string path, int flags);

        [DllImport("libdl.so.2", EntryPoint = "dlsym", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern IntPtr DlSym(IntPtr handle, string name);

        [DllImport("libdl.so.2", EntryPoint = "dlerror")]
        private static extern IntPtr DlError();

        [DllImport("libc.so.6", EntryPoint = "realpath", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern IntPtr RealPathNative(string path, IntPtr resolved);

        [DllImport("libc.so.6", EntryPoint = "free")]
        private static extern void Free(IntPtr pointer);
    }
}
