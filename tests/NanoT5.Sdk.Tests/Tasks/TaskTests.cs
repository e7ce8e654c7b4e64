// The MSBuild task classes run in process: what they log (code, file, line, help link) and what they write.
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using NanoT5.Sdk.Tasks;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Tasks;

public sealed class TaskTests
{
    [Fact]
    public void ValidateExperiment_logs_each_problem_with_its_code_file_line_and_help_link()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project Sdk=\"NanoT5.Sdk\">\n  <PropertyGroup>\n    <NanoT5Optimizer>sgd</NanoT5Optimizer>\n    <NanoT5Sed>1</NanoT5Sed>\n  </PropertyGroup>\n</Project>\n");
        var engine = new FakeBuildEngine();
        var task = new ValidateExperiment
        {
            BuildEngine = engine,
            ProjectFile = folder.ProjectFile,
            HelpFile = Repo.Path("docs", "diagnostics.md"),
            Settings = [Setting("NanoT5Optimizer", "sgd"), Setting("NanoT5TrainSources", "builtin:dotnet-docs"), Setting("NanoT5Tokenizer", "gpt2")],
        };

        Assert.False(task.Execute());

        BuildErrorEventArgs error = engine.Errors[0];
        Assert.Equal(("NT1004", folder.ProjectFile, 3, 6), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        Assert.Equal(new Uri(Repo.Path("docs", "diagnostics.md")).AbsoluteUri + "#nt1004", error.HelpLink);
        Assert.Equal([("NT1004", 3), ("NT3003", 4)], engine.Errors.Select(e => (e.Code, e.LineNumber)));
    }

    [Fact]
    public void ValidateExperiment_reads_p_properties_from_the_build_engine()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project Sdk=\"NanoT5.Sdk\" />");
        var engine = new FakeBuildEngine(new Dictionary<string, string> { ["NanoT5Device"] = "tpu" });
        var task = new ValidateExperiment
        {
            BuildEngine = engine,
            ProjectFile = folder.ProjectFile,
            Settings = [Setting("NanoT5Device", "tpu"), Setting("NanoT5TrainSources", "builtin:dotnet-docs"), Setting("NanoT5Tokenizer", "gpt2")],
        };

        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(("NT1006", 0), (error.Code, error.LineNumber));
        Assert.Contains("was set with -p: on the command line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateExperiment_rewrites_its_files_only_when_the_config_changes()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project Sdk=\"NanoT5.Sdk\" />");
        string config = Path.Combine(folder.Path, "obj", "Experiment.g.cs");
        string program = Path.Combine(folder.Path, "obj", "ExperimentProgram.g.cs");
        GenerateExperiment Task(string lr) => new()
        {
            BuildEngine = new FakeBuildEngine(),
            ProjectFile = folder.ProjectFile,
            RootNamespace = "my-exp",
            ConfigFile = config,
            ProgramFile = program,
            Settings = [Setting("NanoT5LearningRate", lr)],
        };

        GenerateExperiment first = Task("1e-3");
        Assert.True(first.Execute());
        Assert.Equal([config, program], first.GeneratedFiles.Select(f => f.ItemSpec));
        File.SetLastWriteTimeUtc(config, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.True(Task("1e-3").Execute());
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(config));

        Assert.True(Task("2e-3").Execute());
        Assert.NotEqual(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(config));
        Assert.Contains("BaseLr = 0.002,", File.ReadAllText(config), StringComparison.Ordinal);
        Assert.Contains("namespace my_exp;", File.ReadAllText(program), StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateExperiment_refuses_settings_that_do_not_validate()
    {
        var engine = new FakeBuildEngine();
        var task = new GenerateExperiment { BuildEngine = engine, ProjectFile = "/x/exp.t5proj", ConfigFile = "/x/obj/c.g.cs", Settings = [Setting("NanoT5Seed", "one")] };

        Assert.False(task.Execute());
        Assert.Single(engine.Errors);
    }

    [Fact]
    public void PlanSweep_escapes_lists_and_names_each_run_after_the_experiment()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project />");
        var run = new TaskItem("two-files");
        run.SetMetadata("NanoT5TrainSources", "a.txt;b.txt");
        run.SetMetadata("nanot5batchsize", "8");
        var task = new PlanSweep { BuildEngine = new FakeBuildEngine(), ProjectFile = folder.ProjectFile, BaseName = "exp", Runs = [run] };

        Assert.True(task.Execute());

        ITaskItem project = Assert.Single(task.Projects);
        Assert.Equal(folder.ProjectFile, project.ItemSpec);
        // MSBuild reads the escaped form: the list's ; stays inside one property.
        Assert.Equal("NanoT5TrainSources=a.txt%3Bb.txt;NanoT5BatchSize=8;NanoT5Name=exp-two-files;_NanoT5SweepRun=two-files", ((ITaskItem2)project).GetMetadataValueEscaped("AdditionalProperties"));
        Assert.Equal("TrainSources=a.txt;b.txt BatchSize=8", project.GetMetadata("Overrides"));
    }

    [Fact]
    public void PlanSweep_refuses_an_empty_sweep_unknown_metadata_and_duplicate_names()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project>\n  <ItemGroup>\n    <NanoT5SweepRun Include=\"a\" NanoT5LearnigRate=\"1\" />\n    <NanoT5SweepRun Include=\"a\" />\n  </ItemGroup>\n</Project>\n");
        var empty = new FakeBuildEngine();
        Assert.False(new PlanSweep { BuildEngine = empty, ProjectFile = folder.ProjectFile, BaseName = "exp" }.Execute());
        Assert.Equal("NT4002", Assert.Single(empty.Errors).Code);

        var typo = new TaskItem("a");
        typo.SetMetadata("NanoT5LearnigRate", "1");
        var engine = new FakeBuildEngine();
        Assert.False(new PlanSweep { BuildEngine = engine, ProjectFile = folder.ProjectFile, BaseName = "exp", Runs = [typo, new TaskItem("a")] }.Execute());

        Assert.Equal([("NT4004", 3), ("NT4005", 4)], engine.Errors.Select(e => (e.Code, e.LineNumber)));
        Assert.Equal("NanoT5SweepRun 'a' cannot set NanoT5LearnigRate: NanoT5LearnigRate is not a NanoT5 setting; did you mean NanoT5LearningRate?", engine.Errors[0].Message);
    }

    [Fact]
    public void SummarizeSweep_prints_one_row_per_run_and_fails_when_a_run_failed()
    {
        using var folder = ExperimentFolder.Outside();
        ITaskItem Planned(string name, string overrides)
        {
            var item = new TaskItem(folder.ProjectFile);
            item.SetMetadata("SweepRun", name);
            item.SetMetadata("Overrides", overrides);
            return item;
        }

        var ok = new TaskItem("lr-1");
        ok.SetMetadata("ExitCode", "0");
        ok.SetMetadata("Seconds", "75.4");
        ok.SetMetadata("RunDirectory", "/runs/exp-lr-1");
        var failed = new TaskItem("lr-2");
        failed.SetMetadata("ExitCode", "2");
        failed.SetMetadata("Seconds", "1");
        failed.SetMetadata("RunDirectory", "/runs/exp-lr-2");
        var engine = new FakeBuildEngine();
        string summary = Path.Combine(folder.Path, "runs", "sweep.txt");
        var task = new SummarizeSweep
        {
            BuildEngine = engine,
            ProjectFile = folder.ProjectFile,
            Planned = [Planned("lr-1", "LearningRate=1"), Planned("lr-2", "LearningRate=2"), Planned("lr-3", "LearningRate=3")],
            Results = [ok, failed],
            SummaryFile = summary,
        };

        Assert.False(task.Execute());

        string[] table = File.ReadAllLines(summary);
        Assert.Equal("NanoT5 sweep of exp.t5proj: 3 run(s), 1 succeeded, 2 failed", table[0]);
        Assert.Equal("run   overrides       result        time    run folder", table[1]);
        Assert.Equal("lr-1  LearningRate=1  ok            1m 15s  /runs/exp-lr-1", table[3]);
        Assert.Equal("lr-2  LearningRate=2  exit 2        0m 01s  /runs/exp-lr-2", table[4]);
        Assert.Equal("lr-3  LearningRate=3  build failed  -       -", table[5]);
        Assert.Equal("NT4003", Assert.Single(engine.Errors).Code);
        Assert.Equal("2 of 3 sweep run(s) failed: lr-2 (exit 2), lr-3 (build failed).", engine.Errors[0].Message);
    }

    private static TaskItem Setting(string name, string value)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Value", value);
        return item;
    }
}
