// The run's params and tags. A param keeps its first value (trackers refuse to change one, so a resumed run that
// logs another value is warned about); a tag may be overwritten. Version changes with either, so a remote sender
// knows when to mirror them again.
namespace NanoT5.Tracking.Local;

/// <summary>Params (saved in params.json) and tags (saved with summary.json) of one run; not thread-safe.</summary>
internal sealed class RunParamsAndTags(string paramsFile, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> tags, Action<string> warn)
{
    private readonly SortedDictionary<string, string> parameters = new(new Dictionary<string, string>(parameters), StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> tags = new(new Dictionary<string, string>(tags), StringComparer.Ordinal);

    /// <summary>Changes whenever a param is added or a tag changes.</summary>
    public int Version { get; private set; }

    /// <summary>A copy of the tags.</summary>
    public Dictionary<string, string> Tags => new(tags);

    /// <summary>Adds the params not logged yet and rewrites params.json when any was; a changed value keeps the first.</summary>
    public void AddParams(IReadOnlyDictionary<string, string> values)
    {
        bool changed = false;
        foreach ((string key, string value) in values)
        {
            if (!parameters.TryGetValue(key, out string? old))
            {
                parameters[key] = value;
                changed = true;
            }
            else if (old != value)
            {
                warn($"param {key} keeps its first value '{old}' (trackers refuse to change a param; got '{value}').");
            }
        }

        if (changed)
        {
            Version++;
            TrackingJson.Save(paramsFile, parameters);
        }
    }

    /// <summary>Sets a tag; true when its value changed.</summary>
    public bool SetTag(string key, string value)
    {
        if (tags.TryGetValue(key, out string? old) && old == value)
        {
            return false;
        }

        tags[key] = value;
        Version++;
        return true;
    }

    /// <summary>The params and tags in key order, with the version they belong to.</summary>
    public (int Version, IReadOnlyList<KeyValuePair<string, string>> Params, IReadOnlyList<KeyValuePair<string, string>> Tags) Snapshot() =>
        (Version, [.. parameters], [.. tags]);
}
