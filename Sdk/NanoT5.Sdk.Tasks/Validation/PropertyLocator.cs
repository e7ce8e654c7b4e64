// Finds the element that set a property: reads the project file and the files around it (Directory.Build.props
// before it, Directory.Build.targets after it, and the imports they name with plain paths) with line numbers, in
// MSBuild's evaluation order. MSBuild keeps the last assignment; conditions are not evaluated, so the last element
// whose text is the property's value wins, else the last element of that name.
using System.Xml;
using System.Xml.Linq;

namespace NanoT5.Sdk.Validation;

internal sealed class PropertyLocator
{
    private readonly string projectFile;
    private readonly IReadOnlyDictionary<string, string> globalProperties;
    private readonly Func<string, string?> environment;
    private readonly List<Assignment> assignments = [];
    private readonly Dictionary<string, List<Assignment>> sweepRuns = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? sweepRun;

    // Stands for the NanoT5SweepRun element itself among its metadata.
    private const string ItemMarker = "";

    /// <param name="projectFile">The .t5proj.</param>
    /// <param name="filesBefore">Files evaluated before the project body (Directory.Build.props).</param>
    /// <param name="filesAfter">Files evaluated after it (Directory.Build.targets).</param>
    /// <param name="globalProperties">-p: properties (and those a sweep passes to its runs).</param>
    /// <param name="environment">Environment lookup (MSBuild turns variables into properties).</param>
    /// <param name="sweepRun">The NanoT5SweepRun this build is, if any: its metadata locate the properties it sets.</param>
    public PropertyLocator(
        string projectFile,
        IEnumerable<string> filesBefore,
        IEnumerable<string> filesAfter,
        IReadOnlyDictionary<string, string> globalProperties,
        Func<string, string?> environment,
        string? sweepRun = null)
    {
        this.projectFile = projectFile;
        this.globalProperties = new Dictionary<string, string>(globalProperties.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase);
        this.environment = environment;
        this.sweepRun = string.IsNullOrEmpty(sweepRun) ? null : sweepRun;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in filesBefore.Append(projectFile).Concat(filesAfter))
        {
            Read(file, seen, depth: 0);
        }
    }

    /// <summary>Files that could not be read as XML (a broken import is MSBuild's to report).</summary>
    public IList<string> UnreadableFiles { get; } = [];

    /// <summary>Every property element name in the files read, with its first location.</summary>
    public IEnumerable<(string Name, PropertyLocation Location)> PropertiesInFiles =>
        assignments.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).Select(g => (g.First().Name, g.First().Location));

    /// <summary>Global properties, with their location (a sweep run's metadata, else the command line).</summary>
    public IEnumerable<(string Name, PropertyLocation Location)> GlobalProperties =>
        globalProperties.Keys.Select(name => (name, Locate(name, value: null)));

    /// <summary>Where <paramref name="property"/> got <paramref name="value"/>.</summary>
    public PropertyLocation Locate(string property, string? value)
    {
        if (globalProperties.ContainsKey(property))
        {
            if (sweepRun is not null && sweepRuns.TryGetValue(sweepRun, out List<Assignment>? metadata))
            {
                Assignment? set = metadata.LastOrDefault(m => string.Equals(m.Name, property, StringComparison.OrdinalIgnoreCase));
                if (set is not null)
                {
                    return set.Location;
                }
            }

            return new PropertyLocation(LocationKind.CommandLine, projectFile);
        }

        List<Assignment> candidates = assignments.Where(a => string.Equals(a.Name, property, StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count > 0)
        {
            Assignment? same = value is null ? null : candidates.LastOrDefault(a => string.Equals(a.Text, value.Trim(), StringComparison.Ordinal));
            return (same ?? candidates[candidates.Count - 1]).Location;
        }

        if (!string.IsNullOrEmpty(environment(property)))
        {
            return new PropertyLocation(LocationKind.Environment, projectFile);
        }

        return new PropertyLocation(LocationKind.Unknown, projectFile);
    }

    /// <summary>Where NanoT5SweepRun <paramref name="run"/> sets <paramref name="metadata"/> (null: the item itself).</summary>
    public PropertyLocation LocateSweepRun(string run, string? metadata)
    {
        if (sweepRuns.TryGetValue(run, out List<Assignment>? assignments))
        {
            Assignment? hit = assignments.LastOrDefault(a => metadata is null ? a.Name == ItemMarker : string.Equals(a.Name, metadata, StringComparison.OrdinalIgnoreCase));
            if (hit is not null)
            {
                return hit.Location;
            }
        }

        return new PropertyLocation(LocationKind.Unknown, projectFile);
    }

    private void Read(string file, HashSet<string> seen, int depth)
    {
        string full;
        try
        {
            full = Path.GetFullPath(file);
        }
        catch (ArgumentException)
        {
            return;
        }

        if (depth > 8 || !seen.Add(full) || !File.Exists(full))
        {
            return;
        }

        XDocument document;
        try
        {
            document = XDocument.Load(full, LoadOptions.SetLineInfo);
        }
        catch (Exception e) when (e is XmlException || e is IOException || e is UnauthorizedAccessException)
        {
            UnreadableFiles.Add(full);
            return;
        }

        if (document.Root is null)
        {
            return;
        }

        string directory = Path.GetDirectoryName(full)!;
        foreach (XElement element in document.Root.Descendants())
        {
            string parent = element.Parent?.Name.LocalName ?? string.Empty;
            if (parent == "PropertyGroup" && !IsInsideTarget(element))
            {
                assignments.Add(new Assignment(element.Name.LocalName, element.Value.Trim(), At(full, element)));
            }
            else if (element.Name.LocalName == "Import" && !IsInsideTarget(element))
            {
                string? imported = ResolvePlainPath((string?)element.Attribute("Project"), directory);
                if (imported is not null)
                {
                    Read(imported, seen, depth + 1);
                }
            }
            else if (element.Name.LocalName == "NanoT5SweepRun" && parent == "ItemGroup" && (string?)element.Attribute("Include") is string run)
            {
                if (!sweepRuns.TryGetValue(run, out List<Assignment>? metadata))
                {
                    sweepRuns[run] = metadata = [];
                }

                metadata.Add(new Assignment(ItemMarker, run, At(full, element)));
                metadata.AddRange(element.Attributes()
                    .Where(a => a.Name.LocalName is not ("Include" or "Condition" or "Exclude" or "Remove" or "Update"))
                    .Select(a => new Assignment(a.Name.LocalName, a.Value.Trim(), At(full, a))));
                metadata.AddRange(element.Elements().Select(m => new Assignment(m.Name.LocalName, m.Value.Trim(), At(full, m))));
            }
        }
    }

    private static bool IsInsideTarget(XElement element) => element.Ancestors().Any(a => a.Name.LocalName == "Target");

    private static PropertyLocation At(string file, IXmlLineInfo node) =>
        new(LocationKind.File, file, node.HasLineInfo() ? node.LineNumber : 0, node.HasLineInfo() ? node.LinePosition : 0);

    // Paths like "../shared.props" or "$(MSBuildThisFileDirectory)x.props"; anything with other properties or globs is skipped.
    private static string? ResolvePlainPath(string? path, string directory)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        string p = path!.Replace("$(MSBuildThisFileDirectory)", directory + Path.DirectorySeparatorChar).Trim();
        if (p.IndexOf("$(", StringComparison.Ordinal) >= 0 || p.IndexOfAny(['*', '?', ';']) >= 0)
        {
            return null;
        }

        return Path.IsPathRooted(p) ? p : Path.Combine(directory, p);
    }

    private sealed record Assignment(string Name, string Text, PropertyLocation Location);
}
