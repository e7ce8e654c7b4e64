// Real English text present wherever the .NET SDK is: the <summary> comments of the reference packs' XML
// documentation ($DOTNET_ROOT/packs/Microsoft.NETCore.App.Ref/<version>/ref/net*/*.xml). Code references in
// them (<see cref="T:System.String" />) become the identifier in backticks (`String`).
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace NanoT5.Finetune.Demo;

/// <summary>Finds the SDK's reference documentation and reads first sentences of its summaries.</summary>
public static partial class DotnetDocs
{
    private const string RefPack = "Microsoft.NETCore.App.Ref";

    /// <summary>
    /// The XML documentation files of the newest <c>Microsoft.NETCore.App.Ref</c> pack, in ordinal order, and that
    /// pack's version. The dotnet root is DOTNET_ROOT, else the folder of the real <c>dotnet</c> on PATH, else the
    /// running runtime's root, else /usr/share/dotnet, /usr/lib/dotnet, ~/.dotnet.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No candidate root holds the pack (the message lists where it looked).</exception>
    public static (IReadOnlyList<string> Files, string PackVersion) FindDocumentation()
    {
        var tried = new List<string>();
        foreach (string root in CandidateRoots().Distinct(StringComparer.Ordinal))
        {
            tried.Add(root);
            string packs = Path.Combine(root, "packs", RefPack);
            if (!Directory.Exists(packs))
            {
                continue;
            }

            foreach (string versionFolder in Directory.GetDirectories(packs).OrderByDescending(d => ParseVersion(Path.GetFileName(d))))
            {
                string[] files = Directory.Exists(Path.Combine(versionFolder, "ref"))
                    ? Directory.GetDirectories(Path.Combine(versionFolder, "ref"), "net*")
                        .OrderByDescending(d => d, StringComparer.Ordinal)
                        .Select(d => Directory.GetFiles(d, "*.xml").OrderBy(f => f, StringComparer.Ordinal).ToArray())
                        .FirstOrDefault(f => f.Length > 0) ?? []
                    : [];
                if (files.Length > 0)
                {
                    return (files, Path.GetFileName(versionFolder));
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"builtin:demo needs the .NET SDK's reference documentation (packs/{RefPack}/<version>/ref/net*/*.xml) and found none under: " +
            $"{string.Join(", ", tried)}. Set DOTNET_ROOT to the folder that holds the dotnet executable and packs/.");
    }

    /// <summary>
    /// Distinct first sentences of the summaries in <paramref name="files"/>, read in order until
    /// <paramref name="enough"/> returns true (checked after each file).
    /// </summary>
    public static IReadOnlyList<string> FirstSentences(IEnumerable<string> files, Func<IReadOnlyCollection<string>, bool> enough)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(enough);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sentences = new List<string>();
        foreach (string file in files)
        {
            using XmlReader reader = XmlReader.Create(file, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true });
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Name == "summary")
                {
                    string? sentence = FirstSentence(Flatten((XElement)XNode.ReadFrom(reader)));
                    if (sentence is not null && seen.Add(sentence))
                    {
                        sentences.Add(sentence);
                    }
                }
                else
                {
                    reader.Read();
                }
            }

            if (enough(sentences))
            {
                break;
            }
        }

        return sentences;
    }

    /// <summary>Summary text with code references as `Identifier`, keywords and parameter names as plain words.</summary>
    internal static string Flatten(XElement element)
    {
        var text = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            if (node is XText t)
            {
                text.Append(t.Value);
            }
            else if (node is XElement e)
            {
                text.Append(e.Name.LocalName switch
                {
                    "see" or "seealso" when e.Attribute("cref") is XAttribute cref => "`" + ShortName(cref.Value) + "`",
                    "see" or "seealso" when e.Attribute("langword") is XAttribute word => word.Value,
                    "paramref" or "typeparamref" => e.Attribute("name")?.Value ?? string.Empty,
                    "para" or "br" => " " + Flatten(e) + " ",
                    _ => Flatten(e),
                });
            }
        }

        return text.ToString();
    }

    // "M:System.String.Concat(System.Object)" -> "Concat", "T:System.Collections.Generic.List`1" -> "List".
    internal static string ShortName(string cref)
    {
        string name = cref.Contains(':', StringComparison.Ordinal) ? cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..] : cref;
        int paren = name.IndexOf('(', StringComparison.Ordinal);
        name = paren >= 0 ? name[..paren] : name;
        name = name[(name.LastIndexOf('.') + 1)..];
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick >= 0 ? name[..tick] : name;
    }

    // The first sentence, whitespace collapsed; null unless it is plain printable ASCII ending in a period.
    internal static string? FirstSentence(string text)
    {
        string collapsed = Spaces().Replace(text, " ").Trim();
        int end = collapsed.IndexOf(". ", StringComparison.Ordinal);
        string sentence = end >= 0 ? collapsed[..(end + 1)] : collapsed;
        bool plain = sentence.Length > 0 && sentence[^1] == '.' && sentence.All(c => c is >= ' ' and <= '~') && !sentence.Contains("``", StringComparison.Ordinal);
        return plain ? sentence : null;
    }

    private static IEnumerable<string> CandidateRoots()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            yield return Path.GetFullPath(dotnetRoot);
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate))
            {
                // /usr/bin/dotnet is usually a link into the real root.
                string real = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
                yield return Path.GetDirectoryName(Path.GetFullPath(real))!;
            }
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        string coreLib = typeof(object).Assembly.Location;
        if (coreLib.Length > 0 && Directory.GetParent(coreLib)?.Parent?.Parent?.Parent is DirectoryInfo runtimeRoot)
        {
            yield return runtimeRoot.FullName;
        }

        yield return "/usr/share/dotnet";
        yield return "/usr/lib/dotnet";
        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet");
    }

    private static Version ParseVersion(string name) =>
        Version.TryParse(name.Split('-')[0], out Version? v) ? v : new Version(0, 0);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
