// Reads a property's text into its typed value, or says (with a code) why it cannot.
using System.Globalization;
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;

namespace NanoT5.Sdk.Settings;

internal static class SettingParser
{
    /// <summary>The typed value of <paramref name="text"/>, or null with <paramref name="problem"/> set.</summary>
    public static object? Parse(Setting setting, string text, out Finding? problem)
    {
        problem = null;
        string t = text.Trim();
        string got = $" (got '{text}')";
        Finding Problem(DiagnosticDescriptor d) => new(d, $"{setting.Property} must be {setting.Allowed}{got}.", setting.Property);

        switch (setting.Kind)
        {
            case SettingKind.Integer:
                if (!int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
                {
                    problem = Problem(DiagnosticCodes.NotAnInteger);
                    return null;
                }

                problem = setting.InRange(i) ? null : Problem(DiagnosticCodes.OutOfRange);
                return problem is null ? i : null;

            case SettingKind.Number:
                if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || double.IsNaN(n) || double.IsInfinity(n))
                {
                    problem = Problem(DiagnosticCodes.NotANumber);
                    return null;
                }

                problem = setting.InRange(n) ? null : Problem(DiagnosticCodes.OutOfRange);
                return problem is null ? n : null;

            case SettingKind.Boolean:
                if (!bool.TryParse(t, out bool b))
                {
                    problem = Problem(DiagnosticCodes.NotABoolean);
                    return null;
                }

                return b;

            case SettingKind.OneOf:
                Choice? choice = setting.Choices.FirstOrDefault(c => string.Equals(c.Value, t, StringComparison.OrdinalIgnoreCase));
                problem = choice is null ? Problem(DiagnosticCodes.NotAllowed) : null;
                return choice;

            case SettingKind.Device:
                bool ok = SettingRules.IsDevice(t);
                problem = ok ? null : Problem(DiagnosticCodes.DeviceInvalid);
                return ok ? t.ToLowerInvariant() : null;

            case SettingKind.FolderName:
                bool folderOk = SettingRules.IsFolderName(t);
                problem = folderOk ? null : Problem(DiagnosticCodes.NameInvalid);
                return folderOk ? t : null;

            case SettingKind.Url:
                bool urlOk = SettingRules.IsHttpUrl(t);
                problem = urlOk ? null : Problem(DiagnosticCodes.UrlInvalid);
                return urlOk ? t : null;

            case SettingKind.VariableName:
                bool nameOk = SettingRules.IsVariableName(t);
                problem = nameOk ? null : Problem(DiagnosticCodes.VariableNameInvalid);
                return nameOk ? t : null;

            case SettingKind.Tags:
                var tags = new List<KeyValuePair<string, string>>();
                foreach (string pair in Split(t))
                {
                    int eq = pair.IndexOf('=');
                    if (eq <= 0)
                    {
                        problem = Problem(DiagnosticCodes.TagsInvalid);
                        return null;
                    }

                    tags.Add(new KeyValuePair<string, string>(pair.Substring(0, eq).Trim(), pair.Substring(eq + 1).Trim()));
                }

                return tags;

            case SettingKind.Sources:
                List<string> sources = Split(t);
                problem = sources.Select(s => UnknownBuiltin(setting, s)).FirstOrDefault(p => p is not null);
                return problem is null ? sources : null;

            case SettingKind.Path:
                problem = UnknownBuiltin(setting, t);
                return problem is null ? t : null;

            default:
                return text;
        }
    }

    /// <summary>The items of a ;-separated list, trimmed, empty ones dropped.</summary>
    public static List<string> Split(string text) =>
        text.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    /// <summary>builtin:NAME, http:// and https:// are not paths.</summary>
    public static bool IsPath(string value) =>
        !value.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase) &&
        !value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) &&
        !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static Finding? UnknownBuiltin(Setting setting, string value)
    {
        if (!value.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase) || setting.Builtins.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        string known = setting.Builtins.Count == 0 ? "none" : string.Join(", ", setting.Builtins);
        return new Finding(DiagnosticCodes.BuiltinUnknown, $"{setting.Property}: '{value}' is not a builtin corpus (known: {known}).", setting.Property);
    }
}
