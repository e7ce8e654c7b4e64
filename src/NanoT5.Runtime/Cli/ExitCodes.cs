// Process exit codes of the runtime, so scripts and the SDK can tell outcomes apart.
namespace NanoT5.Cli;

/// <summary>Exit codes of every verb.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>A check failed (parity outside tolerance, evaluation below a bar).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input: a config, file or argument that cannot be used; the message says which.</summary>
    public const int UsageOrInput = 2;
}
