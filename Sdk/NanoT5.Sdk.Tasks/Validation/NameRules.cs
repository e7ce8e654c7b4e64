// Property names: a name a few edits from ours is a typo (its value is silently ignored otherwise), and a
// NanoT5 property that looks like a secret is refused (MSBuild logs properties; tokens travel in the environment).
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Validation;

internal static class NameRules
{
    private static readonly string[] SecretWords = ["token", "secret", "password", "apikey", "api_key", "credential"];

    /// <summary>The setting a misspelt name probably means, or null.</summary>
    public static string? ClosestSetting(string name) => NameSuggestions.Closest(name, SettingCatalog.All.Select(s => s.Property));

    public static IEnumerable<(Finding Finding, PropertyLocation Location)> Check(IEnumerable<(string Name, PropertyLocation Location)> names)
    {
        List<string> known = SettingCatalog.All.Select(s => s.Property).Concat(SettingCatalog.OtherKnownProperties).ToList();
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, PropertyLocation location) in names)
        {
            if (known.Contains(name, StringComparer.OrdinalIgnoreCase) || !reported.Add(name))
            {
                continue;
            }

            if (name.StartsWith("NanoT5", StringComparison.OrdinalIgnoreCase) && SecretWords.Any(w => name.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0))
            {
                string variable = SettingCatalog.TrackerTokenVariable.Property;
                yield return (new Finding(
                    DiagnosticCodes.SecretInProperty,
                    $"{name} looks like a secret: tokens must not be MSBuild properties (logs and binary logs record properties). Export it in the environment variable named by {variable} (default {SettingCatalog.TrackerTokenVariable.DefaultText}); the run inherits it and nothing else sees it.",
                    name), location);
                continue;
            }

            string? closest = NameSuggestions.Closest(name, known);
            if (closest is not null)
            {
                yield return (new Finding(
                    DiagnosticCodes.PropertyNameTypo,
                    $"{name} is not a NanoT5 property, so its value is ignored; did you mean {closest}? (Sdk/README.md lists every property.)",
                    name), location);
            }
        }
    }
}
