// MSBuild task that runs the experiment program (the launch targets' last step). Unlike Exec, which MSBuild kills 5 s
// after a cancel (MSB5021, no checkpoint), it passes a stop on to the run and waits for it:
// - Ctrl+C (MSBuild's cancel, and SIGINT to this process) is forwarded as one SIGINT;
// - SIGTERM to the build process (a CI runner cancelling a job) is forwarded as SIGTERM instead of ending the build
//   and orphaning the run;
// - a second signal is forwarded too (the run then stops at once, without a checkpoint).
// The run checkpoints and exits with its own code (ExitCodes.Interrupted, compiled in by link), which becomes the
// build's exit code.
using Microsoft.Build.Framework;
using NanoT5.Runs;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Launch;

namespace NanoT5.Sdk.Tasks;

public sealed class LaunchRun : NanoT5Task, ICancelableTask
{
    private const string RuntimeWarningPrefix = "warning: ";

    // Once a stop reached this build, later launches in it (the next run of a sweep) do not start.
    private static int stopRequested;

    private readonly object gate = new();
    private RuntimeProcess? child;
    private int forwarded;

    /// <summary>The shell command line: launcher, program, verb and $(NanoT5RunArguments).</summary>
    [Required]
    public string CommandLine { get; set; } = string.Empty;

    [Required]
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>NAME=VALUE pairs added to the program's environment.</summary>
    public string[] EnvironmentVariables { get; set; } = [];

    /// <summary>The verb (pretrain, evaluate, ...) and experiment, for messages.</summary>
    public string Description { get; set; } = string.Empty;

    [Output]
    public int ExitCode { get; private set; } = -1;

    /// <summary>True when the run was stopped by a signal or a cancel passed on to it.</summary>
    [Output]
    public bool Stopped { get; private set; }

    public override bool Execute()
    {
        if (Volatile.Read(ref stopRequested) != 0)
        {
            Report(new ProjectDiagnostic(DiagnosticCodes.RunInterrupted, $"{Description} was not started: this build was asked to stop.", ProjectFile, 0, 0));
            return false;
        }

        using IDisposable? signals = PosixSignals.Handle(OnSignal);
        lock (gate)
        {
            child = RuntimeProcess.Start(CommandLine, WorkingDirectory, EnvironmentVariables.Select(Split));
        }

        // `dotnet build` answers SIGTERM itself with Environment.Exit(0) (a handler registered before ours, so it runs
        // first): the exit then waits here until the run has checkpointed, and ends with the run's code.
        EventHandler onExit = (_, _) => StopBeforeExit();
        AppDomain.CurrentDomain.ProcessExit += onExit;

        Log.LogMessage(MessageImportance.High, $"NanoT5: {Description} started (pid {child.Id}); Ctrl+C or SIGTERM checkpoints and stops it");
        while (child.TryTake(TimeSpan.FromMilliseconds(200), out OutputLine? line))
        {
            if (line is null)
            {
                continue;
            }

            // The runtime's "warning: ..." lines count in MSBuild's summary ("1 Warning(s)"), not only in the scroll-back.
            if (line.Text.StartsWith(RuntimeWarningPrefix, StringComparison.Ordinal))
            {
                Log.LogWarning(null, null, null, ProjectFile, 0, 0, 0, 0, line.Text.Substring(RuntimeWarningPrefix.Length));
            }
            else
            {
                Log.LogMessage(MessageImportance.High, line.Text);
            }
        }

        RuntimeProcess finished = child;
        ExitCode = finished.WaitForExitCode();
        Stopped = Volatile.Read(ref forwarded) > 0;
        lock (gate)
        {
            child = null;
        }

        AppDomain.CurrentDomain.ProcessExit -= onExit;
        finished.Dispose();

        if (!Stopped)
        {
            return true;
        }

        // The build's own exit code would be 1 (or 0, for SIGTERM): the run's code says what happened.
        BuildExitCode.Keep(ExitCode);
        string outcome = ExitCode == ExitCodes.Interrupted
            ? "the last completed step is checkpointed; run the same command to resume"
            : "it stopped without a checkpoint (a second signal), the previous checkpoint is intact";
        Report(new ProjectDiagnostic(DiagnosticCodes.RunInterrupted, $"{Description} was interrupted and exited with code {ExitCode}: {outcome}.", ProjectFile, 0, 0));
        return false;
    }

    /// <summary>MSBuild's cancel (Ctrl+C, or an IDE's stop): a SIGINT for the run, unless a signal already went.</summary>
    public void Cancel()
    {
        if (Volatile.Read(ref forwarded) == 0)
        {
            Forward(PosixSignals.SIGINT);
        }
    }

    private void OnSignal(int signal) => Forward(signal);

    private void StopBeforeExit()
    {
        RuntimeProcess? running;
        lock (gate)
        {
            running = child;
        }

        if (running is null)
        {
            return;
        }

        if (Volatile.Read(ref forwarded) == 0)
        {
            Forward(PosixSignals.SIGTERM);
        }

        Environment.ExitCode = running.WaitForExitCode();
    }

    private void Forward(int signal)
    {
        Interlocked.Exchange(ref stopRequested, 1);
        lock (gate)
        {
            if (child is not null && child.Signal(signal))
            {
                Interlocked.Increment(ref forwarded);
            }
        }
    }

    private static KeyValuePair<string, string> Split(string pair)
    {
        int equals = pair.IndexOf('=');
        return equals <= 0 ? new(pair, string.Empty) : new(pair.Substring(0, equals), pair.Substring(equals + 1));
    }
}
