// Runs real dotnet commands (build, msbuild, pack, new) the way a user would, with a time limit.
using System.Diagnostics;
using System.Text;

namespace NanoT5.Sdk.Tests.Infrastructure;

internal static class Dotnet
{
    private static readonly Lazy<BuildResult> TasksBuilt = new(BuildSdkTasksOnce);

    /// <summary>dotnet ARGS in <paramref name="directory"/>; the output is collected, never shown live.</summary>
    public static BuildResult Run(string directory, IEnumerable<string> args, IDictionary<string, string?>? environment = null, int timeoutSeconds = 300) =>
        Exec("dotnet", directory, args, environment, timeoutSeconds);

    /// <summary>bash ARGS in <paramref name="directory"/> (scripts that call dotnet), with the same environment handling.</summary>
    public static BuildResult Bash(string directory, IEnumerable<string> args, IDictionary<string, string?>? environment = null, int timeoutSeconds = 300) =>
        Exec("bash", directory, args, environment, timeoutSeconds);

    private static BuildResult Exec(string program, string directory, IEnumerable<string> args, IDictionary<string, string?>? environment, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        PrepareEnvironment(start);
        foreach (KeyValuePair<string, string?> pair in environment ?? new Dictionary<string, string?>())
        {
            if (pair.Value is null)
            {
                start.Environment.Remove(pair.Key);
            }
            else
            {
                start.Environment[pair.Key] = pair.Value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Append(output, $"(killed after {timeoutSeconds} s)");
            return new BuildResult(program + " " + string.Join(" ", args), -1, output.ToString());
        }

        process.WaitForExit();
        return new BuildResult(program + " " + string.Join(" ", args), process.ExitCode, output.ToString());
    }

    /// <summary>The environment of every dotnet child: its own MSBuild resolution, no node reuse, no first-run noise.</summary>
    public static void PrepareEnvironment(ProcessStartInfo start)
    {
        // The test host runs inside `dotnet test`: drop the MSBuild variables it inherited so the child resolves its own.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
    }

    /// <summary>The arguments of `dotnet build PROJECT -t:TARGET` as a user runs it, reusing the runtime the tests were built with.</summary>
    public static string[] BuildArguments(string project, string target, params string[] extra) =>
        ["build", project, "-t:" + target, "-c", Repo.Configuration, "-nologo", "-tl:off", "-v:m", "-p:BuildProjectReferences=false", "-p:RestoreRecursive=false", "-p:NuGetAudit=false", .. extra];

    /// <summary>
    /// dotnet msbuild PROJECT -t:TARGET (no restore): what validation tests need, in about a second. The SDK's task
    /// assembly is brought up to date once first, so parallel tests never build it at the same time.
    /// </summary>
    public static BuildResult MSBuild(string project, string target, params string[] extra)
    {
        EnsureSdkTasksBuilt();
        return Run(Path.GetDirectoryName(project)!, ["msbuild", project, "-t:" + target, "-nologo", "-tl:off", "-v:m", .. extra]);
    }

    /// <summary>
    /// dotnet build PROJECT -t:TARGET as a user runs it (restore included), reusing the runtime the tests were built
    /// with (no rebuild of project references).
    /// </summary>
    public static BuildResult Build(string project, string target, params string[] extra) => Build(null, project, target, extra);

    /// <summary><see cref="Build(string, string, string[])"/> with environment variables set (or removed, when null).</summary>
    public static BuildResult Build(IDictionary<string, string?>? environment, string project, string target, params string[] extra)
    {
        EnsureSdkTasksBuilt();
        return Run(Path.GetDirectoryName(project)!, BuildArguments(project, target, extra), environment);
    }

    public static void EnsureSdkTasksBuilt()
    {
        BuildResult warmUp = TasksBuilt.Value;
        Assert.True(warmUp.ExitCode == 0, $"the SDK's tasks did not build.\n{warmUp}");
    }

    // An experiment's Validate brings the in-repository task assembly up to date (the SDK's on-demand build).
    private static BuildResult BuildSdkTasksOnce()
    {
        using var folder = ExperimentFolder.InRepo("""<Project Sdk="NanoT5.Sdk" />""", "warmup");
        return Run(folder.Path, ["msbuild", folder.ProjectFile, "-t:_NanoT5BuildTasks", "-nologo", "-tl:off", "-v:m"]);
    }

    private static void Append(StringBuilder output, string? line)
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
}
