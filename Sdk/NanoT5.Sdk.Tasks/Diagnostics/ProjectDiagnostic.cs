// A finding placed in a file: what MSBuild logs as "file(line,col): error NT1001: message".
namespace NanoT5.Sdk.Diagnostics;

internal sealed record ProjectDiagnostic(DiagnosticDescriptor Descriptor, string Message, string File, int Line, int Column)
{
    public override string ToString() =>
        $"{File}({Line},{Column}): {(Descriptor.Severity == Severity.Error ? "error" : "warning")} {Descriptor.Code}: {Message}";
}
