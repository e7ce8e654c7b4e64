// eng/build-libtorchsharp.sh without a compiler run: its argument checks, the pinned-source check and the exact
// cmake invocation of --dry-run (the build itself needs torch headers, which only a pip PyTorch or libtorch has).
using System.Diagnostics;

namespace NanoT5.Tests.Eng;

[Trait("Category", "Slow")]
public sealed class BuildLibTorchSharpScriptTests : IDisposable
{
    private const string PinnedCommit = "c20b6a1cc574d690707638a488d2583f3b8b983f";
    private readonly TempFolder scratch = TestPaths.NewTempFolder();

    [Fact]
    public void WithoutTheSource_SaysItIsRequired()
    {
        (int exit, string output) = Run("--libtorch", "/x", "--out", "/y");

        Assert.Equal(2, exit);
        Assert.Contains("--torchsharp-source is required", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BothALibTorchAndAPython_IsRejected()
    {
        (int exit, string output) = Run("--torchsharp-source", FakeSource(), "--libtorch", FakeLibTorch("2.10.0"), "--python", "python3", "--out", Out);

        Assert.Equal(2, exit);
        Assert.Contains("give --libtorch or --python, not both", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ASourceThatIsNotThePinnedCommit_IsRejectedNamingThePinnedCommit()
    {
        (int exit, string output) = Run("--torchsharp-source", FakeSource(), "--libtorch", FakeLibTorch("2.10.0"), "--out", Out, "--dry-run");

        Assert.Equal(2, exit);
        Assert.Contains($"not TorchSharp 0.107.0's commit {PinnedCommit}", output, StringComparison.Ordinal);
        Assert.Contains("--allow-unpinned", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void DryRun_AgainstA211LibTorch_PrintsTorchSharpsCMakeCommandAndTheDeprecationPatch()
    {
        string libtorch = FakeLibTorch("2.11.0+cpu");

        (int exit, string output) = Run("--torchsharp-source", FakeSource(), "--allow-unpinned", "--libtorch", libtorch, "--out", Out, "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("torch 2.11.0+cpu (cuda: none, cxx11 abi: 1)", output, StringComparison.Ordinal);
        Assert.Contains("patch: P1 CMakeLists.txt: -Werror keeps failing on warnings except deprecated-declarations", output, StringComparison.Ordinal);
        Assert.Contains(
            $"+ cmake -S {Out}/build/src/Native -B {Out}/build/cmake -DCMAKE_BUILD_TYPE=Release -DLIBTORCH_ARCH=x64 -DCMAKE_INSTALL_PREFIX={Out}/build/install " +
            $"-DLIBTORCH_PATH={libtorch}/share/cmake/Torch -DCMAKE_PREFIX_PATH={libtorch}/share/cmake",
            output,
            StringComparison.Ordinal);
        Assert.Contains($"+ cmake --build {Out}/build/cmake --target LibTorchSharp", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "libLibTorchSharp.so")));
    }

    [Fact]
    public void DryRun_WithExplicitTorch_GivesTheIncludeDirsAndLibrariesByHand_AndNoDeprecationPatchFor210()
    {
        string libtorch = FakeLibTorch("2.10.0");

        (int exit, string output) = Run("--torchsharp-source", FakeSource(), "--allow-unpinned", "--libtorch", libtorch, "--out", Out, "--torch-cmake", "explicit", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("patch: P2 LibTorchSharp/CMakeLists.txt: find_package(Torch) skipped", output, StringComparison.Ordinal);
        Assert.DoesNotContain("P1", output, StringComparison.Ordinal);
        Assert.Contains(
            $"-DNANOT5_TORCH_EXPLICIT=ON -DTORCH_INCLUDE_DIRS={libtorch}/include;{libtorch}/include/torch/csrc/api/include " +
            $"-DTORCH_LIBRARIES={libtorch}/lib/libtorch.so;{libtorch}/lib/libtorch_cpu.so;{libtorch}/lib/libc10.so",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ALibTorchFolderWithoutItsLibraries_IsNamed()
    {
        string empty = Path.Combine(scratch.Path, "empty-libtorch");
        Directory.CreateDirectory(empty);

        (int exit, string output) = Run("--torchsharp-source", FakeSource(), "--allow-unpinned", "--libtorch", empty, "--out", Out, "--dry-run");

        Assert.Equal(2, exit);
        Assert.Contains($"--libtorch: {empty}/lib/libtorch_cpu.so is missing", output, StringComparison.Ordinal);
    }

    public void Dispose() => scratch.Dispose();

    private string Out => Path.Combine(scratch.Path, "out");

    private string FakeSource()
    {
        string source = Path.Combine(scratch.Path, "torchsharp");
        Directory.CreateDirectory(Path.Combine(source, "src", "Native", "LibTorchSharp"));
        File.WriteAllText(Path.Combine(source, "src", "Native", "LibTorchSharp", "CMakeLists.txt"), "project(LibTorchSharp)\n");
        return source;
    }

    // A libtorch layout whose lib/ links to this build's NuGet libtorch (real ELF files: the script reads libc10's ABI).
    private string FakeLibTorch(string version)
    {
        string root = Path.Combine(scratch.Path, "libtorch-" + version);
        Directory.CreateDirectory(Path.Combine(root, "lib"));
        foreach (string file in new[] { "libtorch_cpu.so", "libc10.so" })
        {
            File.CreateSymbolicLink(Path.Combine(root, "lib", file), Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file));
        }

        File.WriteAllText(Path.Combine(root, "build-version"), version + "\n");
        return root;
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(TestPaths.Repo("eng", "build-libtorchsharp.sh"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        return (process.ExitCode, stdout + stderr.Result);
    }
}
