// Where a property was set: the element MSBuild would have used last, in the files around the project.
using NanoT5.Sdk.Tests.Infrastructure;
using NanoT5.Sdk.Validation;

namespace NanoT5.Sdk.Tests.Validation;

public sealed class PropertyLocatorTests
{
    [Fact]
    public void The_last_assignment_with_the_evaluated_value_wins()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, """
            <Project>
              <PropertyGroup>
                <NanoT5BatchSize>64</NanoT5BatchSize>
                <NanoT5BatchSize Condition="'$(Fast)' == 'true'">8</NanoT5BatchSize>
              </PropertyGroup>
            </Project>
            """);
        var locator = new PropertyLocator(folder.ProjectFile, [], [], new Dictionary<string, string>(), _ => null);

        Assert.Equal(3, locator.Locate("NanoT5BatchSize", "64").Line);
        Assert.Equal(4, locator.Locate("NanoT5BatchSize", "8").Line);
        Assert.Equal(4, locator.Locate("nanot5batchsize", "$(Computed)").Line);
    }

    [Fact]
    public void Imported_files_and_Directory_Build_files_are_read_in_evaluation_order()
    {
        using var folder = ExperimentFolder.Outside();
        string props = folder.Write("Directory.Build.props", "<Project>\n  <PropertyGroup>\n    <NanoT5Seed>1</NanoT5Seed>\n  </PropertyGroup>\n</Project>\n");
        string shared = folder.Write("shared/lr.props", "<Project>\n  <PropertyGroup>\n\n    <NanoT5LearningRate>1e-3</NanoT5LearningRate>\n  </PropertyGroup>\n</Project>\n");
        string targets = folder.Write("Directory.Build.targets", "<Project>\n  <PropertyGroup>\n    <NanoT5Seed>3</NanoT5Seed>\n  </PropertyGroup>\n</Project>\n");
        File.WriteAllText(folder.ProjectFile, "<Project>\n  <Import Project=\"$(MSBuildThisFileDirectory)shared/lr.props\" />\n  <PropertyGroup><NanoT5Seed>2</NanoT5Seed></PropertyGroup>\n</Project>\n");
        var locator = new PropertyLocator(folder.ProjectFile, [props], [targets], new Dictionary<string, string>(), _ => null);

        Assert.Equal((shared, 4), (locator.Locate("NanoT5LearningRate", "1e-3").File, locator.Locate("NanoT5LearningRate", "1e-3").Line));
        Assert.Equal(props, locator.Locate("NanoT5Seed", "1").File);
        Assert.Equal(folder.ProjectFile, locator.Locate("NanoT5Seed", "2").File);
        Assert.Equal(targets, locator.Locate("NanoT5Seed", "3").File);
        Assert.Equal(targets, locator.Locate("NanoT5Seed", "4").File);
    }

    [Fact]
    public void Properties_inside_targets_are_not_assignments_of_the_evaluation()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project>\n  <Target Name=\"X\">\n    <PropertyGroup><NanoT5Seed>9</NanoT5Seed></PropertyGroup>\n  </Target>\n</Project>\n");
        var locator = new PropertyLocator(folder.ProjectFile, [], [], new Dictionary<string, string>(), _ => null);

        Assert.Equal(LocationKind.Unknown, locator.Locate("NanoT5Seed", "9").Kind);
    }

    [Fact]
    public void A_sweep_runs_metadata_locate_the_properties_it_passes_on()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, """
            <Project>
              <ItemGroup>
                <NanoT5SweepRun Include="small" NanoT5BatchSize="8" />
                <NanoT5SweepRun Include="large">
                  <NanoT5BatchSize>x</NanoT5BatchSize>
                </NanoT5SweepRun>
              </ItemGroup>
            </Project>
            """);
        var globals = new Dictionary<string, string> { ["NanoT5BatchSize"] = "x", ["_NanoT5SweepRun"] = "large" };
        var locator = new PropertyLocator(folder.ProjectFile, [], [], globals, _ => null, sweepRun: "large");

        Assert.Equal(5, locator.Locate("NanoT5BatchSize", "x").Line);
        Assert.Equal(3, locator.LocateSweepRun("small", "NanoT5BatchSize").Line);
        Assert.Equal(4, locator.LocateSweepRun("large", null).Line);
    }

    [Fact]
    public void A_project_file_that_is_not_XML_is_skipped_not_fatal()
    {
        using var folder = ExperimentFolder.Outside();
        File.WriteAllText(folder.ProjectFile, "<Project><PropertyGroup>");
        var locator = new PropertyLocator(folder.ProjectFile, [], [], new Dictionary<string, string>(), _ => null);

        Assert.Equal([folder.ProjectFile], locator.UnreadableFiles);
        Assert.Equal(LocationKind.Unknown, locator.Locate("NanoT5Seed", "1").Kind);
    }
}
