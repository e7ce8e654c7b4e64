// The whole outside-repository path a new user takes, from an empty NuGet cache: eng/pack-feed.sh packs the SDK,
// the runtime and the template into a feed and installs the template; `dotnet new t5experiment` makes an experiment;
// the generated workflow's own commands (.github/sweep.sh) validate a cell and train one for 10 steps, restoring
// TorchSharp and LibTorch from NuGet. Slow: a real restore (~1.1 GB) and training (docs/benchmarks.md has the time).
using System.Diagnostics;
using System.Text.Json.Nodes;
using NanoT5.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NanoT5.Sdk.Tests.Packaging;

[Collection(ColdCacheCollection.Name)]
public sealed class ColdCacheTests(ITestOutputHelper log)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void A_new_experiment_outside_the_repository_trains_10_steps_from_a_cold_NuGet_cache()
    {
        using var root = ExperimentFolder.Outside();
        string feed = Path.Combine(root.Path, "feed");
        string packages = Path.Combine(root.Path, "packages");
        Directory.CreateDirectory(packages);
        var home = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = Path.Combine(root.Path, "home") };
        var cold = new Dictionary<string, string?>(home) { ["NUGET_PACKAGES"] = packages };
        var watch = Stopwatch.StartNew();

        BuildResult packed = Dotnet.Bash(Repo.Root, [Repo.Path("eng", "pack-feed.sh"), feed], home, timeoutSeconds: 900).ShouldSucceed();
        Assert.Contains($"packed into {feed} (NanoT5.Sdk, NanoT5.Runtime, NanoT5.Templates)", packed.Output, StringComparison.Ordinal);
        log.WriteLine($"pack-feed.sh: {watch.Elapsed}");

        Dotnet.Run(root.Path, ["new", "t5experiment", "-o", "my-t5"], home).ShouldSucceed();
        string experiment = Path.Combine(root.Path, "my-t5");
        Assert.StartsWith("# my-t5\n", File.ReadAllText(Path.Combine(experiment, "README.md")), StringComparison.Ordinal);
        Assert.DoesNotContain("#if", File.ReadAllText(Path.Combine(experiment, "README.md")), StringComparison.Ordinal);
        Assert.Contains($"<add key=\"nanot5\" value=\"{feed}\" />", File.ReadAllText(Path.Combine(experiment, "nuget.config")), StringComparison.Ordinal);
        string workflow = File.ReadAllText(Path.Combine(experiment, ".github", "workflows", "sweep.yml"));

        // The workflow's commands, as its steps run them.
        Assert.Contains("run: echo \"matrix=$(bash .github/sweep.sh plan)\" >> \"$GITHUB_OUTPUT\"", workflow, StringComparison.Ordinal);
        Assert.Equal(
            JsonNode.Parse(File.ReadAllText(Path.Combine(experiment, ".github", "sweep.json")))!.ToJsonString(),
            Dotnet.Bash(experiment, [".github/sweep.sh", "plan"], cold).ShouldSucceed().Output.Trim());
        Assert.Contains("run: bash .github/sweep.sh obtain-sdk", workflow, StringComparison.Ordinal);
        Assert.Contains($"NanoT5 packages: the local feed {feed}", Dotnet.Bash(experiment, [".github/sweep.sh", "obtain-sdk"], cold).ShouldSucceed().Output, StringComparison.Ordinal);
        Assert.Contains("run: bash .github/sweep.sh validate \"$CELL\"", workflow, StringComparison.Ordinal);
        BuildResult valid = Dotnet.Bash(experiment, [".github/sweep.sh", "validate", """{ "NanoT5LearningRate": "1e-2", "NanoT5BatchSize": "16" }"""], cold).ShouldSucceed();
        Assert.Contains("my-t5.t5proj is valid (my-t5-learning-rate-1e-2-batch-size-16)", valid.Output, StringComparison.Ordinal);

        watch.Restart();
        Assert.Contains("run: bash .github/sweep.sh train \"$CELL\"", workflow, StringComparison.Ordinal);
        BuildResult trained = Dotnet.Bash(
            experiment,
            [".github/sweep.sh", "train", """{ "NanoT5TotalSteps": "10", "NanoT5WarmupSteps": "2", "NanoT5EvalEvery": "5", "NanoT5EvalSteps": "2", "NanoT5LogEvery": "5" }"""],
            cold,
            timeoutSeconds: 1200).ShouldSucceed();
        log.WriteLine($"restore from a cold cache, build and 10 training steps: {watch.Elapsed}");

        string run = Path.Combine(experiment, "runs", "my-t5-warmup-steps-2");
        Assert.Contains($"NanoT5: pretrain my-t5-warmup-steps-2 exited with code 0; run folder: {run}", trained.Output, StringComparison.Ordinal);
        Assert.Matches(@"\[train\] step 10/10 \| loss [0-9.]+ .*\| elapsed \d+:\d\d \| ETA 0:00", trained.Output);
        Assert.True(File.Exists(Path.Combine(run, "model", "model.safetensors")), trained.ToString());
        Assert.Equal(
            ["config.resolved.json", "metrics.jsonl", "plots", "summary.json"],
            Directory.EnumerateFileSystemEntries(Path.Combine(experiment, "sweep-artifacts")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(packages, "nanot5.sdk")), "the SDK came from the feed into the cold cache");
        Assert.True(Directory.Exists(Path.Combine(packages, "libtorch-cpu-linux-x64")), "LibTorch came from NuGet into the cold cache");
        Assert.False(Directory.Exists(Path.Combine(packages, "libtorch-cpu-win-x64")), "only this machine's LibTorch is restored");
    }
}

// Alone: eng/pack-feed.sh builds the repository's projects, whose outputs the other tests' builds read.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ColdCacheCollection
{
    public const string Name = "cold cache";
}
