// builtin:dotnet-docs — the default experiment's corpus, on every machine with the .NET SDK and needing
// no network: the <summary> text of the reference XML docs (DotnetDocs) of every packs/*.Ref (highest
// version of each pack, highest target framework). A document is one summary, cleaned of XML (cref
// references become the referenced name, langword/paramref/typeparamref their word). Each XML file is a
// shard; a summary goes to validation when a stable hash of "pack/file#index" falls in the lowest 5%, so
// the split is the same on every machine with the same packs.
using System.Text;
using System.Xml;
using NanoT5.Data.Sources;

namespace NanoT5.Data.BuiltIn;

/// <summary>The built-in English corpus.</summary>
public static class DotnetDocsCorpus
{
    /// <summary>Share of summaries held out for validation, in percent.</summary>
    public const int ValidationPercent = 5;

    /// <summary>The XML files, in an order that does not depend on where .NET is installed.</summary>
    public static IReadOnlyList<string> Files()
    {
        string root = DotnetDocs.FindRoot(r => Directory.Exists(Path.Combine(r, "packs"))) ?? throw new DirectoryNotFoundException(
            $"{SourceResolver.DotnetDocs}: no .NET installation with a packs/ folder found (looked in: {string.Join(", ", DotnetDocs.Roots())}); set DOTNET_ROOT");
        var files = new List<string>();
        foreach (string pack in Directory.EnumerateDirectories(Path.Combine(root, "packs"), "*.Ref").Order(StringComparer.Ordinal))
        {
            if (DotnetDocs.PackFiles(pack) is ({ } packFiles, _))
            {
                files.AddRange(packFiles);
            }
        }

        return files.Count > 0 ? files : throw new FileNotFoundException($"{SourceResolver.DotnetDocs}: no reference XML docs under {Path.Combine(root, "packs")}");
    }

    /// <summary>One shard per XML file.</summary>
    public static IReadOnlyList<Shard> Shards(DataSplit split) =>
        Files().Select(f => new Shard(f, DotnetDocsFormat.NameOf(split))).ToArray();

    /// <summary>Summaries of <paramref name="shard"/> in <paramref name="split"/>; a record is a summary of the file (either split).</summary>
    public static IEnumerable<SourceDocument> Read(Shard shard, DataSplit split, long skipRecords, DataProblems problems)
    {
        string key = SplitKey(shard.Location);
        XmlReader reader;
        try
        {
            reader = XmlReader.Create(shard.Location, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true });
        }
        catch (IOException e)
        {
            problems.BadShard(shard, $"cannot open: {e.Message}");
            yield break;
        }

        using (reader)
        {
            long record = 0;
            while (TryReadSummary(shard, reader, problems, out string? summary))
            {
                long current = record++;
                if (current < skipRecords || InValidation(key, current) != (split == DataSplit.Validation))
                {
                    continue;
                }

                if (summary.Length == 0)
                {
                    // Empty summaries are placeholders of the docs, not damaged data: skipped without a warning.
                    continue;
                }

                problems.GoodRecord();
                yield return new SourceDocument(current, summary);
            }
        }
    }

    /// <summary>Whether summary <paramref name="index"/> of the file with <paramref name="key"/> is held out.</summary>
    public static bool InValidation(string key, long index) => Fnv1a($"{key}#{index}") % 100 < ValidationPercent;

    /// <summary>"pack/file.xml": the part of a file's path that is the same on every machine.</summary>
    public static string SplitKey(string file)
    {
        // <root>/packs/<pack>/<version>/ref/<tfm>/<file>
        DirectoryInfo? pack = new FileInfo(file).Directory?.Parent?.Parent?.Parent;
        return $"{pack?.Name}/{Path.GetFileName(file)}";
    }

    /// <summary>Plain text of a summary element's content (the reader is on its start tag).</summary>
    internal static string SummaryText(XmlReader summary)
    {
        var text = new StringBuilder();
        using (XmlReader inner = summary.ReadSubtree())
        {
            inner.Read();
            while (inner.Read())
            {
                switch (inner.NodeType)
                {
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        text.Append(inner.Value);
                        break;
                    case XmlNodeType.Element when inner.IsEmptyElement:
                        text.Append(ReferenceWord(inner));
                        break;
                }
            }
        }

        return CollapseWhitespace(text);
    }

    private static bool TryReadSummary(Shard shard, XmlReader reader, DataProblems problems, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? summary)
    {
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Name == "summary")
                {
                    summary = SummaryText(reader);
                    return true;
                }
            }
        }
        catch (XmlException e)
        {
            problems.BadRecord(shard, e.LineNumber, $"invalid XML, rest of the file skipped ({e.Message})");
        }

        summary = null;
        return false;
    }

    // <see cref="T:System.String"/> → String, <see langword="null"/> → null, <paramref name="count"/> → count.
    private static string ReferenceWord(XmlReader element)
    {
        string? word = element.GetAttribute("langword") ?? element.GetAttribute("name");
        if (word is not null)
        {
            return word;
        }

        string? cref = element.GetAttribute("cref");
        return cref is null ? element.GetAttribute("href") ?? string.Empty : DotnetDocs.CrefName(cref);
    }

    private static string CollapseWhitespace(StringBuilder text)
    {
        var result = new StringBuilder(text.Length);
        bool space = false;
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            foreach (char c in chunk.Span)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = result.Length > 0;
                }
                else
                {
                    if (space)
                    {
                        result.Append(' ');
                        space = false;
                    }

                    result.Append(c);
                }
            }
        }

        return result.ToString();
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
