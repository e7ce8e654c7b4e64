// What a dotnet process did: its exit code, its output, and the NTxxxx diagnostics MSBuild printed.
using System.Text.RegularExpressions;

namespace NanoT5.Sdk.Tests.Infrastructure;

/// <summary>One "file(line,col): error NT1001: message" line of a build log.</summary>
internal sealed record LoggedDiagnostic(string File, int Line, string Severity, string Code, string Message);

internal sealed partial class BuildResult
{
    public BuildResult(string command, int exitCode, string output)
    {
        Command = command;
        ExitCode = exitCode;
        Output = output;
        Diagnostics = output.Split('\n')
            .Select(l => DiagnosticLine().Match(l.TrimEnd('\r')))
            .Where(m => m.Success)
            .Select(m => new LoggedDiagnostic(
                m.Groups["file"].Value.Trim(),
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["severity"].Value,
                m.Groups["code"].Value,
                m.Groups["message"].Value.Trim()))
            .Distinct() // the console logger repeats errors and warnings in its summary
            .ToList();
        foreach (LoggedDiagnostic d in Diagnostics)
        {
            ProducedDiagnostics.Record(d.Code);
        }
    }

    public string Command { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public IReadOnlyList<LoggedDiagnostic> Diagnostics { get; }

    public IEnumerable<LoggedDiagnostic> Errors => Diagnostics.Where(d => d.Severity == "error");

    /// <summary>The single diagnostic with <paramref name="code"/> (fails the test when there are none or several).</summary>
    public LoggedDiagnostic Single(string code)
    {
        List<LoggedDiagnostic> hits = Diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(hits.Count == 1, $"expected one {code}, got {hits.Count}.\n{this}");
        return hits[0];
    }

    /// <summary>Fails the test, printing the whole log, unless the process succeeded.</summary>
    public BuildResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"expected success.\n{this}");
        return this;
    }

    public BuildResult ShouldFail()
    {
        Assert.True(ExitCode != 0, $"expected failure.\n{this}");
        return this;
    }

    public override string ToString() => $"$ {Command}\n(exit {ExitCode})\n{Output}";

    [GeneratedRegex(@"^\s*(?<file>[^\s(][^(]*?)(\((?<line>\d+),(?<col>\d+)\))?\s*:\s*(?<severity>error|warning) (?<code>NT\d{4}): (?<message>.*?)(\s\[[^\]]*\])?$")]
    private static partial Regex DiagnosticLine();
}
