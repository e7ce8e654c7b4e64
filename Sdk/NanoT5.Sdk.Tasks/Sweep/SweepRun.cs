// One run of a sweep: a NanoT5SweepRun item's name and the NanoT5 properties its metadata set.
namespace NanoT5.Sdk.Sweep;

/// <param name="Name">The item's Include, e.g. lr-1e-2.</param>
/// <param name="Properties">Property name and value, as the item's metadata give them.</param>
internal sealed record SweepRun(string Name, IReadOnlyList<KeyValuePair<string, string>> Properties)
{
    /// <summary>"LearningRate=1e-2 BatchSize=64": the overrides without the NanoT5 prefix.</summary>
    public string Overrides => string.Join(" ", Properties.Select(p => Short(p.Key) + "=" + p.Value));

    /// <summary>The MSBuild task's AdditionalProperties: the overrides, the run's name, and which run this is.</summary>
    public string AdditionalProperties(string baseName)
    {
        IEnumerable<KeyValuePair<string, string>> all = Properties;
        if (!Properties.Any(p => string.Equals(p.Key, "NanoT5Name", StringComparison.OrdinalIgnoreCase)))
        {
            all = all.Append(new KeyValuePair<string, string>("NanoT5Name", baseName + "-" + Name));
        }

        all = all.Append(new KeyValuePair<string, string>("_NanoT5SweepRun", Name));

        // ; separates properties, so a value's own ; (a list of sources) is escaped.
        return string.Join(";", all.Select(p => p.Key + "=" + p.Value.Replace("%", "%25").Replace(";", "%3B")));
    }

    private static string Short(string property) =>
        property.StartsWith("NanoT5", StringComparison.OrdinalIgnoreCase) ? property.Substring(6) : property;
}
