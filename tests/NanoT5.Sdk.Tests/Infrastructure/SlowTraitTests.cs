using NanoT5.Testing;

namespace NanoT5.Sdk.Tests.Infrastructure;

public sealed class SlowTraitTests
{
    [Fact]
    public void Every_test_that_starts_a_process_carries_the_slow_trait()
    {
        IReadOnlyList<string> unmarked = SlowTraitAudit.UnmarkedProcessTests(typeof(SlowTraitTests).Assembly);

        Assert.True(unmarked.Count == 0, "these tests start a process; mark them [Trait(\"Category\", \"Slow\")]:\n" + string.Join("\n", unmarked));
    }

    [Fact]
    public void The_audit_sees_builds_started_through_the_dotnet_helper()
    {
        var found = SlowTraitAudit.ProcessTests(typeof(SlowTraitTests).Assembly).Select(SlowTraitAudit.Name).ToList();

        Assert.Contains("ValidationBuildTests.A_valid_experiment_validates_without_diagnostics_and_generates_its_config", found);
        Assert.DoesNotContain("SlowTraitTests.Every_test_that_starts_a_process_carries_the_slow_trait", found);
    }
}
