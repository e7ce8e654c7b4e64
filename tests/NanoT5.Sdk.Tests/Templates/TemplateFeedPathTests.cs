// --feed is written absolute: nuget.config sits in the new project's folder, so NuGet would resolve a relative one there.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Templates;

[Trait("Category", "Slow")]
public sealed class TemplateFeedPathTests
{
    [Fact]
    public void A_relative_feed_is_written_against_the_folder_dotnet_new_ran_in()
    {
        using var output = ExperimentFolder.Outside();
        string folder = New(output, "rel", "../feed");

        // NuGet takes the unnormalised `..` (checked by hand with a cold package cache).
        string expected = output.Path + "/../feed";
        Assert.Contains($"<add key=\"nanot5\" value=\"{expected}\" />", File.ReadAllText(Path.Combine(folder, "nuget.config")), StringComparison.Ordinal);
        Assert.Contains($"lists the folder `{expected}`", File.ReadAllText(Path.Combine(folder, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_absolute_feed_is_written_unchanged()
    {
        using var output = ExperimentFolder.Outside();
        string feed = Path.Combine(output.Path, "elsewhere", "feed");
        string folder = New(output, "abs", feed);

        Assert.Contains($"<add key=\"nanot5\" value=\"{feed}\" />", File.ReadAllText(Path.Combine(folder, "nuget.config")), StringComparison.Ordinal);
        Assert.Contains($"lists the folder `{feed}`", File.ReadAllText(Path.Combine(folder, "README.md")), StringComparison.Ordinal);
    }

    // The template binds env:PWD; a shell sets it on cd, a Process.Start child inherits the test host's, so set it here.
    private static string New(ExperimentFolder output, string name, string feed)
    {
        string hive = Path.Combine(output.Path, "hive");
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = Path.Combine(output.Path, "home"), ["PWD"] = output.Path };
        Dotnet.Run(output.Path, ["new", "install", Repo.Path("templates", "T5Experiment"), "--debug:custom-hive", hive], environment).ShouldSucceed();
        Dotnet.Run(output.Path, ["new", "t5experiment", "-o", name, "--feed", feed, "--debug:custom-hive", hive], environment).ShouldSucceed();
        return Path.Combine(output.Path, name);
    }
}
