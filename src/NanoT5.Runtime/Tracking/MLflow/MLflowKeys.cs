// Metric, param and tag keys as MLflow takes them (mlflow/utils/validation.py): Python's regex ^[/\w.\- ]*$, where
// \w is any Unicode letter or number or '_'; at most 250 characters (code points); and a key must be its own
// posixpath.normpath ("a//b", "a/./b", "/a", "a/" and a leading ".." are refused). Every allowed character is kept;
// each other character becomes '_', without changing the key's length, so different names can meet only where such
// a character was. A combining accent (a decomposed "e\u0301") is not \w: it becomes '_' too (the runtime runs
// with invariant globalization, which does not compose it into the letter MLflow would take).
using System.Text;

namespace NanoT5.Tracking.MLflow;

/// <summary>Turns a local metric, param or tag name into a key MLflow accepts.</summary>
public static class MLflowKeys
{
    /// <summary>MAX_ENTITY_KEY_LENGTH: code points in a metric, param or tag key.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The MLflow key of <paramref name="name"/>; the identity for a name MLflow already accepts.</summary>
    public static string Of(string name)
    {
        var runes = new List<Rune>(Math.Min(name.Length, MaxKeyLength));
        foreach (Rune rune in name.EnumerateRunes()) // an unpaired surrogate comes as U+FFFD, which becomes '_'
        {
            if (runes.Count == MaxKeyLength)
            {
                break;
            }

            runes.Add(IsAllowed(rune) ? rune : new Rune('_'));
        }

        char[] key = [.. runes.SelectMany(r => r.ToString())];
        MakeItsOwnPath(key);
        return key.Length == 0 ? "_" : new string(key);
    }

    /// <summary>Whether MLflow's name pattern takes <paramref name="rune"/> (Python's \w plus "/.- ").</summary>
    public static bool IsAllowed(Rune rune) => rune.Value is '/' or '.' or '-' or ' ' or '_' || Rune.IsLetter(rune) || Rune.IsNumber(rune);

    // posixpath.normpath(key) == key: no empty, "." or ".." segment and no leading "..". Each offending
    // character becomes '_' in place ("a//b" -> "a/_b", "x/" -> "x_", "a/./b" -> "a/_/b", "../x" -> "__/x").
    private static void MakeItsOwnPath(char[] key)
    {
        int start = 0;
        for (int i = 0; i <= key.Length; i++)
        {
            if (i < key.Length && key[i] != '/')
            {
                continue;
            }

            int length = i - start;
            if (length == 0 && i < key.Length)
            {
                key[i] = '_'; // a '/' that starts the key or follows another '/': now part of this segment
                continue;
            }
            else if (length == 0 && i > 0)
            {
                key[i - 1] = '_'; // a trailing '/'
            }
            else if ((length == 1 && key[start] == '.') || (length == 2 && key[start] == '.' && key[start + 1] == '.'))
            {
                Array.Fill(key, '_', start, length);
            }

            start = i + 1;
        }

        if (key is ['.', '.', ..])
        {
            key[0] = '_';
        }
    }
}
