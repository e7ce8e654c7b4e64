using System.Runtime.InteropServices;
using NanoT5.Native;

namespace NanoT5.Tests.Native;

public sealed class ElfVersionNeedPatcherTests
{
    private static string NuGetCopy(string file) => Path.Combine(
        TestPaths.Metadata("NuGetPackageRoot"), "torchsharp", TestPaths.Metadata("TorchSharpVersion"), "runtimes", "linux-x64", "native", file);

    private static string OutputCopy(string file) => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file);

    [Fact]
    public void PatchImage_OfTheShippedLibTorchSharp_MakesTheVersionNeedAndItsSymbolWeak()
    {
        byte[] image = File.ReadAllBytes(NuGetCopy("libLibTorchSharp.so"));
        byte[] original = (byte[])image.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchImage(image, ElfVersionNeedPatcher.Glibcxx3432, "lib"));

        // Three in-place edits: the Vernaux flags (2 bytes), the symbol's version index and its binding.
        int changed = image.Zip(original).Count(p => p.First != p.Second);
        Assert.InRange(changed, 2, 4);
        Assert.Equal(original.Length, image.Length);
        Assert.Equal(ElfPatchOutcome.AlreadyPatched, ElfVersionNeedPatcher.PatchImage(image, ElfVersionNeedPatcher.Glibcxx3432, "lib"));
    }

    [Fact]
    public void PatchImage_OfALibraryThatDoesNotNeedTheVersion_ChangesNothing()
    {
        byte[] image = File.ReadAllBytes(OutputCopy("libc10.so"));
        byte[] original = (byte[])image.Clone();

        Assert.Equal(ElfPatchOutcome.NotNeeded, ElfVersionNeedPatcher.PatchImage(image, ElfVersionNeedPatcher.Glibcxx3432, "libc10.so"));
        Assert.Equal(original, image);
    }

    [Fact]
    public void PatchImage_OfANonElfFile_NamesTheFile()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.PatchImage(new byte[100], "X", "notes.txt"));

        Assert.Contains("notes.txt is not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PatchedOnlyThisProjectsOutput_AndOnlyWhereLibStdCxxLacksTheVersion()
    {
        bool? systemHasVersion = ElfVersionNeedPatcher.SystemLibStdCxxHasVersion(ElfVersionNeedPatcher.Glibcxx3432);
        byte[] output = File.ReadAllBytes(OutputCopy("libLibTorchSharp.so"));
        byte[] cache = File.ReadAllBytes(NuGetCopy("libLibTorchSharp.so"));

        // The NuGet cache keeps the file as shipped.
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchImage((byte[])cache.Clone(), ElfVersionNeedPatcher.Glibcxx3432, "cache"));
        var expectedOutput = systemHasVersion == true ? ElfPatchOutcome.Patched : ElfPatchOutcome.AlreadyPatched;
        Assert.Equal(expectedOutput, ElfVersionNeedPatcher.PatchImage(output, ElfVersionNeedPatcher.Glibcxx3432, "output"));
    }

    [Fact]
    public void Patch_WritesThroughARenameSoAHardLinkedOriginalIsUntouched()
    {
        using var folder = TestPaths.NewTempFolder();
        string original = folder.File("original.so");
        string linked = folder.File("linked.so");
        File.Copy(NuGetCopy("libLibTorchSharp.so"), original);
        Assert.Equal(0, Link(original, linked));

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.Patch(linked, ElfVersionNeedPatcher.Glibcxx3432));

        Assert.Equal(File.ReadAllBytes(NuGetCopy("libLibTorchSharp.so")), File.ReadAllBytes(original));
        Assert.NotEqual(File.ReadAllBytes(original), File.ReadAllBytes(linked));
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string oldPath, string newPath);
}
