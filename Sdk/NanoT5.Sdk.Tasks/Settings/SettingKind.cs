// How a property's text is read and checked.
namespace NanoT5.Sdk.Settings;

internal enum SettingKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A whole number, optionally bounded.</summary>
    Integer,

    /// <summary>A floating-point number (2e-2 and 0.02 both read), optionally bounded.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>One of a closed list of names (case-insensitive).</summary>
    OneOf,

    /// <summary>cpu, cuda or cuda:N.</summary>
    Device,

    /// <summary>Text that names a folder: no path separators, not . or ..</summary>
    FolderName,

    /// <summary>A path relative to the project folder; existence is checked as the setting says.</summary>
    Path,

    /// <summary>Semicolon-separated data sources: files, globs, http(s) URLs or builtin:NAME corpora.</summary>
    Sources,

    /// <summary>An absolute http(s) URL.</summary>
    Url,

    /// <summary>Semicolon-separated key=value pairs.</summary>
    Tags,

    /// <summary>An environment variable name.</summary>
    VariableName,
}
