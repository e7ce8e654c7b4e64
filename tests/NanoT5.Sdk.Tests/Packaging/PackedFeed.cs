// NanoT5.Sdk and NanoT5.Runtime packed once (from the outputs the tests were built with) into a folder feed, and
// an empty NuGet cache for the builds that consume them, so the machine's cache never holds these test packages.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Packaging;

public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "nanot5-sdk-tests", "feed-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Packages);
        foreach (string project in new[] { Repo.Path("Sdk", "NanoT5.Sdk.Tasks", "NanoT5.Sdk.Tasks.csproj"), Repo.Path("src", "NanoT5.Runtime", "NanoT5.Runtime.csproj") })
        {
            Dotnet.Run(Repo.Root, ["pack", project, "-c", Repo.Configuration, "--no-build", "-o", Feed, "-nologo", "-tl:off", "-v:m"]).ShouldSucceed();
        }

        Version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "NanoT5.Sdk.*.nupkg").Single())["NanoT5.Sdk.".Length..];
    }

    public string Root { get; }

    /// <summary>The folder of .nupkg files (a package source).</summary>
    public string Feed { get; }

    /// <summary>An empty global packages folder (NUGET_PACKAGES) for the consuming builds.</summary>
    public string Packages { get; }

    public string Version { get; }

    /// <summary>
    /// Environment for a consuming build: its own package cache; everything else (TorchSharp, ...) comes from the
    /// machine's cache as a fallback folder, so no test downloads gigabytes.
    /// </summary>
    public Dictionary<string, string?> Environment => new() { ["NUGET_PACKAGES"] = Packages };

    /// <summary>Restore arguments that add the machine's cache as a fallback folder.</summary>
    public static string[] RestoreArguments => ["-p:RestoreAdditionalProjectFallbackFolders=" + Repo.NuGetPackageRoot.TrimEnd('/'), "-p:NuGetAudit=false"];

    /// <summary>global.json (this version of NanoT5.Sdk) and a nuget.config with the feed, as the template writes them.</summary>
    internal void WriteConsumerFiles(ExperimentFolder folder)
    {
        folder.Write("global.json", $$"""{ "msbuild-sdks": { "NanoT5.Sdk": "{{Version}}" } }""");
        folder.Write("nuget.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="nanot5" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="nanot5"><package pattern="NanoT5.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
