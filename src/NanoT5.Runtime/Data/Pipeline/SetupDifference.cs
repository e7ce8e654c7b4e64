// Whether a checkpoint's data state belongs to the pipeline now, and which data setting changed: the setups are
// "key=value" words (PipelineState.SetupOf), shards a counted list, compared key by key whatever the word order (the
// previous version wrote them in another). A setting's key the saved setup lacks was written by a version without
// that setting, which behaved as its default. The message names the keys that differ and, for shards, the counts and
// the first file that differs, never the whole list.
using System.Globalization;
using System.Text.RegularExpressions;
using NanoT5.Config.Settings;

namespace NanoT5.Data.Pipeline;

/// <summary>The differences of two data setups, each in words.</summary>
public static partial class SetupDifference
{
    /// <summary>
    /// The differences of two setups ("shards 12 -> 13 files (first difference: #3 a.json.gz -> b.json.gz)", "seed 2137 -> 7"),
    /// empty when a stream of <paramref name="saved"/> continues as <paramref name="now"/>:
    /// a key either lacks is compared with the default of the setting of <paramref name="settings"/> (default: the
    /// settings table) that writes it, or differs when no setting does.
    /// </summary>
    public static IReadOnlyList<string> Of(string saved, string now, IReadOnlyList<Setting>? settings = null)
    {
        (List<string> savedShards, Dictionary<string, string> savedValues) = Parse(saved);
        (List<string> nowShards, Dictionary<string, string> nowValues) = Parse(now);
        Dictionary<string, string> defaults = (settings ?? SettingTable.All)
            .Where(s => s.DataStream)
            .GroupBy(PipelineState.Word, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().DefaultText, StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (string key in savedValues.Keys.Union(nowValues.Keys))
        {
            bool hasBefore = savedValues.TryGetValue(key, out string? before);
            bool hasAfter = nowValues.TryGetValue(key, out string? after);
            bool same = (hasBefore, hasAfter) switch
            {
                (true, true) => before == after,
                _ when defaults.TryGetValue(key, out string? fallback) => IsDefault(before ?? after!, fallback),
                _ => false,
            };

            if (!same)
            {
                parts.Add($"{key} {before ?? "(none)"} -> {after ?? "(none)"}");
            }
        }

        int first = Enumerable.Range(0, Math.Max(savedShards.Count, nowShards.Count))
            .FirstOrDefault(i => i >= savedShards.Count || i >= nowShards.Count || savedShards[i] != nowShards[i], -1);
        if (first >= 0)
        {
            string before = first < savedShards.Count ? savedShards[first] : "(none)";
            string after = first < nowShards.Count ? nowShards[first] : "(none)";
            parts.Insert(0, $"shards {savedShards.Count} -> {nowShards.Count} files (first difference: #{first + 1} {before} -> {after})");
        }

        return parts;
    }

    // A value as SetupOf writes it (True, Line, 3) against a default as the table writes it (true, line, 3.0).
    private static bool IsDefault(string value, string defaultText) =>
        string.Equals(value, defaultText, StringComparison.OrdinalIgnoreCase) ||
        (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double a) &&
         double.TryParse(defaultText, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && a == b);

    private static (List<string> Shards, Dictionary<string, string> Values) Parse(string setup)
    {
        Match match = ShardList().Match(setup);
        List<string> shards = match.Success && match.Groups[1].Length > 0 ? [.. match.Groups[1].Value.Split(',')] : [];
        string rest = match.Success ? setup.Remove(match.Index, match.Length) : setup;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string word in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[word[..equals]] = word[(equals + 1)..];
            }
        }

        return (shards, values);
    }

    [GeneratedRegex(@"shards=\d+ \[(.*?)\]")]
    private static partial Regex ShardList();
}
