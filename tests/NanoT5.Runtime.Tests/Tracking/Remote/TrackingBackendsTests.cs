// TrackingBackends.Create is the one place a tracker kind becomes a backend, and docs/architecture.md's
// "Adding a tracker backend" lists the files a new one touches: both stay true as the code moves.
using System.Text.RegularExpressions;
using NanoT5.Config;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tests.Tracking.Remote;

public sealed partial class TrackingBackendsTests
{
    [Fact]
    public void Create_GivesEveryTrackerKindButNoneABackend()
    {
        foreach (TrackerKind kind in Enum.GetValues<TrackerKind>())
        {
            using ITrackingBackend? backend = TrackingBackends.Create(new TrackerSettings { Kind = kind, Url = "http://127.0.0.1:5000" }, token: null);

            Assert.True((kind == TrackerKind.None) == (backend is null), $"tracker kind {kind}: {backend?.Destination ?? "no backend"}");
        }
    }

    [Fact]
    public void TheAddATrackerBackendRecipe_NamesFilesThatExist()
    {
        string architecture = File.ReadAllText(TestPaths.Repo("docs", "architecture.md"));
        int start = architecture.IndexOf("\n## Adding a tracker backend\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no section 'Adding a tracker backend'");
        int end = architecture.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string recipe = architecture[start..(end < 0 ? architecture.Length : end)];

        List<string> paths = [.. CodePath().Matches(recipe).Select(m => m.Groups[1].Value).Where(p => !p.Contains('<', StringComparison.Ordinal))];
        string[] roots = [TestPaths.Repo(), TestPaths.Repo("src", "NanoT5.Runtime"), TestPaths.Repo("tests", "NanoT5.Runtime.Tests")];

        Assert.True(paths.Count >= 8, "the recipe names too few files: " + string.Join(", ", paths));
        List<string> missing = [.. paths.Where(p => !roots.Any(root => File.Exists(Path.Combine(root, p))))];
        Assert.True(missing.Count == 0, "the recipe names files that do not exist: " + string.Join(", ", missing));
    }

    // `Tracking/Remote/ITrackingBackend.cs`, `src/NanoT5.Runtime/Config/Enums.cs`: backticked paths of .cs files.
    [GeneratedRegex(@"`([A-Za-z0-9_./<>-]+\.cs)`")]
    private static partial Regex CodePath();
}
