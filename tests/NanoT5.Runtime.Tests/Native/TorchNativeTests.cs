using System.Diagnostics;
using NanoT5.Native;

namespace NanoT5.Tests.Native;

[Collection(TorchCollection.Name)]
public sealed class TorchNativeTests
{
    [Fact]
    public void DeviceSelector_Cpu_ResolvesToTheCpu()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, DeviceSelector.Resolve("cpu").type);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void DeviceSelector_CudaOnTheCpuBackend_SaysHowToGetTheCudaBackend(string device)
    {
        Assert.Equal("cpu", TorchNative.Backend);

        var error = Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve(device));

        Assert.Contains("-p:NanoT5Backend=cuda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseLibTorch_AfterTheNuGetBackendLoaded_IsAnErrorNamingBothSources()
    {
        TorchNative.EnsureLoaded();
        string folder = Path.Combine(Path.GetTempPath(), "some-libtorch");

        var error = Assert.Throws<ArgumentException>(() => TorchNative.UseLibTorch(folder, "NanoT5LibTorch (lib_torch)"));

        Assert.Contains($"NanoT5LibTorch (lib_torch): libtorch folder {folder} was asked for after the native backend was loaded from TorchSharp's NuGet package", error.Message, StringComparison.Ordinal);
        TorchNative.UseLibTorch(" ", "an empty setting"); // empty means no preference: no error
        Assert.Null(TorchNative.LibTorchFolderInUse);
    }

    [Fact]
    public void SetAllowTf32_SetsTorchsMatmulAndCudnnFlags()
    {
        try
        {
            TorchNative.SetAllowTf32(true);
            Assert.True(TorchSharp.torch.backends.cuda.matmul.allow_tf32);
            Assert.True(TorchSharp.torch.backends.cudnn.allow_tf32);
        }
        finally
        {
            TorchNative.SetAllowTf32(false);
        }

        Assert.False(TorchSharp.torch.backends.cuda.matmul.allow_tf32);
        Assert.False(TorchSharp.torch.backends.cudnn.allow_tf32);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:-1")]
    public void DeviceSelector_AMalformedName_ListsTheAcceptedForms(string device)
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve(device));

        Assert.Contains("use cpu, cuda or cuda:N", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ProgramWithAnUnpatchedLibrary_FailsWithTheReasonAndTheFix_NotTorchSharpsMessage()
    {
        if (ElfVersionNeedPatcher.SystemLibStdCxxHasVersion(ElfVersionNeedPatcher.Glibcxx3432) == true)
        {
            // This machine's libstdc++ loads the shipped file as is; the failure cannot be provoked here.
            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchImage(File.ReadAllBytes(RuntimeLibrary("libLibTorchSharp.so")), ElfVersionNeedPatcher.Glibcxx3432, "x"));
            return;
        }

        using var folder = TestPaths.NewTempFolder();
        CopyDirectory(Path.GetDirectoryName(typeof(TorchNative).Assembly.Location)!, folder.Path);
        string shipped = Path.Combine(
            TestPaths.Metadata("NuGetPackageRoot"), "torchsharp", TestPaths.Metadata("TorchSharpVersion"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string copy = Path.Combine(folder.Path, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        File.Delete(copy); // a hard link to this test run's own (loaded) library: unlink, never write through it
        File.Copy(shipped, copy);

        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder.Path, "NanoT5.Runtime.dll"), "parity", TestPaths.ParityFixture])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("GLIBCXX_3.4.32", stderr, StringComparison.Ordinal);
        Assert.Contains("-p:NanoT5PatchLibTorchSharp=true", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("doesn't contain a reference", stderr, StringComparison.Ordinal);
    }

    private static string RuntimeLibrary(string file) => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file);

    private static void CopyDirectory(string from, string to)
    {
        foreach (string directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = file.Replace(from, to, StringComparison.Ordinal);
            // Hard links keep the 500 MB libtorch copy cheap; the one file replaced below is unlinked first.
            if (Link(file, target) != 0)
            {
                File.Copy(file, target);
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string oldPath, string newPath);
}
