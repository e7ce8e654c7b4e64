// The one error a user sees when the native backend cannot start.
namespace NanoT5.Native;

/// <summary>LibTorch or LibTorchSharp could not be loaded; the message says why and what to do.</summary>
public sealed class TorchLoadException : Exception
{
    public TorchLoadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
