// A run folder keeps its experiment: a resume with other hyperparameters is refused with a short message naming
// them, settings that do not change the trained model may differ, total_steps may grow, resume=false starts over.
using NanoT5.Config;
using NanoT5.Data.Pipeline;
using NanoT5.Distributed;
using NanoT5.Runs;
using NanoT5.Tests.FaultTolerance;

namespace NanoT5.Tests.Runs;

public sealed class RunIdentityTests
{
    /// <summary>The run folder's config of these tests (and of ResumePolicyTests).</summary>
    internal static readonly ExperimentConfig Saved = new()
    {
        Name = "default",
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
        Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] },
        Optim = new OptimizerSettings { TotalSteps = 600 },
    };

    [Fact]
    public void Compare_names_batch_size_learning_rate_and_optimizer_with_old_and_new_values()
    {
        ExperimentConfig now = Saved with { Optim = Saved.Optim with { BaseLr = 1e-2, BatchSize = 64, Name = OptimizerKind.AdamW } };

        Assert.Equal(
            [new SettingChange("optim.base_lr", "0.02", "0.01"), new SettingChange("optim.batch_size", "128", "64"), new SettingChange("optim.name", "adamwscale", "adamw")],
            RunIdentity.Compare(Saved, now));
    }

    [Fact]
    public void Compare_allows_where_it_runs_what_it_logs_and_a_longer_run_but_not_a_shorter_one()
    {
        ExperimentConfig allowed = Saved with
        {
            Device = "cuda", Threads = 2, RunDirectory = "elsewhere",
            Eval = new EvaluationSettings { EverySteps = 5, Steps = 3, AtStart = true },
            Logging = new LoggingSettings { EverySteps = 1 },
            Checkpoint = new CheckpointSettings { EverySteps = 7, KeepLast = 1 },
            Tracker = new TrackerSettings { Kind = TrackerKind.MLflow, Url = "http://127.0.0.1:5000" },
            Data = Saved.Data with { Workers = 3, TrainSources = ["/moved/data.jsonl"] },
            Optim = Saved.Optim with { TotalSteps = 1200 },
        };

        Assert.Empty(RunIdentity.Compare(Saved, allowed));
        Assert.Equal([new SettingChange("optim.total_steps", "600", "300")], RunIdentity.Compare(Saved, Saved with { Optim = Saved.Optim with { TotalSteps = 300 } }));
    }

    [Fact]
    public void Refusal_stays_short_with_many_long_changes_and_points_at_the_full_list()
    {
        SettingChange[] changes = [.. Enumerable.Range(0, 40).Select(i => new SettingChange($"data.setting_{i}", new string('a', 5000), new string('b', 5000)))];

        string message = RunIdentity.Refusal(Saved, 600, changes, "/runs/default/resume-refused.txt");

        Assert.True(message.Length < 1000, message);
        Assert.Contains("and 36 more (all in /runs/default/resume-refused.txt)", message, StringComparison.Ordinal);
        Assert.Contains("-p:NanoT5Name=default-2", message, StringComparison.Ordinal);
        Assert.Contains("NanoT5Resume=false", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_start_in_a_folder_without_a_checkpoint_is_refused_when_its_model_differs_and_allowed_with_the_same_model()
    {
        using var temp = TestPaths.NewTempFolder();
        ExperimentConfig first = Saved with { RunDirectory = temp.File("runs/default"), Model = new ModelSettings { InitFrom = temp.File("models/a") } };
        ExperimentConfigJson.Save(first, temp.File("runs/default/config.resolved.json"));
        var store = new NanoT5.Checkpoints.TrainingCheckpointStore(first.RunDirectory, 3);
        ExperimentConfig other = first with { Model = first.Model with { InitFrom = temp.File("models/b") }, Optim = first.Optim with { BaseLr = 1e-3 } };

        var refused = Assert.Throws<InvalidDataException>(() => RunParts.FindResumePoint(other, store, SingleProcess.Instance, TextWriter.Null));

        Assert.StartsWith($"{first.RunDirectory} holds run 'default' (started before, no checkpoint yet) with another model: model.init_from ", refused.Message, StringComparison.Ordinal);
        Assert.Equal($"model.init_from: {temp.File("models/a")} -> {temp.File("models/b")}\n", File.ReadAllText(Path.Combine(first.RunDirectory, RunIdentity.RefusalFile)));
        Assert.Contains("NanoT5Resume=false", refused.Message, StringComparison.Ordinal);
        // Without a checkpoint nothing resumes: other settings may change (a crash before the first checkpoint, a smaller batch).
        Assert.Null(RunParts.FindResumePoint(first with { Optim = first.Optim with { BaseLr = 1e-3 } }, store, SingleProcess.Instance, TextWriter.Null));
        Assert.Null(RunParts.FindResumePoint(other with { Checkpoint = other.Checkpoint with { Resume = false } }, store, SingleProcess.Instance, TextWriter.Null));
    }

    [Fact]
    public void SetupDifference_names_the_changed_data_settings_and_the_first_changed_shard()
    {
        string saved = "shards=3 [jsonl:a.jsonl,jsonl:b.jsonl,jsonl:c.jsonl] tokenizer_count=1100 input_length=32 seed=2137 eos_after_document=False";
        string now = "shards=4 [jsonl:a.jsonl,jsonl:x.jsonl,jsonl:c.jsonl,jsonl:d.jsonl] tokenizer_count=1100 input_length=64 seed=7 eos_after_document=False";

        Assert.Equal(
            ["shards 3 -> 4 files (first difference: #2 jsonl:b.jsonl -> jsonl:x.jsonl)", "input_length 32 -> 64", "seed 2137 -> 7"],
            SetupDifference.Of(saved, now));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_finished_run_resumed_with_another_learning_rate_is_refused_and_resume_false_starts_it_over()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 } });
        Assert.Equal(0, RuntimeProcess.Run(run.Pretrain).ExitCode);
        string changed = Path.Combine(run.Folder, "changed.json");
        ExperimentConfigJson.Save(run.Config with { Optim = run.Config.Optim with { BaseLr = 5e-3, TotalSteps = 4 } }, changed);

        (int exit, string output) = RuntimeProcess.Run(["pretrain", "--config", changed]);

        Assert.Equal(2, exit);
        string error = Assert.Single(output.Split('\n'), l => l.Contains("trained with other settings", StringComparison.Ordinal));
        Assert.Contains("optim.base_lr 0.01 -> 0.005", error, StringComparison.Ordinal);
        Assert.True(error.Length < 800, error);
        Assert.Equal("optim.base_lr: 0.01 -> 0.005\n", File.ReadAllText(Path.Combine(run.RunDirectory, RunIdentity.RefusalFile)));
        Assert.Equal([2L, 4L], run.CheckpointSteps());

        ExperimentConfigJson.Save(run.Config with { Optim = run.Config.Optim with { BaseLr = 5e-3, TotalSteps = 4 }, Checkpoint = run.Config.Checkpoint with { Resume = false } }, changed);
        (exit, output) = RuntimeProcess.Run(["pretrain", "--config", changed]);

        Assert.True(exit == 0, output);
        Assert.Contains("starting " + run.RunDirectory + " over", output, StringComparison.Ordinal);
        Assert.Equal([2L, 4L], run.CheckpointSteps());
        Assert.Equal([1L, 2L, 3L, 4L], run.Losses().Keys);
        Assert.Contains("\"base_lr\": 0.005", File.ReadAllText(Path.Combine(run.RunDirectory, "config.resolved.json")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.RunDirectory, RunIdentity.RefusalFile)));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_run_extended_with_more_steps_and_other_logging_resumes()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 } });
        Assert.Equal(0, RuntimeProcess.Run(run.Pretrain).ExitCode);
        string longer = Path.Combine(run.Folder, "longer.json");
        ExperimentConfigJson.Save(run.Config with { Optim = run.Config.Optim with { TotalSteps = 6 }, Logging = run.Config.Logging with { EverySteps = 2 } }, longer);

        (int exit, string output) = RuntimeProcess.Run(["pretrain", "--config", longer]);

        Assert.True(exit == 0, output);
        Assert.Contains("resuming from step 4", output, StringComparison.Ordinal);
        Assert.Equal(6L, run.CheckpointSteps().Max());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_resume_after_the_training_file_changed_in_place_or_the_tokenizer_changed_is_refused_like_a_changed_setting()
    {
        using var temp = TestPaths.NewTempFolder();
        string data = temp.File("train.jsonl");
        string words = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"word{i % 17} the of and"));
        File.WriteAllLines(data, Enumerable.Range(0, 200).Select(i => $"{{\"text\": \"document {i}: {words}\"}}"));
        string tokenizer = temp.File("spiece.model");
        File.Copy(TestPaths.Tokenizer("t5-unigram-1k.model"), tokenizer);
        using var run = new FaultRun(c => c with
        {
            Data = c.Data with { TrainSources = [data], ValidationSources = [data] },
            Tokenizer = c.Tokenizer with { Path = tokenizer },
            Optim = c.Optim with { TotalSteps = 4 },
        });
        (int first, string firstOutput) = RuntimeProcess.Run(run.Pretrain);
        Assert.True(first == 0, firstOutput);
        string longer = Path.Combine(run.Folder, "longer.json");
        ExperimentConfigJson.Save(run.Config with { Optim = run.Config.Optim with { TotalSteps = 6 } }, longer);
        byte[] original = File.ReadAllBytes(data);
        byte[] edited = (byte[])original.Clone();
        edited[^10] = (byte)'X';
        File.WriteAllBytes(data, edited);

        (int exit, string output) = RuntimeProcess.Run(["pretrain", "--config", longer]);

        Assert.True(exit == 2, output);
        Assert.Contains("data.train_sources file train.jsonl", output, StringComparison.Ordinal);
        Assert.Contains("-p:NanoT5Name=fault-2", output, StringComparison.Ordinal);
        Assert.Contains("NanoT5Resume=false", output, StringComparison.Ordinal);

        // The same bytes back (a new time, same path): still refused; the tokenizer changed: refused naming it.
        File.WriteAllBytes(data, original);
        byte[] model = File.ReadAllBytes(tokenizer);
        int piece = Array.IndexOf(model, (byte)'s', 200);
        model[piece] = (byte)'z';
        File.WriteAllBytes(tokenizer, model);

        (exit, output) = RuntimeProcess.Run(["pretrain", "--config", longer]);

        Assert.True(exit == 2, output);
        Assert.Contains("tokenizer.path file spiece.model", output, StringComparison.Ordinal);
        Assert.Equal([2L, 4L], run.CheckpointSteps());
    }
}
