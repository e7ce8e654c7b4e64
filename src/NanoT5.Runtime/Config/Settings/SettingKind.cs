// How a setting's text is read and checked. Compiled into the runtime and, by link, into the SDK's tasks.
namespace NanoT5.Config.Settings;

/// <summary>The kind of a setting's value.</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
enum SettingKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A whole number, optionally bounded.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The kind's name in the README and the messages.")]
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
