// NT0001-NT0003 belong to the runtime's build logic (native fix, backend choice) but share the one registry.
// The patch task is run as MSBuild runs it: NativeFix.targets compiles src/NanoT5.Runtime/Native/ElfFormat.cs with
// the inline task factory, so these tests also check that the runtime's ELF source still compiles there.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Diagnostics;

public sealed class RuntimeBuildLogicTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void The_runtime_patch_task_raises_NT0001_for_an_unknown_mode()
    {
        using ExperimentFolder folder = ProjectWithALibrary("not a library");

        BuildResult result = PatchOutput(folder, "sometimes");

        result.ShouldFail();
        Assert.Equal("NanoT5PatchLibTorchSharp must be auto, true or false (got 'sometimes').", result.Single("NT0001").Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_runtime_patch_task_raises_NT0002_for_a_library_it_cannot_read()
    {
        using ExperimentFolder folder = ProjectWithALibrary("not a library");
        string library = Path.Combine(folder.Path, "out", "libLibTorchSharp.so");

        BuildResult result = PatchOutput(folder, "true");

        result.ShouldFail();
        LoggedDiagnostic error = result.Single("NT0002");
        Assert.Equal(library, error.File);
        Assert.Equal($"Could not patch {library} for this libstdc++: {library} is not an ELF file.", error.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_runtime_project_raises_NT0003_for_an_unknown_backend()
    {
        BuildResult result = Dotnet.Run(Repo.Root, ["msbuild", Repo.Path("src", "NanoT5.Runtime", "NanoT5.Runtime.csproj"), "-t:NanoT5CheckBackend", "-p:NanoT5Backend=tpu", "-nologo", "-tl:off", "-v:m"]);

        result.ShouldFail();
        Assert.Contains("NanoT5Backend must be 'cpu', 'cuda' or 'libtorch' (got 'tpu').", result.Single("NT0003").Message, StringComparison.Ordinal);
    }

    // A project with only the runtime's native fix and an output folder holding one libLibTorchSharp.so.
    private static ExperimentFolder ProjectWithALibrary(string libraryText)
    {
        ExperimentFolder folder = ExperimentFolder.Outside();
        folder.Write("patch.proj", $"""
            <Project>
              <Import Project="{Repo.Path("src", "NanoT5.Runtime", "build", "NativeFix.targets")}" />
            </Project>
            """);
        folder.Write(Path.Combine("out", "libLibTorchSharp.so"), libraryText);
        return folder;
    }

    private static BuildResult PatchOutput(ExperimentFolder folder, string mode) =>
        Dotnet.Run(folder.Path, ["msbuild", "patch.proj", "-t:NanoT5PatchLibTorchSharpInOutput", $"-p:OutDir={folder.Path}/out/", $"-p:NanoT5PatchLibTorchSharp={mode}", "-nologo", "-tl:off", "-v:m"]);
}
