// Says which data setting changed between a checkpoint's data state and the pipeline now: the setups are
// "key=value" words (PipelineState.SetupOf), shards a counted list; the message names the keys that differ and,
// for shards, the counts and the first file that differs, never the whole list.
using System.Text.RegularExpressions;

namespace NanoT5.Data.Pipeline;

/// <summary>The difference of two data setups in a sentence.</summary>
public static partial class SetupDifference
{
    /// <summary>"seed 2137 -> 7, shards 12 -> 13 files (first difference: #3 a.json.gz -> b.json.gz)".</summary>
    public static string Describe(string saved, string now)
    {
        (List<string> savedShards, Dictionary<string, string> savedValues) = Parse(saved);
        (List<string> nowShards, Dictionary<string, string> nowValues) = Parse(now);
        var parts = new List<string>();
        foreach (string key in savedValues.Keys.Union(nowValues.Keys))
        {
            string before = savedValues.GetValueOrDefault(key, "(none)");
            string after = nowValues.GetValueOrDefault(key, "(none)");
            if (before != after)
            {
                parts.Add($"{key} {before} -> {after}");
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

        return parts.Count == 0 ? "the setups differ in a way this version cannot name" : string.Join(", ", parts);
    }

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
