// SIGINT / SIGTERM during training: the first finishes the current step, checkpoints, flushes metrics
// and exits with its own code; a second exits at once.
using System.Runtime.InteropServices;

namespace NanoT5.Training;

/// <summary>Turns termination signals into a cancellation the training loop honours.</summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int received;

    public StopSignals(TextWriter log, int immediateExitCode)
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (Interlocked.Increment(ref received) == 1)
                {
                    context.Cancel = true;
                    log.WriteLine($"\n{context.Signal}: finishing the current step, then checkpointing (send it again to stop at once)");
                    stop.Cancel();
                }
                else
                {
                    // Cancel the runtime's own termination too, or it races Exit and the code becomes 128 + signal.
                    context.Cancel = true;
                    log.WriteLine($"\n{context.Signal} again: stopping now, without a checkpoint");
                    log.Flush();
                    // _exit, not Environment.Exit: running LibTorch's static destructors while its thread pool is
                    // mid-kernel crashes (exit code 139). Every metric line is already written; checkpoints are atomic.
                    ExitNow(immediateExitCode);
                }
            }));
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        registrations.ForEach(r => r.Dispose());
        stop.Dispose();
    }
}
