// A `dotnet build` that a test watches while it runs and signals as a terminal or a CI runner would: it runs in a
// process group of its own (setsid), like a terminal's foreground job, so SIGINT can go to the whole group (Ctrl+C)
// or SIGTERM to the `dotnet build` process alone (a cancelled CI job).
using System.Diagnostics;
using System.Text;

namespace NanoT5.Sdk.Tests.Infrastructure;

internal sealed class LiveBuild : IDisposable
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string watchedFolder;

    private LiveBuild(Process process, string watchedFolder)
    {
        this.process = process;
        this.watchedFolder = watchedFolder;
    }

    public int Id => process.Id;

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

    /// <summary>Starts `dotnet build PROJECT -t:TARGET` as <see cref="Dotnet.Build(string, string, string[])"/> does.</summary>
    public static LiveBuild Start(string project, string target, params string[] extra)
    {
        Dotnet.EnsureSdkTasksBuilt();
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Path.GetDirectoryName(project)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["dotnet", .. Dotnet.BuildArguments(project, target, extra)])
        {
            start.ArgumentList.Add(arg);
        }

        Dotnet.PrepareEnvironment(start);
        var build = new LiveBuild(new Process { StartInfo = start }, Path.GetDirectoryName(project)!);
        build.process.OutputDataReceived += (_, e) => build.Append(e.Data);
        build.process.ErrorDataReceived += (_, e) => build.Append(e.Data);
        build.process.Start();
        build.process.BeginOutputReadLine();
        build.process.BeginErrorReadLine();
        return build;
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (fails the test when the build ends or time runs out first).</summary>
    public void WaitFor(string text, int timeoutSeconds = 300)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(!process.HasExited, $"the build ended before printing '{text}'.\n{Output}");
            Assert.True(clock.Elapsed.TotalSeconds < timeoutSeconds, $"no '{text}' after {timeoutSeconds} s.\n{Output}");
            Thread.Sleep(200);
        }
    }

    /// <summary>Ctrl+C in a terminal: SIGINT to every process of the foreground group.</summary>
    public void SignalGroup(int signal)
    {
        AssertSignalNotIgnored(signal);
        Assert.Equal(0, Kill(-process.Id, signal));
    }

    /// <summary>SIGTERM from a CI runner: the `dotnet build` process alone.</summary>
    public void SignalBuild(int signal)
    {
        AssertSignalNotIgnored(signal);
        Assert.Equal(0, Kill(process.Id, signal));
    }

    public BuildResult WaitForExit(int timeoutSeconds = 180)
    {
        bool exited = process.WaitForExit(timeoutSeconds * 1000);
        Assert.True(exited, $"the build did not exit {timeoutSeconds} s after the signal.\n{Output}");
        process.WaitForExit();
        return new BuildResult("dotnet build (signalled)", process.ExitCode, Output);
    }

    /// <summary>Processes (other than the build) whose command line names the experiment's folder: the run, if it outlived the build.</summary>
    public IReadOnlyList<string> ProcessesInFolder() =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out int pid) && pid != process.Id && pid != Environment.ProcessId)
            .Select(d => (Pid: Path.GetFileName(d), CommandLine: ReadCommandLine(d)))
            .Where(p => p.CommandLine.Contains(watchedFolder, StringComparison.Ordinal))
            .Select(p => $"{p.Pid}: {p.CommandLine}")
            .ToList();

    public void Dispose()
    {
        // Whatever happened, nothing the test started lives on.
        if (!process.HasExited)
        {
            Kill(-process.Id, 9);
        }

        foreach (string line in ProcessesInFolder())
        {
            Kill(int.Parse(line[..line.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), 9);
        }

        process.Dispose();
    }

    private static string ReadCommandLine(string procFolder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procFolder, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    // A signal ignored when the test host started (a shell's background job ignores SIGINT) would prove nothing.
    private void AssertSignalNotIgnored(int signal)
    {
        string? ignored = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        ulong mask = Convert.ToUInt64(ignored!["SigIgn:".Length..].Trim(), 16);
        Assert.True((mask & (1UL << (signal - 1))) == 0, $"signal {signal} is ignored by the build process (the test host inherited SIG_IGN); run the tests from a shell job that does not ignore it.");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    // kill(1), as a person or a runner script would send it; 0 when the signal was delivered.
    private static int Kill(int pid, int signal)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RedirectStandardError = true })!;
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
