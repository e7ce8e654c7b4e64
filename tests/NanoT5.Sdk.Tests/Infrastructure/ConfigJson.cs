// The JSON that `show-config` prints, cut out of a build log.
using System.Text.Json;

namespace NanoT5.Sdk.Tests.Infrastructure;

internal static class ConfigJson
{
    /// <summary>The first JSON object printed on lines of their own (the console logger indents messages).</summary>
    public static JsonElement From(BuildResult result)
    {
        string[] lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int start = Array.FindIndex(lines, l => l.Trim() == "{");
        Assert.True(start >= 0, $"no JSON in the output.\n{result}");
        string indent = lines[start][..lines[start].IndexOf('{', StringComparison.Ordinal)];
        int end = Array.FindIndex(lines, start, l => l == indent + "}");
        Assert.True(end > start, $"unterminated JSON in the output.\n{result}");
        using JsonDocument document = JsonDocument.Parse(string.Join("\n", lines[start..(end + 1)]));
        return document.RootElement.Clone();
    }

    public static string Text(this JsonElement e, string path) => At(e, path).GetString()!;

    public static double Number(this JsonElement e, string path) => At(e, path).GetDouble();

    public static JsonElement At(JsonElement e, string path) =>
        path.Split('.').Aggregate(e, (current, name) => current.GetProperty(name));
}
