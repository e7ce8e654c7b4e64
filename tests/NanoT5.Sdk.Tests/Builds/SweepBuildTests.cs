// A real `dotnet build -t:Sweep`: every run validated first, then built and launched in turn, one table at the end.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class SweepBuildTests
{
    private const string Project = """
        <Project Sdk="NanoT5.Sdk">
          <PropertyGroup>
            <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
            <NanoT5TrainSources>builtin:dotnet-docs</NanoT5TrainSources>
            <NanoT5SweepTarget>ShowConfig</NanoT5SweepTarget>
          </PropertyGroup>
          <ItemGroup>
            <NanoT5SweepRun Include="lr-small" NanoT5LearningRate="1e-3" />
            <NanoT5SweepRun Include="two-sources" NanoT5TrainSources="builtin:dotnet-docs;extra/*.txt" NanoT5BatchSize="64" NanoT5ValidationSources="held-out/*.txt" />
            <NanoT5SweepRun Include="broken" NanoT5RunArguments="--config missing.json" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void A_sweep_runs_every_item_in_turn_and_ends_with_one_table()
    {
        using var folder = ExperimentFolder.InRepo(Project);

        BuildResult result = Dotnet.Build(folder.ProjectFile, "Sweep").ShouldFail();

        string[] lines = result.Output.Split('\n').Select(l => l.Trim()).ToArray();
        int header = Array.IndexOf(lines, "NanoT5 sweep of exp.t5proj: 3 run(s), 2 succeeded, 1 failed");
        Assert.True(header >= 0, result.ToString());
        Assert.StartsWith("run          overrides", lines[header + 1], StringComparison.Ordinal);
        Assert.Matches(@"^lr-small\s+LearningRate=1e-3\s+ok\s+\dm \d\ds\s+" + System.Text.RegularExpressions.Regex.Escape(Path.Combine(folder.Path, "runs", "exp-lr-small")) + "$", lines[header + 3]);
        // Own files beside the built-in corpus need held-out files of their own (NT2020).
        Assert.Matches(@"^two-sources\s+TrainSources=builtin:dotnet-docs;extra/\*\.txt ValidationSources=held-out/\*\.txt BatchSize=64\s+ok\s", lines[header + 4]);
        Assert.Matches(@"^broken\s+RunArguments=--config missing.json\s+exit 2\s", lines[header + 5]);
        // Each run launched its own config (they share one obj folder, one after another).
        Assert.Equal(["exp-lr-small", "exp-two-sources"], lines.Where(l => l.StartsWith("\"name\": \"exp", StringComparison.Ordinal)).Select(l => l.Split('"')[3]));
        Assert.Equal(["0.001", "0.02"], lines.Where(l => l.StartsWith("\"base_lr\"", StringComparison.Ordinal)).Select(l => l.Split(' ')[1].TrimEnd(',')));
        Assert.Contains(Path.Combine(folder.Path, "extra", "*.txt"), result.Output, StringComparison.Ordinal);
        Assert.Equal("1 of 3 sweep run(s) failed: broken (exit 2).", result.Single("NT4003").Message);
        Assert.Equal(lines[header..(header + 6)], File.ReadAllLines(Path.Combine(folder.Path, "runs", "exp-sweep.txt")).Select(l => l.Trim()));
    }

    [Fact]
    public void A_sweep_stops_before_any_run_when_one_run_is_invalid()
    {
        using var folder = ExperimentFolder.InRepo(Project.Replace("NanoT5BatchSize=\"64\"", "NanoT5BatchSize=\"sixty\"", StringComparison.Ordinal));

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Sweep").ShouldFail();

        LoggedDiagnostic d = result.Single("NT1001");
        Assert.Equal((folder.ProjectFile, folder.LineOf("two-sources")), (d.File, d.Line));
        Assert.DoesNotContain("NanoT5 sweep of", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("show-config", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_items_are_checked_before_anything_runs()
    {
        using var folder = ExperimentFolder.InRepo(Project.Replace("NanoT5LearningRate=\"1e-3\"", "NanoT5LearningRat=\"1e-3\"", StringComparison.Ordinal).Replace("Include=\"broken\"", "Include=\"lr-small\"", StringComparison.Ordinal));

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Sweep").ShouldFail();

        Assert.Equal(folder.LineOf("NanoT5LearningRat="), result.Single("NT4004").Line);
        Assert.Contains("did you mean NanoT5LearningRate?", result.Single("NT4004").Message, StringComparison.Ordinal);
        Assert.Equal(folder.LineOf("--config missing.json"), result.Single("NT4005").Line);

        using var empty = ExperimentFolder.InRepo("<Project Sdk=\"NanoT5.Sdk\" />");
        Assert.Equal((empty.ProjectFile, 0), (Dotnet.MSBuild(empty.ProjectFile, "Sweep").Single("NT4002").File, Dotnet.MSBuild(empty.ProjectFile, "Sweep").Single("NT4002").Line));
    }
}
