// MLflow 2.10.2's checks of a logged key and value (mlflow/utils/validation.py), as FakeMLflowServer applies them.
using System.Text;

namespace NanoT5.Tests.Tracking;

internal static class MLflowValidation
{
    // MAX_ENTITY_KEY_LENGTH.
    private const int MaxKeyLength = 250;

    // validation.py _validate_*_name: ^[/\w.\- ]*$ (Python's Unicode \w: letters, numbers, '_'), at most 250
    // characters, and a name must be its own posixpath.normpath (no "//", "./", trailing "/", leading "/" or "..").
    public static string? InvalidKey(string key, string kind)
    {
        var runes = key.EnumerateRunes().ToList();
        if (!runes.All(r => r.Value is '/' or '.' or '-' or ' ' or '_' || Rune.IsLetter(r) || Rune.IsNumber(r)))
        {
            return $"Invalid {kind} name: '{key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";
        }

        string[] segments = key.Split('/');
        bool normal = key.Length > 0 && key != "." && !key.StartsWith("..", StringComparison.Ordinal) && !key.StartsWith('/')
            && segments.Skip(1).All(s => s is not ("" or "." or "..")) && segments[0] is not ("" or ".");
        if (!normal)
        {
            return $"Invalid {kind} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such.";
        }

        return runes.Count > MaxKeyLength ? $"{kind} key '{key[..50]}' had length {runes.Count}, which exceeded length limit of {MaxKeyLength}" : null;
    }

    public static string? TooLong(string what, string value, int limit)
    {
        int length = value.EnumerateRunes().Count();
        return length > limit ? $"{what} '{value[..50]}' had length {length}, which exceeded length limit of {limit}" : null;
    }
}
