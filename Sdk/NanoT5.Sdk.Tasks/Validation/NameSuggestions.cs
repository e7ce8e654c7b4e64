// "Did you mean": optimal-string-alignment edit distance (a swap of two neighbours counts as one edit).
namespace NanoT5.Sdk.Validation;

internal static class NameSuggestions
{
    /// <summary>Edits at most this far from a known name make a typo.</summary>
    public const int MaxDistance = 2;

    /// <summary>The known name closest to <paramref name="name"/> within <see cref="MaxDistance"/> edits, case-insensitively.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = MaxDistance + 1;
        foreach (string candidate in known)
        {
            int d = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant(), bestDistance);
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return best;
    }

    /// <summary>Edit distance, or any value &gt;= <paramref name="cutoff"/> once it is certain to reach it.</summary>
    public static int Distance(string a, string b, int cutoff = int.MaxValue)
    {
        if (Math.Abs(a.Length - b.Length) >= cutoff)
        {
            return cutoff;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    v = Math.Min(v, d[i - 2, j - 2] + 1);
                }

                d[i, j] = v;
            }
        }

        return d[a.Length, b.Length];
    }
}
