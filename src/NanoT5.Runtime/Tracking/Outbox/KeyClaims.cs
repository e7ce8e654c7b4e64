// Two local names that the tracker would store under one key (MLflow turns "a,b" and "a;b" into "a_b") would
// merge two series, or make MLflow refuse a whole params batch for a duplicate key. The first name to claim a
// key keeps it; a later one is refused locally, with a warning naming both, and its points are set aside.
namespace NanoT5.Tracking.Outbox;

/// <summary>Which local name owns each tracker key, first come first served.</summary>
internal sealed class KeyClaims(Func<string, string> remoteKey)
{
    private readonly Dictionary<string, string> owners = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="name"/> may be sent (it owns its key now); else the name that owns the key.</summary>
    public string? Rival(string name)
    {
        string key = remoteKey(name);
        if (owners.TryGetValue(key, out string? owner))
        {
            return owner == name ? null : owner;
        }

        owners[key] = name;
        return null;
    }

    /// <summary>The tracker key of <paramref name="name"/>.</summary>
    public string KeyOf(string name) => remoteKey(name);
}
