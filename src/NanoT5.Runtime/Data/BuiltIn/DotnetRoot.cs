// Finds the .NET installation whose packs/ hold the reference XML docs of the built-in corpus.
using System.Runtime.InteropServices;

namespace NanoT5.Data.BuiltIn;

/// <summary>Locates the .NET root (the folder with dotnet, packs/, shared/).</summary>
public static class DotnetRoot
{
    /// <summary>
    /// The first candidate with a packs/ folder: DOTNET_ROOT, the folder of the running runtime, the real path
    /// of `dotnet` on PATH, then /usr/share/dotnet and /usr/lib/dotnet. Null when none has one.
    /// </summary>
    public static string? Find() => Candidates().FirstOrDefault(c => Directory.Exists(Path.Combine(c, "packs")));

    /// <summary>Where <see cref="Find"/> looks, in order (for the error message).</summary>
    public static IEnumerable<string> Candidates()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            yield return Path.GetFullPath(fromEnvironment);
        }

        // .../shared/Microsoft.NETCore.App/<version>/ → the root is three folders up.
        DirectoryInfo? runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent?.Parent;
        if (runtime is not null)
        {
            yield return runtime.FullName;
        }

        string? onPath = DotnetOnPath();
        if (onPath is not null)
        {
            yield return onPath;
        }

        yield return "/usr/share/dotnet";
        yield return "/usr/lib/dotnet";
    }

    private static string? DotnetOnPath()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var file = new FileInfo(Path.Combine(folder, name));
            if (file.Exists)
            {
                FileSystemInfo real = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
                return Path.GetDirectoryName(real.FullName);
            }
        }

        return null;
    }
}
