// Every registry code is provoked by a test: asserted on the codes the other tests' builds, task engines and
// validator runs actually produced (ProducedDiagnostics), after all of them have run (RunsLastFramework).
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Diagnostics;

[RunsLast]
public sealed class ProvokedCodeTests
{
    [Fact]
    public void Every_code_is_provoked_by_a_test()
    {
        var registry = DiagnosticCodes.All.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
        IReadOnlyCollection<string> produced = ProducedDiagnostics.All;

        Assert.Empty(produced.Where(c => c.StartsWith("NT", StringComparison.Ordinal)).Except(registry));
        if (RunsLastFramework.RanEveryTest)
        {
            List<string> unprovoked = [.. registry.Except(produced).Order(StringComparer.Ordinal)];
            Assert.True(unprovoked.Count == 0, "no test produced " + string.Join(", ", unprovoked));
        }
    }
}
