// NT0001-NT0003 belong to the runtime's build logic (native fix, backend choice) but share the one registry.
using Microsoft.Build.Utilities;
using NanoT5.Build;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Diagnostics;

public sealed class RuntimeBuildLogicTests
{
    [Fact]
    public void The_runtime_patch_task_raises_NT0001_for_an_unknown_mode()
    {
        var engine = new FakeBuildEngine();
        var task = new PatchLibTorchSharpForOldLibStdCxx { BuildEngine = engine, Mode = "sometimes", Libraries = [] };

        Assert.False(task.Execute());
        Assert.Equal("NT0001", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void The_runtime_patch_task_raises_NT0002_for_a_library_it_cannot_read()
    {
        var engine = new FakeBuildEngine();
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "libLibTorchSharp.so");
        var task = new PatchLibTorchSharpForOldLibStdCxx { BuildEngine = engine, Mode = "true", Libraries = [new TaskItem(missing)] };

        Assert.False(task.Execute());
        Assert.Equal(("NT0002", missing), (engine.Errors.Single().Code, engine.Errors.Single().File));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_runtime_project_raises_NT0003_for_an_unknown_backend()
    {
        BuildResult result = Dotnet.Run(Repo.Root, ["msbuild", Repo.Path("src", "NanoT5.Runtime", "NanoT5.Runtime.csproj"), "-t:NanoT5CheckBackend", "-p:NanoT5Backend=tpu", "-nologo", "-tl:off", "-v:m"]);

        result.ShouldFail();
        Assert.Contains("NanoT5Backend must be 'cpu', 'cuda' or 'libtorch' (got 'tpu').", result.Single("NT0003").Message, StringComparison.Ordinal);
    }
}
