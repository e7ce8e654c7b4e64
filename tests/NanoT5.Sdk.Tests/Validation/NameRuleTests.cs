// NT3xxx: property names. A near miss of ours is a typo; a NanoT5 property that holds a secret is refused.
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Validation;

namespace NanoT5.Sdk.Tests.Validation;

public sealed class NameRuleTests
{
    [Theory]
    [InlineData("NanoT5LearnigRate", "NanoT5LearningRate")]
    [InlineData("NanoT5BatchSzie", "NanoT5BatchSize")]
    [InlineData("NanoT5TrainSource", "NanoT5TrainSources")]
    public void An_unknown_NanoT5_property_is_error_NT3003_with_a_suggestion(string typo, string meant)
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid((typo, "1"))));

        Assert.Equal("NT3003", d.Descriptor.Code);
        Assert.Equal(Severity.Error, d.Descriptor.Severity);
        Assert.Equal(
            $"{typo} is not a NanoT5 property, so its value would be ignored; did you mean {meant}? (Sdk/README.md lists every property). Set NanoT5UnknownProperties to warning to allow properties of a newer SDK.",
            d.Message);
        Assert.Equal(Validating.LineOf(2), d.Line);
    }

    [Fact]
    public void An_unknown_NanoT5_property_far_from_any_is_an_error_too_and_NanoT5UnknownProperties_warning_downgrades_it()
    {
        using var v = new Validating();
        ProjectDiagnostic error = Assert.Single(v.Run(Validating.Valid(("NanoT5FlashAttention", "true"))));
        Assert.Equal("NT3003", error.Descriptor.Code);
        Assert.StartsWith("NanoT5FlashAttention is not a NanoT5 property, so its value would be ignored; Sdk/README.md lists every property.", error.Message, StringComparison.Ordinal);

        ProjectDiagnostic warning = Assert.Single(v.Run(Validating.Valid(("NanoT5FlashAttention", "true"), ("NanoT5UnknownProperties", "warning"))));
        Assert.Equal(("NT3004", Severity.Warning), (warning.Descriptor.Code, warning.Descriptor.Severity));
        Assert.DoesNotContain("Set NanoT5UnknownProperties", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_of_another_prefix_a_few_edits_from_ours_is_warning_NT3001_with_a_suggestion()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanT5Optimizer", "1"))));

        Assert.Equal(("NT3001", Severity.Warning), (d.Descriptor.Code, d.Descriptor.Severity));
        Assert.Equal("NanT5Optimizer is not a NanoT5 property, so its value is ignored; did you mean NanoT5Optimizer? (Sdk/README.md lists every property.)", d.Message);
    }

    [Theory]
    [InlineData("T5LearningRate", "NanoT5LearningRate")]
    [InlineData("Nano_T5_BatchSize", "NanoT5BatchSize")]
    [InlineData("NanoLearningRate", "NanoT5LearningRate")]
    [InlineData("T5TotalStep", "NanoT5TotalSteps")]
    public void A_property_without_the_NanoT5_prefix_is_warning_NT3001_naming_the_property_meant(string written, string meant)
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid((written, "1"))));

        Assert.Equal(("NT3001", Severity.Warning), (d.Descriptor.Code, d.Descriptor.Severity));
        Assert.Equal($"{written} is not a NanoT5 property, so its value is ignored; did you mean {meant}? (Sdk/README.md lists every property.)", d.Message);
        Assert.Equal(Validating.LineOf(2), d.Line);
    }

    [Fact]
    public void Other_properties_and_the_repositorys_own_NanoT5_properties_are_not_typos()
    {
        using var v = new Validating();
        Assert.Empty(v.Run(Validating.Valid(("TargetFramework", "net10.0"), ("Nullable", "enable"), ("NanoT5Backend", "cpu"), ("NanoT5RepoRoot", "/"), ("C4Directory", "/data"), ("T5Version", "1.1"), ("LearningRate", "1"))));
    }

    [Fact]
    public void A_typo_given_with_p_is_reported_without_a_line()
    {
        using var v = new Validating();
        var globals = new Dictionary<string, string> { ["NanoT5Sede"] = "1" };
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(), globals: globals));

        Assert.Equal("NT3003", d.Descriptor.Code);
        Assert.Equal(0, d.Line);
        Assert.Contains("did you mean NanoT5Seed?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_property_is_error_NT3002_and_its_value_is_never_repeated()
    {
        using var v = new Validating();
        ProjectDiagnostic d = Assert.Single(v.Run(Validating.Valid(("NanoT5TrackerToken", "s3cr3t-value"))));

        Assert.Equal("NT3002", d.Descriptor.Code);
        Assert.Equal(Severity.Error, d.Descriptor.Severity);
        Assert.StartsWith("NanoT5TrackerToken looks like a secret: tokens must not be MSBuild properties", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nanot5learningrate", "nanot5learningrate", 0)]
    [InlineData("abcd", "abdc", 1)]
    [InlineData("NanoT5Seed", "NanoT5Sede", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Edit_distance_counts_a_swap_of_neighbours_as_one_edit(string a, string b, int distance)
    {
        Assert.Equal(distance, NameSuggestions.Distance(a, b));
    }
}
