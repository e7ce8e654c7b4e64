// Property names: a NanoT5* name the SDK does not know is an error (its value would be silently ignored: the
// build would train with the default), a name of another prefix a few edits from ours is a likely typo, and a
// NanoT5 property that looks like a secret is refused (MSBuild logs properties; tokens travel in the environment).
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;

namespace NanoT5.Sdk.Validation;

internal static class NameRules
{
    /// <summary>Properties of the runtime's build logic and of the repository (known names, never typos).</summary>
    public static readonly IReadOnlyList<string> OtherKnownProperties =
    [
        "NanoT5Backend", "NanoT5NativeRuntime", "NanoT5TorchSharpVersion", "NanoT5LibTorchVersion", "NanoT5PatchLibTorchSharp", "NanoT5RepoRoot", "NanoT5RuntimeVersion", "NanoT5RuntimeProject", "NanoT5SdkTasksAssembly",
        "NanoT5SdkTasksFromSource", "UsingNanoT5Sdk", "CustomBeforeNanoT5SdkProps", "CustomAfterNanoT5SdkProps", "CustomBeforeNanoT5SdkTargets",
        "CustomAfterNanoT5SdkTargets",
    ];

    private static readonly string[] PrefixParts = ["nano", "t5", "_", "."];

    private static readonly string[] SecretWords = ["token", "secret", "password", "apikey", "api_key", "credential"];

    /// <summary>The setting a misspelt name probably means, or null.</summary>
    public static string? ClosestSetting(string name) => NameSuggestions.Closest(name, SettingTable.All.Select(s => s.Property));

    /// <summary>
    /// The setting a name means when it lacks or garbles the NanoT5 prefix (T5LearningRate, Nano_T5BatchSize,
    /// NanoLearningRate): after a prefix made of "nano", "t5", "_" and "." the rest is a setting's name within one edit.
    /// </summary>
    public static string? WithoutPrefix(string name)
    {
        string rest = name;
        string? stripped;
        while ((stripped = PrefixParts.FirstOrDefault(p => rest.StartsWith(p, StringComparison.OrdinalIgnoreCase))) is not null)
        {
            rest = rest.Substring(stripped.Length);
        }

        if (rest.Length == name.Length || rest.Length < 4)
        {
            return null;
        }

        return SettingTable.All.Select(s => s.Property)
            .FirstOrDefault(p => NameSuggestions.Distance(rest.ToLowerInvariant(), p.Substring("NanoT5".Length).ToLowerInvariant(), 2) <= 1);
    }

    /// <param name="names">Property names with where they were set.</param>
    /// <param name="unknownIsError">NanoT5UnknownProperties: an unknown NanoT5* property is NT3003 (true) or NT3004.</param>
    public static IEnumerable<(Finding Finding, PropertyLocation Location)> Check(IEnumerable<(string Name, PropertyLocation Location)> names, bool unknownIsError = true)
    {
        List<string> known = SettingTable.All.Select(s => s.Property).Concat(OtherKnownProperties).ToList();
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, PropertyLocation location) in names)
        {
            if (known.Contains(name, StringComparer.OrdinalIgnoreCase) || !reported.Add(name))
            {
                continue;
            }

            if (name.StartsWith("NanoT5", StringComparison.OrdinalIgnoreCase) && SecretWords.Any(w => name.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0))
            {
                string variable = SettingTable.TrackerTokenVariable.Property;
                yield return (new Finding(
                    DiagnosticCodes.SecretInProperty,
                    $"{name} looks like a secret: tokens must not be MSBuild properties (logs and binary logs record properties). Export it in the environment variable named by {variable} (default {SettingTable.TrackerTokenVariable.DefaultText}); the run inherits it and nothing else sees it.",
                    name), location);
                continue;
            }

            string? closest = NameSuggestions.Closest(name, known) ?? WithoutPrefix(name);
            if (name.StartsWith("NanoT5", StringComparison.OrdinalIgnoreCase))
            {
                string suggestion = closest is null ? "Sdk/README.md lists every property" : $"did you mean {closest}? (Sdk/README.md lists every property)";
                string downgrade = unknownIsError ? $" Set {SettingTable.UnknownProperties.Property} to warning to allow properties of a newer SDK." : string.Empty;
                yield return (new Finding(
                    unknownIsError ? DiagnosticCodes.UnknownProperty : DiagnosticCodes.UnknownPropertyAllowed,
                    $"{name} is not a NanoT5 property, so its value would be ignored; {suggestion}.{downgrade}",
                    name), location);
            }
            else if (closest is not null)
            {
                yield return (new Finding(
                    DiagnosticCodes.PropertyNameTypo,
                    $"{name} is not a NanoT5 property, so its value is ignored; did you mean {closest}? (Sdk/README.md lists every property.)",
                    name), location);
            }
        }
    }
}
