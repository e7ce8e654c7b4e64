// Stopping a run through `dotnet build` as users and CI runners do: Ctrl+C in a terminal (SIGINT to the whole
// foreground process group) and a cancelled CI job (SIGTERM to the `dotnet build` process alone). Either way the run
// checkpoints its last completed step, `dotnet build` exits with the runtime's code 3, and nothing is left running.
using System.Text.Json;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class InterruptBuildTests
{
    // Long enough never to finish while the test watches (a step takes about a second here).
    private static readonly string LongPretraining = TinyPretraining.Project.Replace("<NanoT5TotalSteps>3</NanoT5TotalSteps>", "<NanoT5TotalSteps>100000</NanoT5TotalSteps>", StringComparison.Ordinal);

    [Fact]
    public void Ctrl_C_in_a_terminal_checkpoints_the_run_and_dotnet_build_exits_with_the_runtimes_code_3()
    {
        BuildResult result = StopAfterTheFirstStep(build => build.SignalGroup(LiveBuild.SIGINT));

        Assert.Contains("SIGINT: finishing the current step", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MSB5021", result.Output, StringComparison.Ordinal);
        Assert.Contains("pretrain exp was interrupted and exited with code 3", result.Single("NT4007").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SIGTERM_to_dotnet_build_alone_is_forwarded_the_run_checkpoints_and_the_build_exits_3_leaving_no_process()
    {
        BuildResult result = StopAfterTheFirstStep(build => build.SignalBuild(LiveBuild.SIGTERM));

        Assert.Contains("SIGTERM: finishing the current step", result.Output, StringComparison.Ordinal);
    }

    // Pretrains until the first step is printed, stops the build with stop, and checks what every stop must leave.
    private static BuildResult StopAfterTheFirstStep(Action<LiveBuild> stop)
    {
        using var folder = ExperimentFolder.InRepo(LongPretraining);
        using var build = LiveBuild.Start(folder.ProjectFile, "Pretrain");
        build.WaitFor("[train] step 1/");

        stop(build);
        BuildResult result = build.WaitForExit();

        AssertInterruptedAndCheckpointed(folder, build, result);
        return result;
    }

    private static void AssertInterruptedAndCheckpointed(ExperimentFolder folder, LiveBuild build, BuildResult result)
    {
        Assert.True(result.ExitCode == 3, $"expected the runtime's exit code 3 (interrupted).\n{result}");
        Assert.Empty(build.ProcessesInFolder());
        string run = Path.Combine(folder.Path, "runs", "exp");
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(run, "checkpoints"), "step-*"));
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal("killed", summary.RootElement.GetProperty("status").GetString());
        Assert.Contains("interrupted at step", result.Output, StringComparison.Ordinal);
    }
}
