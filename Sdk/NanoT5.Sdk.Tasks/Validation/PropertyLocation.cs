// Where a property got its value: a line in a project file, the command line, or the environment.
namespace NanoT5.Sdk.Validation;

internal enum LocationKind
{
    /// <summary>A property element (or sweep-run metadata) in a file: File, Line and Column are set.</summary>
    File,

    /// <summary>A global property: -p:NAME=VALUE on the command line (no line to point at).</summary>
    CommandLine,

    /// <summary>An environment variable of the same name (MSBuild reads those as properties).</summary>
    Environment,

    /// <summary>Not found in the files read; the diagnostic points at the project file.</summary>
    Unknown,
}

internal sealed record PropertyLocation(LocationKind Kind, string File, int Line = 0, int Column = 0)
{
    /// <summary>Appended to a message when there is no line to point at.</summary>
    public string Note(string property) => Kind switch
    {
        LocationKind.CommandLine => $" ({property} was set with -p: on the command line, so there is no line to point at.)",
        LocationKind.Environment => $" ({property} comes from the environment variable of that name, so there is no line to point at.)",
        _ => string.Empty,
    };

    public override string ToString() => Kind == LocationKind.File ? $"{File}({Line},{Column})" : $"{File} [{Kind}]";
}
