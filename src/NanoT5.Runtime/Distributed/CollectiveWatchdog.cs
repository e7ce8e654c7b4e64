// A collective that never returns (a peer died without the launcher noticing, a network partition, an NCCL
// hang) must not keep the job alive forever: a background thread ends this rank when one collective has
// waited longer than the timeout, after saying which and for how long. The launcher then ends the others.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NanoT5.Distributed;

/// <summary>Ends the process when a collective outlives its timeout.</summary>
internal sealed class CollectiveWatchdog : IDisposable
{
    private readonly TimeSpan timeout;
    private readonly TextWriter log;
    private readonly int exitCode;
    private readonly Func<string?>? poll;
    private readonly Thread thread;
    private readonly ManualResetEventSlim stopped = new();
    private readonly Lock gate = new();
    private string? current;
    private long since;

    /// <param name="poll">Called every poll interval while a collective waits; a non-null result is a fatal error (NCCL's async error).</param>
    public CollectiveWatchdog(TimeSpan timeout, TextWriter log, int exitCode, Func<string?>? poll = null)
    {
        this.timeout = timeout;
        this.log = log;
        this.exitCode = exitCode;
        this.poll = poll;
        thread = new Thread(Watch) { IsBackground = true, Name = "collective watchdog" };
        thread.Start();
    }

    /// <summary>Marks <paramref name="what"/> as waiting until the returned scope is disposed.</summary>
    public Scope Enter(string what)
    {
        lock (gate)
        {
            current = what;
            since = Stopwatch.GetTimestamp();
        }

        return new Scope(this);
    }

    public void Dispose()
    {
        stopped.Set();
        thread.Join();
        stopped.Dispose();
    }

    private void Leave()
    {
        lock (gate)
        {
            current = null;
        }
    }

    private void Watch()
    {
        TimeSpan interval = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 10, 50, 1000));
        while (!stopped.Wait(interval))
        {
            string? what;
            TimeSpan waited;
            lock (gate)
            {
                what = current;
                waited = Stopwatch.GetElapsedTime(since);
            }

            if (what is null)
            {
                continue;
            }

            string? error = poll?.Invoke();
            if (error is not null || waited > timeout)
            {
                log.WriteLine(error is not null
                    ? $"error: {what} failed: {error}; ending this rank"
                    : FormattableString.Invariant($"error: {what} has waited {waited.TotalSeconds:F0} s (timeout {timeout.TotalSeconds:F0} s): another rank has probably died or hung; ending this rank"));
                log.Flush();
                // _exit: MPI_Abort is not safe from a second thread under MPI_THREAD_SERIALIZED, and .NET's
                // orderly exit would run LibTorch's static destructors while the training thread is inside a call.
                ExitNow(exitCode);
            }
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    /// <summary>Ends the wait of one collective.</summary>
    public readonly struct Scope(CollectiveWatchdog owner) : IDisposable
    {
        public void Dispose() => owner.Leave();
    }
}
