// One registry of codes: unique, documented once in docs/diagnostics.md with its severity, provoked by a test,
// and every code the build logic raises is in it.
using System.Text.RegularExpressions;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Diagnostics;

public sealed partial class DiagnosticRegistryTests
{
    [Fact]
    public void Codes_are_unique_and_shaped_NT_and_four_digits()
    {
        Assert.All(DiagnosticCodes.All, d => Assert.Matches("^NT[0-9]{4}$", d.Code));
        Assert.Equal(DiagnosticCodes.All.Count, DiagnosticCodes.All.Select(d => d.Code).Distinct().Count());
    }

    [Fact]
    public void The_diagnostics_page_has_one_row_per_code_with_its_anchor_and_severity()
    {
        var rows = DocRow().Matches(Repo.ReadFile("docs", "diagnostics.md"))
            .Select(m => (Anchor: m.Groups["anchor"].Value, Code: m.Groups["code"].Value, Severity: m.Groups["severity"].Value))
            .ToList();

        Assert.Equal(DiagnosticCodes.All.Select(d => d.Code), rows.Select(r => r.Code));
        Assert.All(rows, r => Assert.Equal(r.Code.ToLowerInvariant(), r.Anchor));
        Assert.Equal(DiagnosticCodes.All.Select(d => d.Severity == Severity.Error ? "error" : "warning"), rows.Select(r => r.Severity));
    }

    [Fact]
    public void Every_code_raised_by_the_build_logic_is_in_the_registry()
    {
        string[] sources = ["Sdk", "src"];
        IEnumerable<string> files = sources
            .SelectMany(s => Directory.EnumerateFiles(Repo.Path(s), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) &&
                        !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
        var raised = files.SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value)).ToHashSet();

        Assert.Empty(raised.Except(DiagnosticCodes.All.Select(d => d.Code)));
    }

    [GeneratedRegex(@"^\| <a id=""(?<anchor>nt\d{4})""></a>(?<code>NT\d{4}) \| (?<severity>error|warning) \|", RegexOptions.Multiline)]
    private static partial Regex DocRow();

    [GeneratedRegex(@"""(?<code>NT\d{4})""")]
    private static partial Regex CodeLiteral();
}
