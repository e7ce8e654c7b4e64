// What one diagnostic code means; instances live in DiagnosticCodes, the single registry.
namespace NanoT5.Sdk.Diagnostics;

/// <summary>Error or warning.</summary>
internal enum Severity
{
    Error,
    Warning,
}

/// <summary>A code (NT + 4 digits), its severity and a one-line title (docs/diagnostics.md has one line per code).</summary>
internal sealed record DiagnosticDescriptor(string Code, Severity Severity, string Title)
{
    /// <summary>The anchor of the code's row in docs/diagnostics.md.</summary>
    public string Anchor => Code.ToLowerInvariant();

    public override string ToString() => Code;
}
