// The settings table (the runtime's, compiled into the SDK) held to ExperimentConfig (defaults, enums,
// presets, every field covered) and to the other places that list the properties (targets, README).
extern alias runtime;

using System.Reflection;
using System.Text.RegularExpressions;
using NanoT5.Config.Settings;
using NanoT5.Sdk.Settings;
using NanoT5.Sdk.Tests.Infrastructure;
using runtime::NanoT5.Config;
using runtime::NanoT5.Model;

namespace NanoT5.Sdk.Tests.Settings;

public sealed class SettingTableTests
{
    private static IEnumerable<Setting> ConfigSettings => SettingTable.All.Where(s => s.ConfigPath is not null);

    [Fact]
    public void Every_field_of_ExperimentConfig_has_exactly_one_property()
    {
        List<string> leaves = Leaves(typeof(ExperimentConfig), prefix: string.Empty).ToList();
        List<string> mapped = ConfigSettings.Select(s => s.ConfigPath!).ToList();

        Assert.Equal(mapped.Count, mapped.Distinct().Count());
        Assert.Equal(leaves.Order(StringComparer.Ordinal), mapped.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_default_is_the_default_of_ExperimentConfig()
    {
        var config = new ExperimentConfig();
        foreach (Setting setting in ConfigSettings.Where(s => !s.DefaultFromSdk))
        {
            object? recordDefault = Read(config, setting.ConfigPath!);
            if (setting.DefaultText.Length == 0)
            {
                Assert.True(IsEmpty(recordDefault), $"{setting.Property}: documented as unset but ExperimentConfig has '{recordDefault}'");
                continue;
            }

            object? parsed = SettingParser.Parse(setting, setting.DefaultText, out var problem);
            Assert.Null(problem);
            object? expected = parsed is Choice c ? ChoiceValue(c, recordDefault) : parsed;
            Assert.True(Equals(expected, recordDefault), $"{setting.Property}: catalog default {setting.DefaultText} != ExperimentConfig's {recordDefault}");
        }
    }

    [Fact]
    public void The_SDK_owned_defaults_are_the_name_and_the_run_folder()
    {
        Assert.Equal(["NanoT5Name", "NanoT5RunDirectory"], SettingTable.All.Where(s => s.DefaultFromSdk).Select(s => s.Property));
    }

    [Fact]
    public void Every_enum_choice_is_a_member_named_as_the_JSON_config_names_it()
    {
        foreach (Setting setting in ConfigSettings.Where(s => s.Choices.Count > 0 && s.Choices[0].Expression.StartsWith("global::", StringComparison.Ordinal)))
        {
            Type enumType = typeof(ExperimentConfig).Assembly.GetType(setting.Choices[0].Expression["global::".Length..].Split('.')[..^1].Aggregate((a, b) => a + "." + b))!;
            Assert.True(enumType.IsEnum, setting.Property);
            Assert.Equal(Enum.GetNames(enumType).Order(StringComparer.Ordinal), setting.Choices.Select(c => c.Expression.Split('.')[^1]).Order(StringComparer.Ordinal));
            foreach (Choice choice in setting.Choices)
            {
                string json = System.Text.Json.JsonSerializer.Serialize(Enum.Parse(enumType, choice.Expression.Split('.')[^1]), enumType, ExperimentConfigJson.Options);
                Assert.Equal($"\"{choice.Value}\"", json);
            }
        }
    }

    [Fact]
    public void The_model_presets_are_the_runtime_presets()
    {
        Assert.Equal(T5Presets.Names.Order(StringComparer.OrdinalIgnoreCase), SettingTable.ModelPresets.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_finetune_default_is_a_valid_value()
    {
        foreach (Setting setting in SettingTable.All.Where(s => s.FinetuneDefault is not null))
        {
            Assert.NotNull(SettingParser.Parse(setting, setting.FinetuneDefault!, out var problem));
            Assert.Null(problem);
        }
    }

    [Fact]
    public void The_settings_targets_hand_every_property_to_the_tasks()
    {
        string targets = Repo.ReadFile("Sdk", "NanoT5.Settings.targets");
        List<(string Name, string Value)> items = Regex.Matches(targets, "<_NanoT5Setting Include=\"(?<n>\\w+)\" Value=\"(?<v>[^\"]*)\" />")
            .Select(m => (m.Groups["n"].Value, m.Groups["v"].Value))
            .ToList();

        Assert.Equal(SettingTable.All.Select(s => s.Property), items.Select(i => i.Name));
        Assert.All(items, i => Assert.Equal($"$({i.Name})", i.Value));
    }

    [Fact]
    public void The_README_table_has_a_row_per_property_with_its_default()
    {
        string[] rows = Repo.ReadFile("Sdk", "README.md").Split('\n').Where(l => l.StartsWith("| `NanoT5", StringComparison.Ordinal)).ToArray();
        foreach (Setting setting in SettingTable.All)
        {
            string? row = rows.SingleOrDefault(r => r.StartsWith($"| `{setting.Property}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"Sdk/README.md has no row for {setting.Property}");
            string[] cells = row!.Split('|').Select(c => c.Trim()).ToArray();
            string expected = setting.DefaultText.Length == 0 ? "(unset)" : $"`{setting.DefaultText}`";
            Assert.True(cells[2] == expected, $"{setting.Property}: README default '{cells[2]}', catalog {expected}");
            if (setting.FinetuneDefault is not null)
            {
                Assert.Contains($"fine-tuning: `{setting.FinetuneDefault}`", row, StringComparison.Ordinal);
            }
        }

        Assert.Equal(SettingTable.All.Count, rows.Length);
    }

    // "Optim.BaseLr" etc.: the init properties that are not themselves settings records.
    private static IEnumerable<string> Leaves(Type type, string prefix)
    {
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (p.PropertyType.Namespace == "NanoT5.Config" && p.PropertyType.IsClass && p.PropertyType.Name.EndsWith("Settings", StringComparison.Ordinal))
            {
                foreach (string leaf in Leaves(p.PropertyType, prefix + p.Name + "."))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return prefix + p.Name;
            }
        }
    }

    private static object? Read(object root, string path) =>
        path.Split('.').Aggregate<string, object?>(root, (o, name) => o!.GetType().GetProperty(name)!.GetValue(o));

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        System.Collections.ICollection c => c.Count == 0,
        _ => false,
    };

    // An enum choice's member, or a string choice's text (model presets).
    private static object ChoiceValue(Choice choice, object? recordDefault) =>
        recordDefault is Enum e ? Enum.Parse(e.GetType(), choice.Expression.Split('.')[^1]) : choice.Value;
}
