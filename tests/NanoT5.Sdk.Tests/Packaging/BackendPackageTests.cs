// The backend choice reaches package consumers: the NanoT5.Runtime package depends on the managed TorchSharp only,
// and the experiment's NanoT5Device/NanoT5Backend chooses the natives. Asserted on the evaluated PackageReference
// items (TorchSharp-cuda-linux cannot be restored on these machines, and evaluation needs no restore).
using System.IO.Compression;
using System.Text.Json.Nodes;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Packaging;

[Collection(PackedFeedCollection.Name)]
[Trait("Category", "Slow")]
public sealed class BackendPackageTests(PackedFeed packed)
{
    [Fact]
    public void The_runtime_package_depends_on_the_managed_TorchSharp_and_not_on_its_CPU_natives()
    {
        using ZipArchive runtime = ZipFile.OpenRead(Path.Combine(packed.Feed, $"NanoT5.Runtime.{packed.Version}.nupkg"));
        using var reader = new StreamReader(runtime.GetEntry("NanoT5.Runtime.nuspec")!.Open());
        string nuspec = reader.ReadToEnd();

        Assert.Contains("<dependency id=\"TorchSharp\" ", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("TorchSharp-cpu", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("libtorch", nuspec, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<NanoT5Device>cuda</NanoT5Device>", "", "TorchSharp-cuda-linux")]
    [InlineData("<NanoT5Device>cuda:1</NanoT5Device><NanoT5Precision>bf16</NanoT5Precision>", "", "TorchSharp-cuda-linux")]
    [InlineData("", "-p:NanoT5Backend=cuda", "TorchSharp-cuda-linux")]
    [InlineData("", "", "libtorch-cpu-linux-x64")]
    [InlineData("", "-p:NanoT5NativeRuntime=all", "TorchSharp-cpu")]
    [InlineData("<NanoT5Device>cuda</NanoT5Device>", "-p:NanoT5LibTorch=/opt/libtorch", null)]
    public void An_experiment_from_the_packages_asks_for_the_natives_of_its_backend_only(string properties, string argument, string? natives)
    {
        using var folder = OutsideExperiment($"<Project Sdk=\"NanoT5.Sdk\"><PropertyGroup>{properties}</PropertyGroup></Project>");

        string[] references = PackageReferences(folder, argument);

        Assert.Equal(new[] { "NanoT5.Runtime", natives }.OfType<string>().Order(StringComparer.Ordinal), references.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_native_runtime_is_error_NT0004()
    {
        using var folder = OutsideExperiment("<Project Sdk=\"NanoT5.Sdk\" />");

        BuildResult result = Dotnet.Run(folder.Path, ["msbuild", "-t:Validate", "-nologo", "-tl:off", "-p:NanoT5NativeRuntime=linux-riscv64"], packed.Environment).ShouldFail();

        Assert.Equal("NanoT5NativeRuntime must be all, linux-x64, win-x64 or osx-arm64 (got 'linux-riscv64'): the platforms LibTorch ships for.", result.Single("NT0004").Message);
    }

    private ExperimentFolder OutsideExperiment(string project)
    {
        var folder = ExperimentFolder.Outside();
        packed.WriteConsumerFiles(folder);
        File.WriteAllText(folder.ProjectFile, project);
        return folder;
    }

    private string[] PackageReferences(ExperimentFolder folder, string argument)
    {
        BuildResult result = Dotnet.Run(folder.Path, ["msbuild", "-getItem:PackageReference", "-nologo", .. argument.Length > 0 ? new[] { argument } : []], packed.Environment).ShouldSucceed();
        return [.. JsonNode.Parse(result.Output)!["Items"]!["PackageReference"]!.AsArray().Select(i => i!["Identity"]!.GetValue<string>())];
    }
}
