// `dotnet new t5experiment` (installed into a throwaway hive) makes a project that validates, with a CI sweep.
using NanoT5.Sdk.Tests.Infrastructure;
using NanoT5.Sdk.Tests.Packaging;

namespace NanoT5.Sdk.Tests.Templates;

[Collection(PackedFeedCollection.Name)]
[Trait("Category", "Slow")]
public sealed class TemplateTests(PackedFeed packed)
{
    [Fact]
    public void The_default_template_instantiates_and_validates_with_a_sweep_that_validates_every_cell_first()
    {
        using var output = ExperimentFolder.Outside();
        string project = New(output, "my-t5");

        Assert.Equal(
            [".gitignore", "Directory.Build.rsp", "README.md", "global.json", "my-t5.t5proj", "nuget.config"],
            Directory.GetFiles(Path.GetDirectoryName(project)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains($"\"NanoT5.Sdk\": \"{packed.Version}\"", File.ReadAllText(Path.Combine(Path.GetDirectoryName(project)!, "global.json")), StringComparison.Ordinal);
        string folder = Path.GetDirectoryName(project)!;
        string workflow = File.ReadAllText(Path.Combine(folder, ".github", "workflows", "sweep.yml"));
        Assert.Contains("bash .github/sweep.sh validate \"$CELL\"", workflow, StringComparison.Ordinal);
        Assert.Contains("needs: [ plan, validate ]", workflow, StringComparison.Ordinal);
        Assert.Equal(2, workflow.Split("matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}").Length - 1);
        Assert.Contains("TARGET=\"Pretrain\"", File.ReadAllText(Path.Combine(folder, ".github", "sweep.sh")), StringComparison.Ordinal);
        Assert.Contains("\"1e-2\", \"2e-2\"", File.ReadAllText(Path.Combine(folder, ".github", "sweep.json")), StringComparison.Ordinal);
        Assert.StartsWith("# my-t5\n", File.ReadAllText(Path.Combine(folder, "README.md")), StringComparison.Ordinal);
        Assert.Contains("on the **local feed** route", File.ReadAllText(Path.Combine(folder, "README.md")), StringComparison.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("#if", File.ReadAllText(file), StringComparison.Ordinal);
            Assert.DoesNotContain("NANOT5_", File.ReadAllText(file).Replace("NANOT5_ROUTE", string.Empty, StringComparison.Ordinal).Replace("NANOT5_SOURCE", string.Empty, StringComparison.Ordinal).Replace("NANOT5_REF", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Contains("<NanoT5ModelPreset>mini</NanoT5ModelPreset>", File.ReadAllText(project), StringComparison.Ordinal);

        BuildResult result = Validate(project, "-p:NanoT5LearningRate=1e-2", "-p:NanoT5BatchSize=16").ShouldSucceed();
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Without_a_feed_the_experiment_is_on_the_NuGet_route_and_writes_no_nuget_config()
    {
        using var output = ExperimentFolder.Outside();
        string hive = Path.Combine(output.Path, "hive");
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = Path.Combine(output.Path, "home") };
        Dotnet.Run(output.Path, ["new", "install", Repo.Path("templates", "T5Experiment"), "--debug:custom-hive", hive], environment).ShouldSucceed();
        Dotnet.Run(output.Path, ["new", "t5experiment", "-o", "from-nuget", "--debug:custom-hive", hive], environment).ShouldSucceed();

        string folder = Path.Combine(output.Path, "from-nuget");
        Assert.False(File.Exists(Path.Combine(folder, "nuget.config")));
        Assert.Contains("on the **NuGet** route", File.ReadAllText(Path.Combine(folder, "README.md")), StringComparison.Ordinal);
        Assert.Contains("NANOT5_ROUTE=\"${NANOT5_ROUTE:-nuget}\"", File.ReadAllText(Path.Combine(folder, ".github", "sweep.sh")), StringComparison.Ordinal);
        Assert.DoesNotContain("NANOT5_SOURCE", File.ReadAllText(Path.Combine(folder, ".github", "workflows", "sweep.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_CPU_experiment_with_a_large_preset_says_so_and_sweep_sh_is_executable_as_the_README_runs_it()
    {
        using var output = ExperimentFolder.Outside();
        string hive = Path.Combine(output.Path, "hive");
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = Path.Combine(output.Path, "home") };
        Dotnet.Run(output.Path, ["new", "install", Repo.Path("templates", "T5Experiment"), "--debug:custom-hive", hive], environment).ShouldSucceed();
        Dotnet.Run(output.Path, ["new", "t5experiment", "-o", "small", "--preset", "t5-v1_1-small", "--debug:custom-hive", hive], environment).ShouldSucceed();
        Dotnet.Run(output.Path, ["new", "t5experiment", "-o", "mini", "--debug:custom-hive", hive], environment).ShouldSucceed();

        string small = File.ReadAllText(Path.Combine(output.Path, "small", "small.t5proj"));
        Assert.DoesNotContain("a few minutes", small, StringComparison.Ordinal);
        Assert.Contains("t5-v1_1-small is large for a CPU: hours", small, StringComparison.Ordinal);
        Assert.Contains("a few minutes", File.ReadAllText(Path.Combine(output.Path, "mini", "mini.t5proj")), StringComparison.Ordinal);
        Assert.Contains(".github/sweep.sh validate", File.ReadAllText(Path.Combine(output.Path, "small", "README.md")), StringComparison.Ordinal);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(Path.Combine(output.Path, "small", ".github", "sweep.sh")).HasFlag(UnixFileMode.UserExecute), "sweep.sh is not executable");
    }

    [Fact]
    public void The_fine_tuning_GPU_variant_with_its_options_validates()
    {
        using var output = ExperimentFolder.Outside();
        string project = New(output, "ft", "--mode", "finetune", "--device", "cuda", "--optimizer", "adafactor", "--preset", "t5-v1_1-base");

        string text = File.ReadAllText(project);
        Assert.Contains("<NanoT5Mode>finetune</NanoT5Mode>", text, StringComparison.Ordinal);
        Assert.Contains("<NanoT5Optimizer>adafactor</NanoT5Optimizer>", text, StringComparison.Ordinal);
        Assert.Contains("<NanoT5Precision>bf16</NanoT5Precision>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NanoT5SweepRun", text, StringComparison.Ordinal);
        Assert.Contains("TARGET=\"Finetune\"", File.ReadAllText(Path.Combine(output.Path, "ft", ".github", "sweep.sh")), StringComparison.Ordinal);
        Assert.Contains("\"5e-5\", \"1e-4\"", File.ReadAllText(Path.Combine(output.Path, "ft", ".github", "sweep.json")), StringComparison.Ordinal);
        string readme = File.ReadAllText(Path.Combine(output.Path, "ft", "README.md"));
        Assert.Contains("restores TorchSharp's CUDA build", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", readme, StringComparison.Ordinal);

        Assert.Empty(Validate(project).ShouldSucceed().Diagnostics);
    }

    // dotnet new into a throwaway template hive (and CLI home), so the machine's templates are untouched.
    private string New(ExperimentFolder output, string name, params string[] options)
    {
        string hive = Path.Combine(output.Path, "hive");
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = Path.Combine(output.Path, "home") };
        Dotnet.Run(output.Path, ["new", "install", Repo.Path("templates", "T5Experiment"), "--debug:custom-hive", hive], environment).ShouldSucceed();
        Dotnet.Run(output.Path, ["new", "t5experiment", "-o", name, "--feed", packed.Feed, "--sdk-version", packed.Version, "--debug:custom-hive", hive, .. options], environment).ShouldSucceed();
        return Path.Combine(output.Path, name, name + ".t5proj");
    }

    // As the generated workflow validates a cell: no restore (the CUDA variant's TorchSharp-cuda-linux is not served here).
    private BuildResult Validate(string project, params string[] extra) =>
        Dotnet.Run(Path.GetDirectoryName(project)!, ["msbuild", "-t:Validate", "-nologo", "-tl:off", .. extra], packed.Environment);
}
