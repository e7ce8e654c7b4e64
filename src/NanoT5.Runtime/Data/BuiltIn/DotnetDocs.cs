// The .NET SDK's reference XML documentation (packs/<pack>.Ref/<version>/ref/net*/*.xml), present wherever the
// SDK is and needing no network. One place finds it and reads its code references; the pretraining corpus
// (builtin:dotnet-docs) and the fine-tuning demo (builtin:demo) both read it through here.
using System.Runtime.InteropServices;

namespace NanoT5.Data.BuiltIn;

/// <summary>Where the SDK's reference documentation is installed, and the names its code references stand for.</summary>
public static class DotnetDocs
{
    /// <summary>
    /// Candidate .NET roots (the folder with dotnet, packs/, shared/), in the order they are tried: DOTNET_ROOT, the
    /// folder of the running runtime, the real path of `dotnet` on PATH, /usr/share/dotnet, /usr/lib/dotnet, ~/.dotnet.
    /// </summary>
    public static IEnumerable<string> Roots() => CandidateRoots().Distinct(StringComparer.Ordinal);

    /// <summary>The first of <see cref="Roots"/> for which <paramref name="holds"/> is true; null when none is.</summary>
    public static string? FindRoot(Func<string, bool> holds) => Roots().FirstOrDefault(holds);

    /// <summary>
    /// The XML files (ordinal order) of the newest version and newest target framework of the reference pack in
    /// <paramref name="packFolder"/> that has any, and that version's folder name; null when no version has one.
    /// </summary>
    public static (IReadOnlyList<string> Files, string Version)? PackFiles(string packFolder)
    {
        if (!Directory.Exists(packFolder))
        {
            return null;
        }

        foreach (string version in Directory.EnumerateDirectories(packFolder).OrderByDescending(VersionKey))
        {
            string refFolder = Path.Combine(version, "ref");
            IEnumerable<string> frameworks = Directory.Exists(refFolder) ? Directory.EnumerateDirectories(refFolder, "net*").OrderByDescending(VersionKey) : [];
            foreach (string framework in frameworks)
            {
                string[] files = [.. Directory.EnumerateFiles(framework, "*.xml").Order(StringComparer.Ordinal)];
                if (files.Length > 0)
                {
                    return (files, Path.GetFileName(version));
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The name a code reference stands for: "M:System.String.Concat(System.Object)" -> Concat,
    /// "T:System.Collections.Generic.List`1" -> List, a constructor "M:System.String.#ctor(...)" -> String
    /// (or #ctor when <paramref name="constructorAsType"/> is false).
    /// </summary>
    public static string CrefName(string cref, bool constructorAsType = true)
    {
        ArgumentNullException.ThrowIfNull(cref);
        string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        int parameters = name.IndexOf('(', StringComparison.Ordinal);
        if (parameters >= 0)
        {
            name = name[..parameters];
        }

        string[] parts = name.Split('.');
        string last = constructorAsType && parts[^1] == "#ctor" && parts.Length > 1 ? parts[^2] : parts[^1];
        int arity = last.IndexOf('`', StringComparison.Ordinal);
        return arity >= 0 ? last[..arity] : last;
    }

    private static IEnumerable<string> CandidateRoots()
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
        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet");
    }

    // /usr/bin/dotnet is usually a link into the real root.
    private static string? DotnetOnPath()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var file = new FileInfo(Path.Combine(folder, name));
            if (file.Exists)
            {
                FileSystemInfo real = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
                return Path.GetDirectoryName(Path.GetFullPath(real.FullName));
            }
        }

        return null;
    }

    // "10.0.2" / "net10.0" / "10.0.0-rc.1" -> (version, name): numeric order first, the folder name breaks ties.
    private static (Version, string) VersionKey(string folder)
    {
        string name = Path.GetFileName(folder).TrimStart('n', 'e', 't');
        int dash = name.IndexOf('-', StringComparison.Ordinal);
        string core = dash >= 0 ? name[..dash] : name;
        return (Version.TryParse(core, out Version? v) ? v : new Version(0, 0), name);
    }
}
