// Signals for the launch task, which targets netstandard2.0 but always runs inside a .NET 6+ MSBuild: the runtime's
// PosixSignalRegistration is reached by reflection, and a child is signalled with libc's kill.
using System.Reflection;
using System.Runtime.InteropServices;

namespace NanoT5.Sdk.Launch;

internal static class PosixSignals
{
    /// <summary>Signal numbers, the same on Linux and macOS.</summary>
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    private static readonly string[] Assemblies = ["System.Runtime.InteropServices", "System.Private.CoreLib", "System.Runtime"];
    private static readonly Type? RegistrationType = Find("System.Runtime.InteropServices.PosixSignalRegistration");
    private static readonly Type? ContextType = Find("System.Runtime.InteropServices.PosixSignalContext");
    private static readonly Type? SignalType = Find("System.Runtime.InteropServices.PosixSignal");

    /// <summary>
    /// Calls <paramref name="handler"/> (with the signal number) when this process gets SIGINT or SIGTERM, instead of
    /// the runtime's default (terminating); null where the host has no PosixSignalRegistration (Windows, .NET Framework).
    /// </summary>
    public static IDisposable? Handle(Action<int> handler)
    {
        if (RegistrationType is null || ContextType is null || SignalType is null || RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        MethodInfo? create = RegistrationType.GetMethod("Create", [SignalType, typeof(Action<>).MakeGenericType(ContextType)]);
        if (create is null)
        {
            return null;
        }

        var registrations = new List<IDisposable>();
        // PosixSignal.SIGINT is -2 and SIGTERM -4: the runtime's portable values, not the signal numbers.
        foreach ((int value, int number) in new[] { (-2, SIGINT), (-4, SIGTERM) })
        {
            var target = new Handler(handler, number);
            Delegate action = Delegate.CreateDelegate(typeof(Action<>).MakeGenericType(ContextType), target, typeof(Handler).GetMethod(nameof(Handler.Invoke))!);
            registrations.Add((IDisposable)create.Invoke(null, [Enum.ToObject(SignalType, value), action])!);
        }

        return new Registrations(registrations);
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>; false when it is gone.</summary>
    public static bool Send(int pid, int signal) => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && Kill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static Type? Find(string name) =>
        Assemblies
            .Select(assembly => Type.GetType(name + ", " + assembly, throwOnError: false))
            .FirstOrDefault(t => t is not null);

    private sealed class Handler(Action<int> handler, int number)
    {
        // Bound to Action<PosixSignalContext> by parameter contravariance.
        public void Invoke(object context)
        {
            context.GetType().GetProperty("Cancel")!.SetValue(context, true);
            handler(number);
        }
    }

    private sealed class Registrations(List<IDisposable> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}
