// ConfigSettingValues reads a setting through the accessor generated from the settings table: the property at the
// setting's config path, with no reflection over path strings anywhere in the runtime or the SDK's tasks.
using System.Text.RegularExpressions;
using NanoT5.Config;
using NanoT5.Config.Settings;

namespace NanoT5.Tests.Config;

public sealed partial class ConfigSettingValuesTests
{
    [Fact]
    public void Read_EverySetting_IsThePropertyAtItsConfigPath()
    {
        ExperimentConfig config = ResolvedConfigFixtureTests.Fixture();
        var values = new ConfigSettingValues(config);

        Assert.All(SettingTable.All.Where(s => s.ConfigPath is not null), setting =>
            Assert.Equal(setting.ConfigPath!.Split('.').Aggregate<string, object?>(config, (o, name) => o!.GetType().GetProperty(name)!.GetValue(o)), values.Read(setting)));
        Assert.Equal("mini", values.Read(SettingTable.ModelPreset));
        Assert.Equal(128, values.Read(SettingTable.InputLength));
    }

    [Fact]
    public void Read_AnSdkOnlySetting_IsNull()
    {
        Assert.Null(new ConfigSettingValues(new ExperimentConfig()).Read(SettingTable.Processes));
    }

    [Fact]
    public void Read_ASettingTheRecordsDoNotHave_NamesItAndTheCommandThatGeneratesThem()
    {
        var foo = new Setting("NanoT5Foo", "Data.Foo", SettingKind.Integer, "3", "x");

        var e = Assert.Throws<ArgumentException>(() => new ConfigSettingValues(new ExperimentConfig()).Read(foo));

        Assert.StartsWith($"NanoT5Foo: ExperimentConfig has no Data.Foo; run `{SettingDocs.WriteCommand}` after changing the settings table.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_OfTheRuntimeAndTheSdkTasks_ReflectOverNoPropertyNames()
    {
        // The two registries may list their own fields (SettingTable.All, DiagnosticCodes.All), and the SDK's tasks reach
        // PosixSignalContext.Cancel, a type netstandard2.0 lacks; a setting's value is read through the generated accessor.
        string[] roots = [TestPaths.Repo("src", "NanoT5.Runtime"), TestPaths.Repo("Sdk", "NanoT5.Sdk.Tasks")];
        List<string> uses = roots
            .SelectMany(r => Directory.GetFiles(r, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => Reflection().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(TestPaths.Repo(), l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.Equal(
            [
                "Sdk/NanoT5.Sdk.Tasks/Diagnostics/DiagnosticCodes.cs: .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)",
                "Sdk/NanoT5.Sdk.Tasks/Launch/PosixSignals.cs: context.GetType().GetProperty(\"Cancel\")!.SetValue(context, true);",
                "src/NanoT5.Runtime/Config/Settings/SettingTable.cs: .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)",
            ],
            uses.Select(u => Regex.Replace(u, ":[0-9]+:", ":")).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"(?<!Try)\.(GetProperty|GetProperties|GetField|GetFields|GetMember|GetMembers|InvokeMember)\(")]
    private static partial Regex Reflection();
}
