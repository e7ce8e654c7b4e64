// Every NTxxxx code the tests saw produced: builds' logs, tasks' engines and the in-process validator record
// here, and the registry check (which runs after every other test, see RunsLastFramework) asserts on it.
using System.Collections.Concurrent;

namespace NanoT5.Sdk.Tests.Infrastructure;

internal static class ProducedDiagnostics
{
    private static readonly ConcurrentDictionary<string, byte> Codes = new(StringComparer.Ordinal);

    /// <summary>The codes recorded so far.</summary>
    public static IReadOnlyCollection<string> All => [.. Codes.Keys];

    public static void Record(string? code)
    {
        if (!string.IsNullOrEmpty(code))
        {
            Codes.TryAdd(code, 0);
        }
    }
}
