using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace NanoT5.Tests.FaultTolerance;

/// <summary>The runtime CLI as a real child process (the fault tests kill and signal it).</summary>
internal sealed class RuntimeProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private RuntimeProcess(ProcessStartInfo start)
    {
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public int Id => process.Id;

    /// <summary>`dotnet NanoT5.Runtime.dll args...`; with a file-size limit (KB) the child runs under `ulimit -f` with SIGXFSZ ignored, so writes past it fail like a full disk.</summary>
    public static RuntimeProcess Start(IEnumerable<string> args, long? fileSizeLimitKb = null)
    {
        string runtime = Path.Combine(AppContext.BaseDirectory, "NanoT5.Runtime.dll");
        ProcessStartInfo start;
        if (fileSizeLimitKb is long limit)
        {
            string quoted = string.Join(' ', args.Prepend(runtime).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
            // W^X double-mapping sizes a memfd past any small limit: the runtime would not even start.
            start = new ProcessStartInfo("bash", ["-c", $"trap '' XFSZ; ulimit -f {limit}; DOTNET_EnableWriteXorExecute=0 exec dotnet {quoted}"]);
        }
        else
        {
            start = new ProcessStartInfo("dotnet", args.Prepend(runtime));
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["CI"] = "true"; // plain progress lines
        return new RuntimeProcess(start);
    }

    /// <summary>
    /// `mpirun -np N dotnet NanoT5.Runtime.dll args...` (Open MPI; allowed as root, more ranks than cores allowed);
    /// several commands (`:`-separated MPMD) when <paramref name="perRank"/> gives each rank its own arguments.
    /// </summary>
    public static RuntimeProcess StartUnderMpirun(int processes, IEnumerable<string> args, IReadOnlyList<IEnumerable<string>>? perRank = null)
    {
        string runtime = Path.Combine(AppContext.BaseDirectory, "NanoT5.Runtime.dll");
        var mpirun = new List<string> { "--oversubscribe", "-x", "TERM=dumb", "-x", "CI=true" };
        foreach (IEnumerable<string> rankArgs in perRank ?? [args])
        {
            mpirun.AddRange(mpirun.Count > 5 ? [":"] : []);
            mpirun.AddRange(["-np", (perRank is null ? processes : 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", runtime, .. rankArgs]);
        }

        var start = new ProcessStartInfo("mpirun", mpirun) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        return new RuntimeProcess(start);
    }

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static (int ExitCode, string Output) Run(IEnumerable<string> args, long? fileSizeLimitKb = null, int timeoutSeconds = 240)
    {
        using var process = Start(args, fileSizeLimitKb);
        return (process.WaitForExit(timeoutSeconds), process.Output);
    }

    public int WaitForExit(int timeoutSeconds = 240)
    {
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the runtime did not finish in {timeoutSeconds} s:\n{Output}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (polling), or fails the test.</summary>
    public void WaitUntil(Func<bool> condition, string what, int timeoutSeconds = 120)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the runtime exited ({process.ExitCode}) before {what}:\n{Output}");
            }

            if (watch.Elapsed.TotalSeconds > timeoutSeconds)
            {
                throw new TimeoutException($"no {what} after {timeoutSeconds} s:\n{Output}");
            }

            Thread.Sleep(20);
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>Sends <paramref name="signal"/> unless the process has already ended; false when it had.</summary>
    public bool TrySignal(int signal) => !process.HasExited && SendSignal(process.Id, signal) == 0;

    /// <summary>SIGKILL: no handler runs.</summary>
    public void KillHard() => process.Kill();

    /// <summary>Sends a POSIX signal (SIGINT 2, SIGTERM 15).</summary>
    public void Signal(int signal) => Assert.Equal(0, SendSignal(process.Id, signal));

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
