// The demo's English sentences: first sentences of the <summary> comments of the SDK's reference documentation
// (DotnetDocs, Microsoft.NETCore.App.Ref only). Code references in them (<see cref="T:System.String" />) become
// the identifier in backticks (`String`), which the demo's identifier tasks extract; a constructor stays `#ctor`,
// as the demo set has always been generated (naming the type would change the generated tasks).
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using NanoT5.Data.BuiltIn;

namespace NanoT5.Finetune.Demo;

/// <summary>First sentences of the SDK's reference documentation.</summary>
public static partial class DocSentences
{
    private const string RefPack = "Microsoft.NETCore.App.Ref";

    /// <summary>
    /// The XML documentation files of the newest <c>Microsoft.NETCore.App.Ref</c> pack, in ordinal order, and that
    /// pack's version, from the first of <see cref="DotnetDocs.Roots"/> that has it.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No candidate root holds the pack (the message lists where it looked).</exception>
    public static (IReadOnlyList<string> Files, string PackVersion) FindDocumentation()
    {
        foreach (string root in DotnetDocs.Roots())
        {
            if (DotnetDocs.PackFiles(Path.Combine(root, "packs", RefPack)) is ({ } files, { } version))
            {
                return (files, version);
            }
        }

        throw new DirectoryNotFoundException(
            $"builtin:demo needs the .NET SDK's reference documentation (packs/{RefPack}/<version>/ref/net*/*.xml) and found none under: " +
            $"{string.Join(", ", DotnetDocs.Roots())}. Set DOTNET_ROOT to the folder that holds the dotnet executable and packs/.");
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
                    "see" or "seealso" when e.Attribute("cref") is XAttribute cref => "`" + DotnetDocs.CrefName(cref.Value, constructorAsType: false) + "`",
                    "see" or "seealso" when e.Attribute("langword") is XAttribute word => word.Value,
                    "paramref" or "typeparamref" => e.Attribute("name")?.Value ?? string.Empty,
                    "para" or "br" => " " + Flatten(e) + " ",
                    _ => Flatten(e),
                });
            }
        }

        return text.ToString();
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

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
