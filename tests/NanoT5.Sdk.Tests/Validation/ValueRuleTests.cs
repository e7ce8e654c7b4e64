// NT1xxx: one property's value, with the message naming the property and the allowed values, at its line.
using NanoT5.Sdk.Diagnostics;

namespace NanoT5.Sdk.Tests.Validation;

public sealed class ValueRuleTests
{
    [Theory]
    [InlineData("NanoT5BatchSize", "abc", "NT1001", "NanoT5BatchSize must be an integer >= 1 (got 'abc').")]
    [InlineData("NanoT5LearningRate", "fast", "NT1002", "NanoT5LearningRate must be a number > 0 (got 'fast').")]
    [InlineData("NanoT5Resume", "maybe", "NT1003", "NanoT5Resume must be true or false (got 'maybe').")]
    [InlineData("NanoT5Optimizer", "adam", "NT1004", "NanoT5Optimizer must be one of: adamwscale, adafactor, adamw (got 'adam').")]
    [InlineData("NanoT5ModelPreset", "t5-base", "NT1004", "NanoT5ModelPreset must be one of: t5-v1_1-small, t5-v1_1-base, t5-v1_1-large, t5-v1_1-xl, t5-v1_1-xxl, tiny, mini (got 't5-base').")]
    [InlineData("NanoT5NoiseDensity", "1.5", "NT1005", "NanoT5NoiseDensity must be a number in (0, 1) (got '1.5').")]
    [InlineData("NanoT5Dropout", "1", "NT1005", "NanoT5Dropout must be a number in [0, 1) (got '1').")]
    [InlineData("NanoT5InputLength", "4", "NT1005", "NanoT5InputLength must be an integer >= 8 (got '4').")]
    [InlineData("NanoT5Device", "gpu", "NT1006", "NanoT5Device must be cpu, cuda or cuda:N (got 'gpu').")]
    [InlineData("NanoT5TrackerUrl", "ftp://tracker", "NT1007", "NanoT5TrackerUrl must be an absolute http:// or https:// URL (got 'ftp://tracker').")]
    [InlineData("NanoT5Name", "a/b", "NT1010", "NanoT5Name must be a name usable as a folder name (no / or \\, not . or .., at most 255 UTF-8 bytes) (got 'a/b').")]
    [InlineData("NanoT5TrackerTags", "team", "NT1011", "NanoT5TrackerTags must be key=value pairs separated by ; (got 'team').")]
    [InlineData("NanoT5TrackerTokenVariable", "1TOKEN", "NT1012", "NanoT5TrackerTokenVariable must be an environment variable name (letters, digits and _, not starting with a digit) (got '1TOKEN').")]
    [InlineData("NanoT5TrainSources", "builtin:dotnet-docs;builtin:wiki", "NT1013", "NanoT5TrainSources: 'builtin:wiki' is not a builtin corpus (known: builtin:dotnet-docs).")]
    [InlineData("NanoT5FinetuneData", "builtin:dotnet-docs", "NT1013", "NanoT5FinetuneData: 'builtin:dotnet-docs' is not a builtin corpus (known: builtin:demo).")]
    public void A_bad_value_is_reported_with_its_code_and_the_allowed_values_at_its_line(string property, string value, string code, string message)
    {
        using var validating = new Validating();
        var diagnostics = validating.Run(Validating.Valid((property, value)));

        ProjectDiagnostic d = Assert.Single(diagnostics);
        Assert.Equal(code, d.Descriptor.Code);
        Assert.Equal(message, d.Message);
        Assert.Equal(validating.ProjectFile, d.File);
        Assert.Equal(Validating.LineOf(Validating.Valid().Length), d.Line);
    }

    [Fact]
    public void A_name_longer_than_a_folder_name_may_be_is_refused_at_validation_not_at_run_time()
    {
        // 128 two-byte characters: 256 bytes, one more than NAME_MAX; 255 bytes pass.
        using var validating = new Validating();
        string tooLong = new('é', 128);

        ProjectDiagnostic d = Assert.Single(validating.Run(Validating.Valid(("NanoT5Name", tooLong))));

        Assert.Equal("NT1010", d.Descriptor.Code);
        Assert.Contains("at most 255 UTF-8 bytes", d.Message, StringComparison.Ordinal);
        Assert.Empty(validating.Run(Validating.Valid(("NanoT5Name", new string('é', 127) + "x"))));
    }

    [Fact]
    public void Values_are_read_the_way_nanoT5_writes_them()
    {
        using var validating = new Validating();
        Assert.Empty(validating.Run(Validating.Valid(
            ("NanoT5LearningRate", "2e-2"), ("NanoT5Optimizer", "AdamWScale"), ("NanoT5Device", "cuda:1"), ("NanoT5Precision", "bf16"),
            ("NanoT5Resume", "False"), ("NanoT5TrackerTags", "team=nlp; size = base"), ("NanoT5Seed", "-1"))));
    }

    [Fact]
    public void A_missing_tokenizer_file_is_an_error_naming_the_resolved_path()
    {
        using var validating = new Validating();
        var diagnostics = validating.Run([("NanoT5TrainSources", "builtin:dotnet-docs"), ("NanoT5TokenizerPath", "t5/spiece.model")]);

        ProjectDiagnostic d = Assert.Single(diagnostics);
        Assert.Equal("NT1008", d.Descriptor.Code);
        Assert.Equal($"NanoT5TokenizerPath: '{Path.Combine(validating.Folder, "t5", "spiece.model")}' does not exist (relative paths are relative to the project folder).", d.Message);
        Assert.Equal(Validating.LineOf(1), d.Line);
    }

    [Fact]
    public void Missing_training_files_are_errors_but_globs_and_urls_are_not_checked()
    {
        using var validating = new Validating();
        var diagnostics = validating.Run(Validating.Valid(("NanoT5TrainSources", "c4/*.json.gz;https://example.org/c4.json.gz;missing.jsonl"), ("NanoT5ValidationSources", "https://example.org/c4-validation.json.gz")));

        ProjectDiagnostic d = Assert.Single(diagnostics);
        Assert.Equal("NT1008", d.Descriptor.Code);
        Assert.Contains("missing.jsonl", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_that_does_not_exist_yet_is_only_a_warning()
    {
        using var validating = new Validating();
        ProjectDiagnostic d = Assert.Single(validating.Run(Validating.Valid(("NanoT5InitFrom", "runs/pretrain"))));

        Assert.Equal("NT1009", d.Descriptor.Code);
        Assert.Equal(Severity.Warning, d.Descriptor.Severity);
        Assert.Equal($"NanoT5InitFrom: '{Path.Combine(validating.Folder, "runs", "pretrain")}' does not exist yet; the run fails unless an earlier run creates it.", d.Message);
    }

    [Fact]
    public void A_value_set_with_p_is_reported_at_the_project_file_and_says_there_is_no_line()
    {
        using var validating = new Validating();
        var globals = new Dictionary<string, string> { ["NanoT5BatchSize"] = "-3" };
        ProjectDiagnostic d = Assert.Single(validating.Run(Validating.Valid(("NanoT5BatchSize", "128")), globals: globals));

        Assert.Equal("NT1005", d.Descriptor.Code);
        Assert.Equal(0, d.Line);
        Assert.Equal("NanoT5BatchSize must be an integer >= 1 (got '-3'). (NanoT5BatchSize was set with -p: on the command line, so there is no line to point at.)", d.Message);
    }

    [Fact]
    public void A_value_from_the_environment_says_so()
    {
        using var validating = new Validating();
        var environment = new Dictionary<string, string> { ["NanoT5Threads"] = "-1" };
        ProjectDiagnostic d = Assert.Single(validating.Run(Validating.Valid(), environment: environment));

        Assert.Equal("NT1005", d.Descriptor.Code);
        Assert.EndsWith("(NanoT5Threads comes from the environment variable of that name, so there is no line to point at.)", d.Message, StringComparison.Ordinal);
    }
}
