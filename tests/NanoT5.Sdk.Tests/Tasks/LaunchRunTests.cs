// The launch task in process: the program's lines become build output, its "warning:" lines MSBuild warnings (so the
// build's summary counts them), its exit code the task's output; arguments reach it as the shell splits them.
using NanoT5.Sdk.Tasks;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Tasks;

[Trait("Category", "Slow")]
public sealed class LaunchRunTests
{
    [Fact]
    public void Runtime_warning_lines_are_MSBuild_warnings_other_lines_messages_and_the_exit_code_is_kept()
    {
        using var folder = ExperimentFolder.Outside();
        var engine = new FakeBuildEngine();
        var task = new LaunchRun
        {
            BuildEngine = engine,
            ProjectFile = folder.ProjectFile,
            WorkingDirectory = folder.Path,
            Description = "pretrain exp",
            CommandLine = "sh -c 'echo \"warning: data: 2 of 100 documents unreadable\"; echo \"[train] step 1/3\" \"$1\"; exit 5' sh \"two words\"",
        };

        Assert.True(task.Execute());

        Assert.Equal(5, task.ExitCode);
        Assert.False(task.Stopped);
        Assert.Equal(["data: 2 of 100 documents unreadable"], engine.Warnings.Select(w => w.Message));
        Assert.Equal(folder.ProjectFile, engine.Warnings[0].File);
        Assert.Contains(engine.Messages, m => m.Message == "[train] step 1/3 two words");
        Assert.Empty(engine.Errors);
    }
}
