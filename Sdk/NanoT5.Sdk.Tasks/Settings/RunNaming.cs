// A run folder is one experiment (the runtime refuses to resume it with other settings), so `-p:` overrides of the
// settings that shape the model name the run: `-p:NanoT5LearningRate=1e-2 -p:NanoT5Seed=7` on experiment default
// trains runs/default-learning-rate-1e-2-seed-7. Settings a run may change when it resumes (where it runs, what it
// logs, how long it trains: their OnResume in the settings table, which the runtime's RunIdentity reads too) do not
// name it, so a -p: that extends a run or changes its logging continues the same run.
using System.Security.Cryptography;
using System.Text;
using NanoT5.Config.Settings;

namespace NanoT5.Sdk.Settings;

internal static class RunNaming
{
    private const int MaxValueLength = 24;

    /// <summary>
    /// Whether a -p: of <paramref name="setting"/> names the run: a setting of the config that a resume may not change
    /// (its OnResume is Fixed: it shapes the trained model); the mode is the verb's, never the run's name.
    /// </summary>
    public static bool NamesRun(Setting setting) =>
        setting.ConfigPath is not null && setting != SettingTable.Mode && setting.OnResume == ResumePolicy.Fixed;

    /// <summary>
    /// <paramref name="baseName"/> plus "-property-value" for each -p: override in <paramref name="globals"/> that names
    /// the run, in the settings table's order; <paramref name="baseName"/> alone when there is none.
    /// </summary>
    public static string Name(string baseName, IReadOnlyDictionary<string, string> globals)
    {
        var parts = new StringBuilder(baseName);
        foreach (Setting setting in SettingTable.All.Where(NamesRun))
        {
            string? value = globals.FirstOrDefault(g => string.Equals(g.Key, setting.Property, StringComparison.OrdinalIgnoreCase)).Value;
            if (value is not null)
            {
                parts.Append('-').Append(Kebab(setting.Property.Substring("NanoT5".Length))).Append('-').Append(Safe(value.Trim()));
            }
        }

        return Shortened(parts.ToString());
    }

    /// <summary>
    /// <paramref name="name"/>, or when it is longer than a folder name may be (SettingRules.MaxFolderNameBytes) its
    /// start plus a hash of the whole, so that many overrides still give one distinct, usable run folder per run.
    /// </summary>
    public static string Shortened(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= SettingRules.MaxFolderNameBytes)
        {
            return name;
        }

        string hash = Hash(name);
        int keep = name.Length;
        while (Encoding.UTF8.GetByteCount(name.Substring(0, keep)) + 1 + hash.Length > SettingRules.MaxFolderNameBytes || (keep > 0 && char.IsHighSurrogate(name[keep - 1])))
        {
            keep--;
        }

        return name.Substring(0, keep) + "-" + hash;
    }

    // LearningRate -> learning-rate.
    private static string Kebab(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    // A value as a folder-name part: letters, digits, '.', '+', '-'; anything else '_'; long values (paths) cut and hashed.
    private static string Safe(string value)
    {
        string safe = new(value.Select(c => (char.IsLetterOrDigit(c) && c < 128) || c is '.' or '+' or '-' ? c : '_').ToArray());
        if (safe.Length <= MaxValueLength)
        {
            return safe;
        }

        return safe.Substring(0, MaxValueLength - 9) + "-" + Hash(value);
    }

    // Eight hex digits of the text's SHA-256.
    private static string Hash(string text)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(text)).Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
