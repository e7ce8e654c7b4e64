// NT2xxx: rules across properties, placed at the first property of the rule that the project set.
using NanoT5.Sdk.Diagnostics;

namespace NanoT5.Sdk.Tests.Validation;

public sealed class CrossFieldRuleTests
{
    [Fact]
    public void A_batch_that_grad_acc_does_not_divide_is_NT2001_with_sizes_that_work()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5BatchSize", "130"), ("NanoT5GradAcc", "4"))));

        Assert.Equal("NT2001", d.Descriptor.Code);
        Assert.Equal("NanoT5BatchSize (130) must be divisible by NanoT5GradAcc (4): each optimizer step splits the batch into equal micro-batches (e.g. NanoT5BatchSize 128 or 132).", d.Message);
        Assert.Equal(Validating.LineOf(2), d.Line);
    }

    [Fact]
    public void Grad_acc_alone_against_the_default_batch_points_at_grad_acc()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5GradAcc", "3"))));

        Assert.Equal("NT2001", d.Descriptor.Code);
        Assert.Equal(Validating.LineOf(2), d.Line);
    }

    [Fact]
    public void Warm_up_as_long_as_the_run_is_NT2002_for_cosine_only()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5TotalSteps", "1000"), ("NanoT5WarmupSteps", "1000"))));
        Assert.Equal("NT2002", d.Descriptor.Code);
        Assert.Equal("NanoT5WarmupSteps (1000) must be below NanoT5TotalSteps (1000) for the cosine schedule.", d.Message);
        Assert.Equal(Validating.LineOf(3), d.Line);

        Assert.Empty(v.Run(Validating.Valid(("NanoT5TotalSteps", "1000"), ("NanoT5WarmupSteps", "1000"), ("NanoT5Schedule", "constant"))));
    }

    [Fact]
    public void Bf16_on_the_cpu_is_NT2003()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5Precision", "bf16"))));

        Assert.Equal("NT2003", d.Descriptor.Code);
        Assert.Equal("NanoT5Precision bf16 needs a CUDA device (NanoT5Device is 'cpu'): use fp32 on cpu, or NanoT5Device cuda.", d.Message);
        Assert.Empty(v.Run(Validating.Valid(("NanoT5Precision", "bf16"), ("NanoT5Device", "cuda:0"))));
    }

    [Fact]
    public void An_input_length_span_corruption_cannot_fill_exactly_is_NT2004_with_a_length_that_works()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5InputLength", "9"))));

        Assert.Equal("NT2004", d.Descriptor.Code);
        Assert.Equal(
            "NanoT5InputLength 9 with NanoT5NoiseDensity 0.15 and NanoT5MeanNoiseSpanLength 3: span corruption cannot make rows of exactly 9 tokens " +
            "(T5's arithmetic gives 10 input and 3 target tokens from 9); choose another length (e.g. NanoT5InputLength 10).",
            d.Message);
        Assert.Equal(Validating.LineOf(2), d.Line);
    }

    [Fact]
    public void A_mean_span_length_of_one_can_never_be_satisfied()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5MeanNoiseSpanLength", "1"))));

        Assert.Equal("NT2004", d.Descriptor.Code);
        Assert.EndsWith("choose another length (e.g. a NanoT5MeanNoiseSpanLength above 1).", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_noise_spans_than_sentinels_is_NT2011()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5InputLength", "2048"))));

        Assert.Equal("NT2011", d.Descriptor.Code);
        Assert.StartsWith("NanoT5InputLength 2048 with NanoT5NoiseDensity 0.15 and NanoT5MeanNoiseSpanLength 3: 114 noise spans per row need more than the tokenizer's 100 sentinels; use NanoT5InputLength ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fine_tuning_without_a_task_folder_is_NT2005_and_pretraining_data_is_not_needed()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run([("NanoT5Tokenizer", "gpt2"), ("NanoT5Mode", "finetune")]));

        Assert.Equal("NT2005", d.Descriptor.Code);
        Assert.Equal("Mode finetune needs NanoT5FinetuneData: a Super-Natural Instructions folder (with splits/ and tasks/) or builtin:demo.", d.Message);
        Assert.Equal(Validating.LineOf(1), d.Line);
    }

    [Fact]
    public void A_launch_targets_mode_decides_what_is_required()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(), mode: "predict"));

        Assert.Equal("NT2005", d.Descriptor.Code);
        Assert.Equal(0, d.Line);
    }

    [Fact]
    public void SentencePiece_without_a_model_file_is_NT2006()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run([("NanoT5TrainSources", "builtin:dotnet-docs")]));

        Assert.Equal("NT2006", d.Descriptor.Code);
        Assert.Equal("NanoT5Tokenizer sentencepiece needs NanoT5TokenizerPath (the spiece.model file), or use NanoT5Tokenizer gpt2.", d.Message);
        Assert.Equal(0, d.Line);
    }

    [Fact]
    public void MLflow_without_a_URL_is_NT2007_at_the_tracker_line()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5Tracker", "mlflow"))));

        Assert.Equal("NT2007", d.Descriptor.Code);
        Assert.Equal("NanoT5Tracker mlflow needs NanoT5TrackerUrl (e.g. http://127.0.0.1:5000).", d.Message);
        Assert.Equal(Validating.LineOf(2), d.Line);
    }

    [Fact]
    public void Pretraining_without_data_is_NT2008()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run([("NanoT5Tokenizer", "gpt2")]));

        Assert.Equal("NT2008", d.Descriptor.Code);
        Assert.Equal("Pretraining needs NanoT5TrainSources: files, globs, http(s) URLs or builtin:dotnet-docs, separated by ;.", d.Message);
    }

    [Fact]
    public void Pretraining_on_an_own_corpus_without_validation_sources_is_NT2020_and_builtin_data_needs_none()
    {
        using var v = new Validating();
        File.WriteAllText(Path.Combine(v.Folder, "train.txt"), "one line\n");
        ProjectDiagnostic d = Assert.Single(v.Run([("NanoT5Tokenizer", "gpt2"), ("NanoT5TrainSources", "train.txt")]));

        Assert.Equal(("NT2020", Severity.Error), (d.Descriptor.Code, d.Descriptor.Severity));
        Assert.Equal(
            "NanoT5TrainSources is your own corpus, so evaluation has no validation split: set NanoT5ValidationSources to held-out files, globs or URLs (only builtin:dotnet-docs brings its own).",
            d.Message);
        Assert.Empty(v.Run([("NanoT5Tokenizer", "gpt2"), ("NanoT5TrainSources", "train.txt"), ("NanoT5ValidationSources", "train.txt")]));
        Assert.Empty(v.Run([("NanoT5Tokenizer", "gpt2"), ("NanoT5TrainSources", "builtin:dotnet-docs")]));
    }

    [Fact]
    public void A_model_config_beside_a_preset_is_warning_NT2009()
    {
        using var v = new Validating();
        File.WriteAllText(Path.Combine(v.Folder, "config.json"), "{}");
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5ModelPreset", "tiny"), ("NanoT5ModelConfig", "config.json"))));

        Assert.Equal("NT2009", d.Descriptor.Code);
        Assert.Equal(Severity.Warning, d.Descriptor.Severity);
        Assert.Equal("NanoT5ModelConfig overrides NanoT5ModelPreset ('tiny' is not used); remove one of them.", d.Message);
    }

    [Fact]
    public void Zero_steps_and_zero_epochs_is_NT2010()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5TotalSteps", "0"))));

        Assert.Equal("NT2010", d.Descriptor.Code);
        Assert.Equal("NanoT5TotalSteps is 0 and NanoT5Epochs is 0: set NanoT5TotalSteps (optimizer steps) or NanoT5Epochs (passes over the data) to a positive integer.", d.Message);
        Assert.Empty(v.Run(Validating.Valid(("NanoT5TotalSteps", "0"), ("NanoT5Epochs", "1"))));
    }

    [Fact]
    public void A_tokenizer_path_with_GPT2_is_warning_NT2012()
    {
        using var v = new Validating();
        File.WriteAllText(Path.Combine(v.Folder, "spiece.model"), "x");
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5TokenizerPath", "spiece.model"))));

        Assert.Equal("NT2012", d.Descriptor.Code);
        Assert.Equal(Severity.Warning, d.Descriptor.Severity);
    }

    [Fact]
    public void A_learning_rate_with_the_legacy_schedule_is_warning_NT2013()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5Schedule", "legacy"), ("NanoT5LearningRate", "1e-2"))));

        Assert.Equal("NT2013", d.Descriptor.Code);
        Assert.Equal(Validating.LineOf(3), d.Line);
        Assert.Empty(v.Run(Validating.Valid(("NanoT5Schedule", "legacy"))));
    }

    [Fact]
    public void More_processes_than_rows_of_a_micro_batch_is_NT2014()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5BatchSize", "8"), ("NanoT5GradAcc", "2"), ("NanoT5Processes", "5"))));

        Assert.Equal("NT2014", d.Descriptor.Code);
        Assert.Equal(
            "NanoT5Processes (5) is above the rows of one micro-batch (NanoT5BatchSize 8 / NanoT5GradAcc 2 = 4): each process trains on its share of every micro-batch's rows, so every process needs at least one. Lower NanoT5Processes or NanoT5GradAcc, or raise NanoT5BatchSize.",
            d.Message);
        Assert.Empty(v.Run(Validating.Valid(("NanoT5BatchSize", "8"), ("NanoT5GradAcc", "2"), ("NanoT5Processes", "4"))));
    }

    [Fact]
    public void A_rule_is_skipped_while_one_of_its_inputs_is_unreadable()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5BatchSize", "lots"), ("NanoT5GradAcc", "3"))));

        Assert.Equal("NT1001", d.Descriptor.Code);
    }
}
