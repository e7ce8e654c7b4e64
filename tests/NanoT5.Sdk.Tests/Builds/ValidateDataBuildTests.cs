// Real `dotnet build -t:ValidateData` runs on real natural-instructions task files (tests/fixtures/sni-real): the
// experiment program's `finetune --check-data` reads the split with the project's settings and needs no weights.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class ValidateDataBuildTests
{
    [Fact]
    public void ValidateData_reads_the_whole_split_without_weights_and_fails_the_build_when_a_task_is_missing()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5Mode>finetune</NanoT5Mode>
                <NanoT5FinetuneData>natural-instructions</NanoT5FinetuneData>
                <NanoT5InitFrom>runs/not-trained-yet</NanoT5InitFrom>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5MaxSourceLength>120</NanoT5MaxSourceLength>
              </PropertyGroup>
            </Project>
            """);
        string data = Path.Combine(folder.Path, "natural-instructions");
        foreach (string file in Directory.EnumerateFiles(Repo.Path("tests", "fixtures", "sni-real"), "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(data, Path.GetRelativePath(Repo.Path("tests", "fixtures", "sni-real"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        BuildResult ready = Dotnet.Build(folder.ProjectFile, "ValidateData", "-tl:off").ShouldSucceed();

        Assert.Contains($"natural-instructions: {data}, split 'default'", ready.Output, StringComparison.Ordinal);
        Assert.Contains("train: 100 instances of 1 tasks", ready.Output, StringComparison.Ordinal);
        Assert.Contains("test: 200 instances of 2 tasks", ready.Output, StringComparison.Ordinal);
        Assert.Contains("vs finetune.max_source_length 120:", ready.Output, StringComparison.Ordinal);
        Assert.Contains("the data is ready", ready.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "runs")));

        File.AppendAllText(Path.Combine(data, "splits", "default", "test_tasks.txt"), "task9999_not_checked_out\n");
        BuildResult missing = Dotnet.Build(folder.ProjectFile, "ValidateData", "-tl:off");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("tasks skipped: 1 (a run stops at the first of them)", missing.Output, StringComparison.Ordinal);
        Assert.Contains("test task9999_not_checked_out: ", missing.Output, StringComparison.Ordinal);
        Assert.Contains("error NT4001", missing.Output, StringComparison.Ordinal);
    }
}
