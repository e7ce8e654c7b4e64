// Once training runs, a failed write of the run's own files (disk full, a file made read-only) never throws into the
// loop: it is reported once, naming the file, and FailedToken asks the loop to checkpoint and stop.
namespace NanoT5.Tracking.Local;

/// <summary>Runs the writes of run files, turning the first failure into one warning and a cancelled token.</summary>
internal sealed class RunFileWrites(Action<string> warn) : IDisposable
{
    private readonly CancellationTokenSource failed = new();
    private string? failure;

    /// <summary>The first failed write ("could not write PATH: reason"), or null while all writes succeed.</summary>
    public string? Failure => Volatile.Read(ref failure);

    /// <summary>Cancelled at the first failed write.</summary>
    public CancellationToken FailedToken => failed.Token;

    /// <summary>Runs <paramref name="write"/> of <paramref name="file"/>; false when it failed (recorded, not thrown).</summary>
    public bool Try(string file, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            if (Interlocked.CompareExchange(ref failure, $"could not write {file}: {e.Message}", null) is null)
            {
                warn($"{failure}; the run checkpoints and stops.");
                failed.Cancel();
            }

            return false;
        }
    }

    public void Dispose() => failed.Dispose();
}
