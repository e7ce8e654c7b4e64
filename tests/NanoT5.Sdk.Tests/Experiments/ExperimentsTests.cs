// experiments/ as a user finds them: each validates, the GPU ones ask for exactly C4 and the tokenizer, and their
// generated configs carry nanoT5's numbers. A copy of the folder is used, so the repository's own stays clean.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Experiments;

[Trait("Category", "Slow")]
public sealed class ExperimentsTests : IDisposable
{
    private readonly string copy = Repo.Path("artifacts", "sdk-tests", "experiments-" + Guid.NewGuid().ToString("N")[..8]);

    public ExperimentsTests()
    {
        foreach (string file in Directory.EnumerateFiles(Repo.Path("experiments"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/runs/", StringComparison.Ordinal)))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(Repo.Path("experiments"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("finetune-demo")]
    public void The_CPU_experiments_validate(string name)
    {
        BuildResult result = Dotnet.MSBuild(Project(name), "Validate").ShouldSucceed();

        Assert.Empty(result.Errors);
        Assert.All(result.Diagnostics, d => Assert.Equal("NT1009", d.Code)); // the fine-tuning demo starts from the default run, once it exists
    }

    [Theory]
    [InlineData("c4-base")]
    [InlineData("c4-base-16h")]
    [InlineData("c4-base-adafactor")]
    public void The_GPU_experiments_ask_only_for_C4_and_the_tokenizer(string name)
    {
        BuildResult missing = Dotnet.MSBuild(Project(name), "Validate").ShouldFail();
        Assert.Equal(["NT2006", "NT2008"], missing.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));

        string tokenizer = Path.Combine(copy, "spiece.model");
        File.WriteAllText(tokenizer, "stand-in");
        BuildResult supplied = Dotnet.MSBuild(Project(name), "Validate", "-p:C4Directory=/data/c4", "-p:NanoT5TokenizerPath=" + tokenizer).ShouldSucceed();
        Assert.Empty(supplied.Diagnostics);

        string config = File.ReadAllText(Directory.GetFiles(Path.Combine(copy, name, "obj"), "Experiment.g.cs", SearchOption.AllDirectories).Single());
        Assert.Contains("TrainSources = new string[] { \"/data/c4/en/c4-train.*-of-01024.json.gz\" },", config, StringComparison.Ordinal);
        Assert.Contains("Precision = global::NanoT5.Config.Precision.Bf16,", config, StringComparison.Ordinal);
        Assert.Contains("Device = \"cuda\",", config, StringComparison.Ordinal);
        Assert.Contains("Preset = \"t5-v1_1-base\",", config, StringComparison.Ordinal);
        Assert.DoesNotContain("EosAfterDocument", config, StringComparison.Ordinal); // the default: eos after every document, as nanoT5
        string[] expected = name switch
        {
            "c4-base-16h" => ["BatchSize = 256,", "GradAcc = 2,", "TotalSteps = 53332,", "WarmupSteps = 6666,"],
            "c4-base-adafactor" => ["Name = global::NanoT5.Config.OptimizerKind.Adafactor,", "Schedule = global::NanoT5.Config.ScheduleKind.Legacy,"],
            _ => [],
        };
        Assert.All(expected, line => Assert.Contains(line, config, StringComparison.Ordinal));
        Assert.Equal(name == "c4-base", !config.Contains("Optim = new()", StringComparison.Ordinal)); // nanoT5's default optimizer settings are the defaults
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(copy, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Project(string name) => Path.Combine(copy, name, name + ".t5proj");
}
