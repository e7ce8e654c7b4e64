// A fresh clone (the files git tracks or would track, nothing built) validates an experiment with no manual step:
// NanoT5.Sdk resolves from the committed fallback folder and the task assembly is built on demand.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Experiments;

[Trait("Category", "Slow")]
public sealed class FreshCloneTests
{
    [Fact]
    public void A_fresh_clone_resolves_the_SDK_and_builds_its_tasks_on_first_use()
    {
        using var clone = ExperimentFolder.Outside();
        foreach (string file in GitFiles())
        {
            string target = Path.Combine(clone.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Repo.Root, file), target);
        }

        Assert.False(Directory.Exists(Path.Combine(clone.Path, "Sdk", "NanoT5.Sdk.Tasks", "bin")));
        BuildResult result = Dotnet.Run(clone.Path, ["msbuild", Path.Combine("experiments", "default"), "-t:Validate", "-nologo", "-tl:off", "-v:m"]).ShouldSucceed();

        Assert.Contains("NanoT5: building the SDK's tasks", result.Output, StringComparison.Ordinal);
        Assert.Contains("NanoT5: default.t5proj is valid (default)", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(clone.Path, "Sdk", "NanoT5.Sdk.Tasks", "bin", "Release", "netstandard2.0", "NanoT5.Sdk.Tasks.dll")));

        BuildResult again = Dotnet.Run(clone.Path, ["msbuild", Path.Combine("experiments", "default"), "-t:Validate", "-nologo", "-tl:off", "-v:m"]).ShouldSucceed();
        Assert.DoesNotContain("building the SDK's tasks", again.Output, StringComparison.Ordinal);
    }

    // git ls-files: tracked and untracked-but-not-ignored files, as a clone of this working tree would have them.
    private static IEnumerable<string> GitFiles()
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = Repo.Root, RedirectStandardOutput = true };
        foreach (string arg in new[] { "ls-files", "-co", "--exclude-standard", "-z" })
        {
            start.ArgumentList.Add(arg);
        }

        using var git = System.Diagnostics.Process.Start(start)!;
        string list = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return list.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => File.Exists(Path.Combine(Repo.Root, f)));
    }
}
