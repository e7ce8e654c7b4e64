// Where the repository and the build's own facts are, as the test assembly was built.
using System.Reflection;

namespace NanoT5.Sdk.Tests.Infrastructure;

internal static class Repo
{
    public static string Root { get; } = Metadata("RepoRoot");

    /// <summary>The configuration the tests (and so the runtime they reference) were built in; experiment builds use it too.</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The machine's NuGet cache (a fallback folder for builds that get an empty cache of their own).</summary>
    public static string NuGetPackageRoot { get; } = Metadata("NuGetPackageRoot");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string ReadFile(params string[] parts) => File.ReadAllText(Path(parts));

    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
