// Real `dotnet msbuild -t:Validate` runs of real .t5proj files: every code lands on the file and line MSBuild prints.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class ValidationBuildTests
{
    [Fact]
    public void A_valid_experiment_validates_without_diagnostics_and_generates_its_config()
    {
        using var folder = ExperimentFolder.InRepo(Repo.ReadFile("experiments", "default", "default.t5proj"));
        // The default experiment's tokenizer lies beside its project (NanoT5TokenizerPath spiece.model).
        File.Copy(Repo.Path("experiments", "default", "spiece.model"), Path.Combine(folder.Path, "spiece.model"));

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Validate").ShouldSucceed();

        Assert.Empty(result.Diagnostics);
        Assert.Contains("NanoT5: exp.t5proj is valid (exp); config: ", result.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(folder.Path, "Experiment.g.cs", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(folder.Path, "bin", SearchOption.AllDirectories));
    }

    [Fact]
    public void Validate_catches_a_misspelt_sweep_metadata_name_at_its_line_not_only_the_Sweep()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project.Replace("</Project>", """
              <ItemGroup>
                <NanoT5SweepRun Include="lr-1e-2" NanoT5LearningRate="1e-2" />
                <NanoT5SweepRun Include="lr-2e-2" NanoT5LerningRate="2e-2" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Validate").ShouldFail();

        LoggedDiagnostic d = result.Single("NT4004");
        Assert.Equal(folder.LineOf("NanoT5LerningRate"), d.Line);
        Assert.Equal("NanoT5SweepRun 'lr-2e-2' cannot set NanoT5LerningRate: NanoT5LerningRate is not a NanoT5 setting; did you mean NanoT5LearningRate?", d.Message);
    }

    [Fact]
    public void Every_value_error_is_reported_at_the_line_of_its_property()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5TrainSources>builtin:dotnet-docs</NanoT5TrainSources>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5BatchSize>abc</NanoT5BatchSize>
                <NanoT5LearningRate>fast</NanoT5LearningRate>
                <NanoT5Resume>maybe</NanoT5Resume>
                <NanoT5Optimizer>adam</NanoT5Optimizer>
                <NanoT5NoiseDensity>1.5</NanoT5NoiseDensity>
                <NanoT5Device>gpu</NanoT5Device>
                <NanoT5TrackerUrl>ftp://tracker</NanoT5TrackerUrl>
                <NanoT5ModelConfig>no/config.json</NanoT5ModelConfig>
                <NanoT5InitFrom>runs/none</NanoT5InitFrom>
                <NanoT5Name>a/b</NanoT5Name>
                <NanoT5TrackerTags>team</NanoT5TrackerTags>
                <NanoT5TrackerTokenVariable>1TOKEN</NanoT5TrackerTokenVariable>
                <NanoT5ValidationSources>builtin:wiki</NanoT5ValidationSources>
              </PropertyGroup>
            </Project>
            """);

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Validate").ShouldFail();

        (string Code, string Property)[] expected =
        [
            ("NT1001", "NanoT5BatchSize"), ("NT1002", "NanoT5LearningRate"), ("NT1003", "NanoT5Resume"), ("NT1004", "NanoT5Optimizer"),
            ("NT1005", "NanoT5NoiseDensity"), ("NT1006", "NanoT5Device"), ("NT1007", "NanoT5TrackerUrl"), ("NT1008", "NanoT5ModelConfig"),
            ("NT1009", "NanoT5InitFrom"), ("NT1010", "NanoT5Name"), ("NT1011", "NanoT5TrackerTags"), ("NT1012", "NanoT5TrackerTokenVariable"),
            ("NT1013", "NanoT5ValidationSources"),
        ];
        Assert.Equal(expected.Select(e => e.Code).Order(StringComparer.Ordinal), result.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
        foreach ((string code, string property) in expected)
        {
            LoggedDiagnostic d = result.Single(code);
            Assert.Equal((folder.ProjectFile, folder.LineOf($"<{property}>")), (d.File, d.Line));
            Assert.Contains(property, d.Message, StringComparison.Ordinal);
        }

        Assert.Equal("warning", result.Single("NT1009").Severity);
        Assert.Empty(Directory.GetFiles(folder.Path, "Experiment.g.cs", SearchOption.AllDirectories));
    }

    [Fact]
    public void Every_cross_field_error_is_reported_at_the_property_the_project_set()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5BatchSize>128</NanoT5BatchSize>
                <NanoT5BatchSize>130</NanoT5BatchSize>
                <NanoT5GradAcc>4</NanoT5GradAcc>
                <NanoT5TotalSteps>10000</NanoT5TotalSteps>
                <NanoT5WarmupSteps>20000</NanoT5WarmupSteps>
                <NanoT5Precision>bf16</NanoT5Precision>
                <NanoT5InputLength>9</NanoT5InputLength>
                <NanoT5Tokenizer>sentencepiece</NanoT5Tokenizer>
                <NanoT5Tracker>mlflow</NanoT5Tracker>
                <NanoT5ModelPreset>tiny</NanoT5ModelPreset>
                <NanoT5ModelConfig>config.json</NanoT5ModelConfig>
              </PropertyGroup>
            </Project>
            """);
        folder.Write("config.json", "{}");

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Validate").ShouldFail();

        Assert.Equal(["NT2001", "NT2002", "NT2003", "NT2004", "NT2006", "NT2007", "NT2008", "NT2009"], result.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
        Assert.Equal(folder.LineOf("<NanoT5BatchSize>130"), result.Single("NT2001").Line);
        Assert.Equal(folder.LineOf("<NanoT5WarmupSteps>"), result.Single("NT2002").Line);
        Assert.Equal(folder.LineOf("<NanoT5Precision>"), result.Single("NT2003").Line);
        Assert.Equal(folder.LineOf("<NanoT5InputLength>"), result.Single("NT2004").Line);
        Assert.Equal(folder.LineOf("<NanoT5Tokenizer>"), result.Single("NT2006").Line);
        Assert.Equal(folder.LineOf("<NanoT5Tracker>"), result.Single("NT2007").Line);
        Assert.Equal((folder.ProjectFile, 0), (result.Single("NT2008").File, result.Single("NT2008").Line));
        Assert.Equal(folder.LineOf("<NanoT5ModelPreset>"), result.Single("NT2009").Line);
    }

    [Fact]
    public void Fine_tuning_rules_and_warnings_are_reported_for_a_fine_tuning_experiment()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5Mode>finetune</NanoT5Mode>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5TokenizerPath>spiece.model</NanoT5TokenizerPath>
                <NanoT5Epochs>0</NanoT5Epochs>
                <NanoT5TotalSteps>0</NanoT5TotalSteps>
                <NanoT5Schedule>legacy</NanoT5Schedule>
                <NanoT5LearningRate>1e-3</NanoT5LearningRate>
              </PropertyGroup>
            </Project>
            """);
        folder.Write("spiece.model", "x");

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Validate").ShouldFail();

        Assert.Equal(["NT2005", "NT2010", "NT2012", "NT2013"], result.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
        Assert.Equal(folder.LineOf("<NanoT5Mode>"), result.Single("NT2005").Line);
        Assert.Equal(folder.LineOf("<NanoT5TotalSteps>"), result.Single("NT2010").Line);
        Assert.Equal(folder.LineOf("<NanoT5TokenizerPath>"), result.Single("NT2012").Line);
        Assert.Equal(folder.LineOf("<NanoT5LearningRate>"), result.Single("NT2013").Line);
    }

    [Fact]
    public void Values_from_p_imports_and_Directory_Build_props_are_placed_where_they_were_set()
    {
        using var folder = ExperimentFolder.InRepo(Repo.ReadFile("experiments", "default", "default.t5proj").Replace(
            "</PropertyGroup>",
            "  <NanoT5TrackerToken>never-printed</NanoT5TrackerToken>\n  </PropertyGroup>\n  <Import Project=\"shared.props\" />",
            StringComparison.Ordinal));
        string shared = folder.Write("shared.props", "<Project>\n  <PropertyGroup>\n    <NanoT5Schedule>linear</NanoT5Schedule>\n  </PropertyGroup>\n</Project>\n");
        string directoryProps = folder.Write("Directory.Build.props", """
            <Project>
              <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
              <PropertyGroup>
                <NanoT5Sed>7</NanoT5Sed>
              </PropertyGroup>
            </Project>
            """);

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Validate", "-p:NanoT5InputLength=2048", "-p:NanoT5WarmupStep=5").ShouldFail();

        Assert.Equal((shared, 3), (result.Single("NT1004").File, result.Single("NT1004").Line));
        Assert.Equal((folder.ProjectFile, 0), (result.Single("NT2011").File, result.Single("NT2011").Line));
        Assert.EndsWith("(NanoT5InputLength was set with -p: on the command line, so there is no line to point at.)", result.Single("NT2011").Message, StringComparison.Ordinal);
        Assert.Equal((folder.ProjectFile, folder.LineOf("<NanoT5TrackerToken>")), (result.Single("NT3002").File, result.Single("NT3002").Line));
        Assert.DoesNotContain("never-printed", result.Output, StringComparison.Ordinal);
        List<LoggedDiagnostic> typos = result.Diagnostics.Where(d => d.Code == "NT3003").OrderBy(d => d.Line).ToList();
        Assert.Equal([(folder.ProjectFile, 0), (directoryProps, 4)], typos.Select(d => (d.File, d.Line)));
        Assert.Contains("did you mean NanoT5WarmupSteps?", typos[0].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean NanoT5Seed?", typos[1].Message, StringComparison.Ordinal);
    }
}
