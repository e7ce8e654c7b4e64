// An experiment outside the repository resolves NanoT5.Sdk as a NuGet package (global.json msbuild-sdks, a local
// folder feed), the way Microsoft.Build.NoTargets is consumed, and references the NanoT5.Runtime package.
using System.IO.Compression;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Packaging;

[Collection(PackedFeedCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OutsideRepositoryTests(PackedFeed packed)
{
    [Fact]
    public void The_SDK_package_holds_the_props_targets_tasks_and_docs_and_pins_the_runtime_version()
    {
        using ZipArchive sdk = ZipFile.OpenRead(Path.Combine(packed.Feed, $"NanoT5.Sdk.{packed.Version}.nupkg"));
        string[] entries = sdk.Entries.Select(e => e.FullName).ToArray();

        Assert.Subset(entries.ToHashSet(), new HashSet<string>
        {
            "Sdk/Sdk.props", "Sdk/Sdk.targets", "Sdk/NanoT5.Settings.targets", "Sdk/NanoT5.Tasks.targets", "Sdk/NanoT5.Run.targets",
            "Sdk/NanoT5.Sdk.Version.props", "tasks/netstandard2.0/NanoT5.Sdk.Tasks.dll", "README.md", "diagnostics.md",
        });
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
        using var reader = new StreamReader(sdk.GetEntry("Sdk/NanoT5.Sdk.Version.props")!.Open());
        Assert.Contains($">{packed.Version}</NanoT5RuntimeVersion>", reader.ReadToEnd(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(packed.Feed, $"NanoT5.Runtime.{packed.Version}.nupkg")));
    }

    [Fact]
    public void The_runtime_package_holds_its_build_targets_and_the_ELF_source_their_task_compiles_at_the_same_relative_path()
    {
        using ZipArchive runtime = ZipFile.OpenRead(Path.Combine(packed.Feed, $"NanoT5.Runtime.{packed.Version}.nupkg"));
        string[] entries = runtime.Entries.Select(e => e.FullName).ToArray();

        // NativeFix.targets compiles $(MSBuildThisFileDirectory)../Native/ElfFormat.cs, as in the repository.
        Assert.Subset(entries.ToHashSet(), new HashSet<string> { "buildTransitive/NanoT5.Runtime.targets", "buildTransitive/NativeFix.targets", "Native/ElfFormat.cs" });
        Assert.DoesNotContain(entries, e => e.StartsWith("buildTransitive/", StringComparison.Ordinal) && e.EndsWith(".cs", StringComparison.Ordinal));
    }

    [Fact]
    public void An_experiment_outside_the_repository_resolves_the_packages_builds_and_runs()
    {
        using var folder = ExperimentFolder.Outside();
        packed.WriteConsumerFiles(folder);
        File.WriteAllText(folder.ProjectFile, """
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5TrainSources>builtin:dotnet-docs</NanoT5TrainSources>
                <NanoT5BatchSize>12</NanoT5BatchSize>
                <NanoT5BatchSize>13</NanoT5BatchSize>
                <NanoT5GradAcc>4</NanoT5GradAcc>
              </PropertyGroup>
            </Project>
            """);

        BuildResult invalid = Dotnet.Run(folder.Path, ["build", "-t:Validate", "-nologo", "-tl:off", .. PackedFeed.RestoreArguments], packed.Environment).ShouldFail();
        Assert.Equal((folder.ProjectFile, folder.LineOf("13")), (invalid.Single("NT2001").File, invalid.Single("NT2001").Line));

        BuildResult run = Dotnet.Run(folder.Path, ["build", "-t:ShowConfig", "-nologo", "-tl:off", "-v:n", "-p:NanoT5BatchSize=16", .. PackedFeed.RestoreArguments], packed.Environment).ShouldSucceed();
        Assert.Equal(16, ConfigJson.From(run).Number("optim.batch_size"));
        Assert.True(Directory.Exists(Path.Combine(packed.Packages, "nanot5.sdk", packed.Version)), "the SDK came from the feed through the NuGet SDK resolver");
        Assert.True(File.Exists(Path.Combine(folder.Path, "bin", "Release", "net10.0", "NanoT5.Runtime.dll")));
        Assert.Contains("NanoT5PatchLibTorchSharpInOutput:", run.Output, StringComparison.Ordinal);
    }
}
