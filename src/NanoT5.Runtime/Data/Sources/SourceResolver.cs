// Turns the source strings of an experiment (paths, folders, globs, URLs, builtin:dotnet-docs) into an
// ordered list of shards, failing before training starts when something names nothing.
using NanoT5.Data.BuiltIn;

namespace NanoT5.Data.Sources;

/// <summary>Train or validation.</summary>
public enum DataSplit
{
    Train,
    Validation,
}

/// <summary>Expands source strings into shards.</summary>
public static class SourceResolver
{
    /// <summary>The built-in corpus: &lt;summary&gt; text of the .NET SDK's reference XML docs.</summary>
    public const string DotnetDocs = "builtin:dotnet-docs";

    /// <summary>Known file endings, for messages and docs.</summary>
    public static string KnownEndings => ShardFormats.KnownEndings;

    /// <summary>
    /// Shards of <paramref name="sources"/> in the given order; folders and globs expand to their files in
    /// ordinal name order. Throws <see cref="FileNotFoundException"/> or <see cref="ArgumentException"/>
    /// naming <paramref name="setting"/> and the source when a source names nothing readable.
    /// </summary>
    public static IReadOnlyList<Shard> Resolve(IEnumerable<string> sources, DataSplit split, string setting, string? baseDirectory = null)
    {
        string root = baseDirectory ?? Directory.GetCurrentDirectory();
        var shards = new List<Shard>();
        foreach (string source in sources)
        {
            shards.AddRange(ResolveOne(source.Trim(), split, setting, root));
        }

        return shards;
    }

    /// <summary>
    /// Validation sources: the configured ones, or the built-in corpus's validation split when they are
    /// empty and every training source is the built-in corpus; empty otherwise.
    /// </summary>
    public static IReadOnlyList<string> ValidationSources(IReadOnlyList<string> trainSources, IReadOnlyList<string> validationSources) =>
        validationSources.Count > 0 ? validationSources
        : trainSources.Count > 0 && trainSources.All(IsBuiltIn) ? [DotnetDocs]
        : [];

    /// <summary>The format of a file or URL by its name (<see cref="ShardFormats.ForFileName"/>).</summary>
    public static ShardFormat? FormatOf(string name) => ShardFormats.ForFileName(name)?.Name;

    private static bool IsBuiltIn(string source) => source.Trim().Equals(DotnetDocs, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<Shard> ResolveOne(string source, DataSplit split, string setting, string root)
    {
        if (source.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsBuiltIn(source))
            {
                throw new ArgumentException($"{setting}: unknown built-in corpus '{source}' (known: {DotnetDocs})");
            }

            return DotnetDocsCorpus.Shards(split);
        }

        if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var url = new Shard(source, default);
            ShardFormat format = FormatOf(url.NameWithoutQuery)
                ?? throw new ArgumentException($"{setting}: cannot tell the format of '{source}' (known endings: {KnownEndings})");
            return [url with { Format = format }];
        }

        string path = Path.GetFullPath(source, root);
        if (source.IndexOfAny(['*', '?']) >= 0)
        {
            return Glob(path, source, setting);
        }

        if (Directory.Exists(path))
        {
            Shard[] files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => FormatOf(f) is not null).Order(StringComparer.Ordinal).Select(ToShard).ToArray();
            return files.Length > 0 ? files
                : throw new FileNotFoundException($"{setting}: folder '{source}' holds no data files (known endings: {KnownEndings})", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{setting}: data source '{source}' not found ({path})", path);
        }

        return [ToShard(path)];

        Shard ToShard(string file) => new(file, FormatOf(file)
            ?? throw new ArgumentException($"{setting}: cannot tell the format of '{file}' (known endings: {KnownEndings})"));
    }

    // Wildcards are allowed in the file name only (c4/en/c4-train.*.json.gz), as C4's layout needs.
    private static IEnumerable<Shard> Glob(string path, string source, string setting)
    {
        string directory = Path.GetDirectoryName(path)!;
        string pattern = Path.GetFileName(path);
        if (directory.IndexOfAny(['*', '?']) >= 0)
        {
            throw new ArgumentException($"{setting}: '{source}': wildcards are supported in the file name only, not in folders");
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{setting}: the folder of '{source}' does not exist ({directory})");
        }

        string[] files = Directory.EnumerateFiles(directory, pattern, new EnumerationOptions { MatchType = MatchType.Simple, MatchCasing = MatchCasing.CaseSensitive })
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"{setting}: '{source}' matches no files", path);
        }

        return files.Select(f => new Shard(f, FormatOf(f)
            ?? throw new ArgumentException($"{setting}: cannot tell the format of '{f}' (known endings: {KnownEndings})")));
    }
}
