// A rule's verdict before it is placed: the code, the message, and the properties it is about (the first one
// that was set somewhere gives the file and line).
namespace NanoT5.Sdk.Diagnostics;

internal sealed record Finding(DiagnosticDescriptor Descriptor, string Message, params string[] Properties)
{
    public override string ToString() => $"{Descriptor.Code}: {Message}";
}
