// The experiment program as a child of the build: one shell command line (the launcher, the program, the verb and
// $(NanoT5RunArguments) as the user wrote them), its output as lines, its exit code.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NanoT5.Sdk.Launch;

internal sealed class RuntimeProcess : IDisposable
{
    // setsid(1) puts the program in its own process group: a terminal's Ctrl+C (SIGINT to the foreground group)
    // then reaches it once, forwarded by the launch task, not twice (a second signal means "stop without a checkpoint").
    private const string SetSid = "/usr/bin/setsid";

    private readonly Process process;
    private readonly BlockingCollection<OutputLine> lines = new();
    private readonly object exitLock = new();
    private int openStreams = 2;
    private int? exitCode;

    private RuntimeProcess(Process process) => this.process = process;

    /// <summary>The program's PID (the shell execs it, so this is the program or its launcher, mpirun).</summary>
    public int Id => process.Id;

    /// <summary>Whether the program runs in a process group of its own (signals reach it only through the launch task).</summary>
    public bool OwnProcessGroup { get; private init; }

    public static RuntimeProcess Start(string commandLine, string workingDirectory, IEnumerable<KeyValuePair<string, string>> environment)
    {
        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        bool ownGroup = !windows && File.Exists(SetSid);
        var start = new ProcessStartInfo
        {
            FileName = windows ? "cmd.exe" : ownGroup ? SetSid : "/bin/sh",
            Arguments = windows ? "/d /s /c \"" + commandLine + "\"" : (ownGroup ? "/bin/sh " : string.Empty) + "-c " + Quote("exec " + commandLine),
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (KeyValuePair<string, string> pair in environment)
        {
            start.Environment[pair.Key] = pair.Value;
        }

        var child = new RuntimeProcess(new Process { StartInfo = start, EnableRaisingEvents = true }) { OwnProcessGroup = ownGroup };
        child.process.OutputDataReceived += (_, e) => child.Receive(e.Data, isError: false);
        child.process.ErrorDataReceived += (_, e) => child.Receive(e.Data, isError: true);
        child.process.Start();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The next line of output, or null once both streams have ended; waits at most <paramref name="timeout"/>.</summary>
    public bool TryTake(TimeSpan timeout, out OutputLine? line)
    {
        if (lines.TryTake(out OutputLine? taken, timeout))
        {
            line = taken;
            return true;
        }

        line = null;
        return !lines.IsCompleted;
    }

    /// <summary>
    /// Waits for the exit (output read to the end) and returns the exit code; kept, so a caller racing
    /// <see cref="Dispose"/> (the build's exit handler) still gets it.
    /// </summary>
    public int WaitForExitCode()
    {
        lock (exitLock)
        {
            if (exitCode is null)
            {
                process.WaitForExit();
                exitCode = process.ExitCode;
            }

            return exitCode.Value;
        }
    }

    public bool Signal(int signal) => !process.HasExited && PosixSignals.Send(process.Id, signal);

    public void Dispose()
    {
        lock (exitLock)
        {
            process.Dispose();
        }

        lines.Dispose();
    }

    // One argument as .NET splits ProcessStartInfo.Arguments (the MSVCRT rules, on every OS): backslashes double only
    // before a quote. (ArgumentList is not in netstandard2.0.)
    private static string Quote(string argument)
    {
        var quoted = new System.Text.StringBuilder("\"");
        int backslashes = 0;
        foreach (char c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }

    private void Receive(string? text, bool isError)
    {
        if (text is not null)
        {
            lines.Add(new OutputLine(text, isError));
        }
        else if (Interlocked.Decrement(ref openStreams) == 0)
        {
            lines.CompleteAdding();
        }
    }
}

/// <summary>One line the program printed, on stdout or stderr.</summary>
internal sealed record OutputLine(string Text, bool IsError);
