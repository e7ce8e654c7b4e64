// NanoT5LibTorch on CPU: the NuGet libtorch and the build's patched shim copied to another folder, loaded by a
// program without NuGet natives (what -p:NanoT5Backend=libtorch builds), checked from the child's /proc/self/maps.
using System.Diagnostics;
using System.Text;

namespace NanoT5.Tests.Native;

[Trait("Category", "Slow")]
public sealed class LibTorchFolderTests : IClassFixture<RelocatedLibTorch>
{
    private readonly RelocatedLibTorch relocated;

    public LibTorchFolderTests(RelocatedLibTorch relocated) => this.relocated = relocated;

    [Fact]
    public void NativeInfo_WithTheLibTorchOption_MapsOnlyTheFolderCopies()
    {
        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", relocated.Folder]);

        Assert.Equal(0, exit);
        Assert.Contains("matmul check: 60 (expected 60)", output, StringComparison.Ordinal);
        string[] mapped = output.Split('\n').Where(l => l.StartsWith("mapped: ", StringComparison.Ordinal)).Select(l => l.Substring(8).Trim()).ToArray();
        Assert.Contains(Path.Combine(relocated.Folder, "libtorch_cpu.so"), mapped);
        Assert.Contains(Path.Combine(relocated.Folder, "libLibTorchSharp.so"), mapped);
        Assert.All(mapped, path => Assert.StartsWith(relocated.Folder + "/", path, StringComparison.Ordinal));
    }

    [Fact]
    public void Parity_ThroughTheEnvironmentVariable_RunsTheModelOnTheRelocatedLibTorch()
    {
        (int exit, string output) = Run(relocated.App, ["parity", TestPaths.ParityFixture], ("NANOT5_LIBTORCH", relocated.Folder));

        Assert.Equal(0, exit);
        Assert.Contains("parity: all", output, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkedLibraries_AreLoadedByTheirRealPath_SoTheirRunpathOriginIsWhereTheyReallyLie()
    {
        // lib/ links libtorch_cpu.so but not its DT_NEEDED libgomp, which only lies next to the link's target: found
        // through RUNPATH $ORIGIN only when $ORIGIN is the target's folder (as a pip wheel's nvidia/* libraries are).
        string folder = relocated.Variant("links", File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so")), libsInLibFolder: true, leaveOut: "libgomp-98b21ff3.so.1");

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(0, exit);
        Assert.Contains("matmul check: 60 (expected 60)", output, StringComparison.Ordinal);
        Assert.Contains($"mapped: {Path.Combine(relocated.Folder, "libtorch_cpu.so")}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFolder_IsAClearError()
    {
        string missing = Path.Combine(relocated.Scratch, "no-such-libtorch");

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", missing]);

        Assert.Equal(2, exit);
        Assert.Contains($"--libtorch: the libtorch folder {missing} does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutTheShim_SaysWhatIsMissing()
    {
        string folder = relocated.Variant("no-shim", shim: null);

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(2, exit);
        Assert.Contains($"{folder} has no libLibTorchSharp.so", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotALibrary_IsNamedWithTheLoadersReason()
    {
        string folder = relocated.Variant("not-elf", shim: Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not a shared library\n", 20))));

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(2, exit);
        Assert.Contains($"{Path.Combine(folder, "libLibTorchSharp.so")} cannot be loaded: it is not an ELF shared library (no ELF magic number)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libc10.so")]
    [InlineData("libtorch_cpu.so")]
    [InlineData("libLibTorchSharp.so")]
    public void ATruncatedLibrary_IsNamedBeforeItIsMapped_InsteadOfABusError(string library)
    {
        // A copy cut short: dlopen maps the missing pages and the first touch of one killed the process (SIGBUS, rc 135).
        string folder = relocated.Variant($"truncated-{library}", File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so")));
        string path = Path.Combine(folder, library);
        File.Delete(path);
        using (FileStream source = File.OpenRead(Path.Combine(relocated.Folder, library)), target = File.Create(path))
        {
            CopyPart(source, target, source.Length / 2);
        }

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.True(exit == 2, $"exit code {exit}: {output}");
        Assert.Contains($"{path} cannot be loaded: it is truncated:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFifoInPlaceOfALibrary_IsRefusedInsteadOfBlockingForever()
    {
        string folder = relocated.Variant("fifo", File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so")));
        string path = Path.Combine(folder, "libtorch_cpu.so");
        File.Delete(path);
        TestFifo.Make(path);

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.True(exit == 2, $"exit code {exit}: {output}");
        Assert.Contains($"{path} cannot be loaded: it is not a regular file (a FIFO, socket or device)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ALibraryForAnotherArchitecture_IsNamedAsSuch()
    {
        byte[] shim = File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so"));
        shim[18] = 183; // e_machine: EM_AARCH64
        shim[19] = 0;
        string folder = relocated.Variant("arm64", shim);

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.True(exit == 2, $"exit code {exit}: {output}");
        Assert.Contains("cannot be loaded: wrong architecture: it is built for AArch64 (arm64), but this process runs on X64 (get the linux-x64 libtorch)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"torch_version\": 2.1 }", "torch_version must be a string such as \"2.10.0\" (got 2.1)")]
    [InlineData("[ \"2.10.0\" ]", "must be a JSON object")]
    public void AManifestWithTheWrongShape_IsNamed(string manifest, string expected)
    {
        string folder = relocated.Variant($"manifest-shape-{manifest.Length}", File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so")), libsInLibFolder: true);
        File.WriteAllText(Path.Combine(folder, "nanot5-libtorch.json"), manifest);

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.True(exit == 2, $"exit code {exit}: {output}");
        Assert.Contains($"{Path.Combine(folder, "nanot5-libtorch.json")}", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void ALibraryThatIsNotTorchSharpsShim_IsNamed()
    {
        string folder = relocated.Variant("not-shim", File.ReadAllBytes(Path.Combine(relocated.Folder, "libtorch.so")));

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(2, exit);
        Assert.Contains("loads but is not TorchSharp's LibTorchSharp (it has no THSTorch_get_and_reset_last_err export)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AShimWithoutALibTorch_SaysWhereItLooked()
    {
        string folder = Path.Combine(relocated.Scratch, "shim-only");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(relocated.Folder, "libLibTorchSharp.so"), Path.Combine(folder, "libLibTorchSharp.so"));

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(2, exit);
        Assert.Contains($"no libtorch_cpu.so in {folder} or {Path.Combine(folder, "lib")}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AShimNeedingASymbolThisLibTorchLacks_FailsAtLoadNamingTheSymbol_NotAtItsFirstCall()
    {
        // A shim built for another libtorch: one symbol it imports renamed to one no libtorch defines.
        byte[] shim = File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so"));
        byte[] needed = Encoding.ASCII.GetBytes("_ZN3c1010TensorImpl17set_requires_gradEb");
        Assert.True(Replace(shim, needed, (byte)'X') > 0);
        string folder = relocated.Variant("skewed", shim);

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(2, exit);
        Assert.Contains("undefined symbol: _ZN3c1010TensorImpl17set_requires_gradEX", output, StringComparison.Ordinal);
        Assert.Contains("rebuild the shim against this libtorch", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestForAnotherLibTorchVersion_IsVersionSkewNamingBothFiles()
    {
        string folder = relocated.Variant("manifest", File.ReadAllBytes(Path.Combine(relocated.Folder, "libLibTorchSharp.so")), libsInLibFolder: true);
        File.WriteAllText(Path.Combine(folder, "nanot5-libtorch.json"), "{ \"torch_version\": \"2.11.0+cu130\" }");
        File.WriteAllText(Path.Combine(folder, "build-version"), "2.10.0+cpu\n");

        (int exit, string output) = Run(relocated.App, ["native-info", "--libtorch", folder]);

        Assert.Equal(2, exit);
        Assert.Contains($"{Path.Combine(folder, "libLibTorchSharp.so")} was built for libtorch 2.11.0+cu130 (per {Path.Combine(folder, "nanot5-libtorch.json")})", output, StringComparison.Ordinal);
        Assert.Contains($"is 2.10.0+cpu (per {Path.Combine(folder, "build-version")})", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AProgramWithNuGetNatives_RefusesAFolderInsteadOfLoadingTwoLibTorches()
    {
        (int exit, string output) = Run(AppContext.BaseDirectory, ["native-info", "--libtorch", relocated.Folder]);

        Assert.Equal(2, exit);
        Assert.Contains("-p:NanoT5Backend=libtorch", output, StringComparison.Ordinal);
    }

    private static void CopyPart(Stream source, Stream target, long count)
    {
        byte[] buffer = new byte[1 << 20];
        for (int read; count > 0 && (read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, count))) > 0; count -= read)
        {
            target.Write(buffer, 0, read);
        }
    }


    private static int Replace(byte[] data, byte[] pattern, byte lastByte)
    {
        int count = 0;
        for (int i = data.AsSpan().IndexOf(pattern); i >= 0; i = data.AsSpan(i + 1).IndexOf(pattern) is int next and >= 0 ? i + 1 + next : -1)
        {
            data[i + pattern.Length - 1] = lastByte;
            count++;
        }

        return count;
    }

    private static (int Exit, string Output) Run(string appFolder, string[] args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(appFolder, "NanoT5.Runtime.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("NANOT5_LIBTORCH");
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000));
        return (process.ExitCode, stdout + stderr.Result);
    }
}

/// <summary>A copy of the runtime without torch natives, and a folder with the NuGet libtorch and the patched shim.</summary>
public sealed class RelocatedLibTorch : IDisposable
{
    private static readonly string[] LibTorchFiles = ["libc10.so", "libtorch_cpu.so", "libtorch.so", "libgomp-98b21ff3.so.1"];
    private readonly TempFolder scratch = TestPaths.NewTempFolder();

    public RelocatedLibTorch()
    {
        string output = AppContext.BaseDirectory;
        string natives = Path.Combine(output, "runtimes", "linux-x64", "native");
        App = Path.Combine(scratch.Path, "app");
        Directory.CreateDirectory(Path.Combine(App, "runtimes", "linux-x64", "native"));
        foreach (string file in Directory.GetFiles(output))
        {
            File.Copy(file, Path.Combine(App, Path.GetFileName(file)));
        }

        foreach (string plotting in new[] { "libSkiaSharp.so", "libHarfBuzzSharp.so" })
        {
            File.Copy(Path.Combine(natives, plotting), Path.Combine(App, "runtimes", "linux-x64", "native", plotting));
        }

        Folder = Path.Combine(scratch.Path, "libtorch");
        Directory.CreateDirectory(Folder);
        foreach (string file in LibTorchFiles.Append("libLibTorchSharp.so"))
        {
            File.Copy(Path.Combine(natives, file), Path.Combine(Folder, file));
        }
    }

    /// <summary>The runtime program, no torch natives in its output.</summary>
    public string App { get; }

    /// <summary>The relocated libtorch with the build's (patched) shim.</summary>
    public string Folder { get; }

    public string Scratch => scratch.Path;

    /// <summary>A folder whose libtorch files link to <see cref="Folder"/>'s, with <paramref name="shim"/> as its shim (null: none).</summary>
    public string Variant(string name, byte[]? shim, bool libsInLibFolder = false, string? leaveOut = null)
    {
        string folder = Path.Combine(scratch.Path, name);
        string libs = libsInLibFolder ? Path.Combine(folder, "lib") : folder;
        Directory.CreateDirectory(libs);
        foreach (string file in LibTorchFiles.Where(f => f != leaveOut))
        {
            File.CreateSymbolicLink(Path.Combine(libs, file), Path.Combine(Folder, file));
        }

        if (shim is not null)
        {
            File.WriteAllBytes(Path.Combine(folder, "libLibTorchSharp.so"), shim);
        }

        return folder;
    }

    public void Dispose() => scratch.Dispose();
}
