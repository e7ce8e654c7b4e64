// The exit code of the build process itself. MSBuild only knows 0 and 1; a run stopped by a signal reports its own
// code (3: interrupted and checkpointed) as `dotnet build`'s, so scripts and CI tell "stopped, resumable" from
// "failed". Set at process exit, when nothing can overwrite it: the host returns the latched Environment.ExitCode.
namespace NanoT5.Sdk.Launch;

internal static class BuildExitCode
{
    private static int code;
    private static int registered;

    public static void Keep(int exitCode)
    {
        Volatile.Write(ref code, exitCode);
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Environment.ExitCode = Volatile.Read(ref code);
        }
    }
}
