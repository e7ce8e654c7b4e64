// The C# that the settings table makes, as SettingDocs makes the docs' tables from it: the setting properties of
// ExperimentConfig and of each section's record (one partial record per file under Config/Generated/, with its type,
// default, JSON name and doc taken from the entry) and the accessor that ConfigSettingValues.Read uses. A setting is
// one table entry; `settings --write` writes these files and SettingDocsTests fails while they are stale.
using System.Text;
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Generates the typed records' setting properties and their accessor from a list of settings.</summary>
public static class SettingCode
{
    /// <summary>The folder of the generated files, relative to the repository root.</summary>
    public const string Folder = "src/NanoT5.Runtime/Config/Generated";

    private const string Indent = "    ";
    private const string Table = "global::NanoT5.Config.Settings.SettingTable";
    private const string JsonName = "global::System.Text.Json.Serialization.JsonPropertyName";

    // Kinds whose value is one string in the config.
    private static readonly HashSet<SettingKind> TextKinds =
        [SettingKind.Text, SettingKind.Device, SettingKind.FolderName, SettingKind.Path, SettingKind.Url, SettingKind.VariableName];

    /// <summary>
    /// Every generated file (path relative to the repository root, text) for <paramref name="entries"/>: each setting
    /// with the name of its SettingTable field, through which its record reads its default.
    /// </summary>
    public static IReadOnlyList<(string Path, string Text)> Files(IReadOnlyList<(string Field, Setting Setting)> entries)
    {
        List<(string Field, Setting Setting)> config = entries.Where(e => e.Setting.ConfigPath is not null).ToList();
        foreach ((_, Setting setting) in config)
        {
            if (!SettingSection.All.Any(s => s.Record is not null && s.Group == SettingSection.GroupOf(setting)) || setting.ConfigPath!.Count(c => c == '.') > 1)
            {
                throw new InvalidOperationException($"{setting.Property}: {setting.ConfigPath} is not Name or Section.Name with a section of {nameof(SettingSection)}.{nameof(SettingSection.All)}; add the section there.");
            }
        }

        var files = new List<(string Path, string Text)>();
        foreach (SettingSection section in SettingSection.All.Where(s => s.Record is not null))
        {
            List<(string Field, Setting Setting)> members = config.Where(e => SettingSection.GroupOf(e.Setting) == section.Group).ToList();
            files.Add(($"{Folder}/{section.Record}.g.cs", Record(section, members)));
        }

        files.Add(($"{Folder}/{nameof(ConfigSettingValues)}.g.cs", Accessor(config.Select(e => e.Setting).ToList())));
        return files;
    }

    /// <summary>The C# type of a setting's property: int, double, bool, an enum of its choices, string or string?, a list or a dictionary.</summary>
    public static string PropertyType(Setting setting)
    {
        Check(setting);
        return setting.Kind switch
        {
            SettingKind.Integer => "int",
            SettingKind.Number => "double",
            SettingKind.Boolean => "bool",
            SettingKind.OneOf => EnumOf(setting) ?? "string",
            SettingKind.Sources => "global::System.Collections.Generic.IReadOnlyList<string>",
            SettingKind.Tags => "global::System.Collections.Generic.IReadOnlyDictionary<string, string>",
            _ when setting.UnsetIsNull => "string?",
            _ => "string",
        };
    }

    /// <summary>The C# expression of a setting's default in its record (null: none, the property starts null), read from the table field <paramref name="field"/>.</summary>
    public static string? Initializer(string field, Setting setting)
    {
        Check(setting);
        string entry = $"{Table}.{field}";
        return setting.Kind switch
        {
            SettingKind.Integer => $"{entry}.{nameof(Setting.IntegerDefault)}",
            SettingKind.Number => $"{entry}.{nameof(Setting.NumberDefault)}",
            SettingKind.Boolean => $"{entry}.{nameof(Setting.BooleanDefault)}",
            SettingKind.OneOf when EnumOf(setting) is string type => $"{entry}.{nameof(Setting.EnumDefault)}<{type}>()",
            SettingKind.Sources => "[]",
            SettingKind.Tags => "new global::System.Collections.Generic.Dictionary<string, string>()",
            _ when setting.UnsetIsNull => null,
            _ => $"{entry}.{nameof(Setting.RecordDefaultText)}",
        };
    }

    // One record's setting properties (and, for ExperimentConfig, its sections).
    private static string Record(SettingSection section, IReadOnlyList<(string Field, Setting Setting)> members)
    {
        StringBuilder code = Header($"The setting properties of {section.Record}")
            .Append($"public sealed partial record {section.Record}\n{{\n");
        var blocks = new List<string>();
        foreach ((string field, Setting setting) in members)
        {
            string key = ConfigSettingValues.Key(setting);
            string? initializer = Initializer(field, setting);
            blocks.Add(
                $"{Indent}/// <summary>{Xml(setting.Meaning)}</summary>\n" +
                $"{Indent}/// <remarks>.t5proj: <c>{setting.Property}</c>; JSON: <c>{key}</c>.</remarks>\n" +
                $"{Indent}[{JsonName}(\"{key[(key.LastIndexOf('.') + 1)..]}\")]\n" +
                $"{Indent}public {PropertyType(setting)} {SettingSection.PropertyOf(setting)} {{ get; init; }}{(initializer is null ? string.Empty : $" = {initializer};")}\n");
        }

        if (section.Group == string.Empty)
        {
            foreach (SettingSection part in SettingSection.All.Where(s => s.Record is not null && s.Group!.Length > 0))
            {
                blocks.Add(
                    $"{Indent}/// <summary>{Xml(part.Title)}.</summary>\n" +
                    $"{Indent}[{JsonName}(\"{System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(part.Group!)}\")]\n" +
                    $"{Indent}public global::NanoT5.Config.{part.Record} {part.Group} {{ get; init; }} = new();\n");
            }
        }

        return code.Append(string.Join("\n", blocks)).Append("}\n").ToString();
    }

    // ConfigSettingValues.ValueAt: a switch on the config path, each case the property itself.
    private static string Accessor(IReadOnlyList<Setting> settings)
    {
        StringBuilder code = Header("The accessor of every setting in an ExperimentConfig")
            .Append($"public sealed partial class {nameof(ConfigSettingValues)}\n{{\n")
            .Append($"{Indent}/// <summary>The value of <paramref name=\"setting\"/> in <paramref name=\"config\"/> (null for an SDK-only setting).</summary>\n")
            .Append($"{Indent}private static object? ValueAt(global::NanoT5.Config.ExperimentConfig config, global::NanoT5.Config.Settings.Setting setting) => setting.ConfigPath switch\n")
            .Append($"{Indent}{{\n")
            .Append($"{Indent}{Indent}null => null,\n");
        foreach (Setting setting in settings)
        {
            code.Append($"{Indent}{Indent}{SettingTable.Literal(setting.ConfigPath!)} => config.{setting.ConfigPath},\n");
        }

        return code
            .Append($"{Indent}{Indent}_ => throw new global::System.ArgumentException($\"{{setting.Property}}: ExperimentConfig has no {{setting.ConfigPath}}; run `{SettingDocs.WriteCommand}` after changing the settings table.\", nameof(setting)),\n")
            .Append($"{Indent}}};\n")
            .Append("}\n")
            .ToString();
    }

    private static StringBuilder Header(string what) => new StringBuilder()
        .Append("// <auto-generated>\n")
        .Append($"// {what}, {SettingDocs.Generated}.\n")
        .Append("// </auto-generated>\n")
        .Append("#nullable enable\n")
        .Append('\n')
        .Append("namespace NanoT5.Config;\n")
        .Append('\n');

    // The enum type of a OneOf whose choices are members of one enum (global::NanoT5.Config.RunMode.Pretrain); null when they are strings.
    private static string? EnumOf(Setting setting)
    {
        if (setting.Choices.All(c => c.Expression.StartsWith('"')))
        {
            return null;
        }

        List<string> types = setting.Choices.Select(c => c.Expression[..Math.Max(0, c.Expression.LastIndexOf('.'))]).Distinct().ToList();
        return types.Count == 1 && types[0].StartsWith("global::", StringComparison.Ordinal)
            ? types[0]
            : throw new InvalidOperationException($"{setting.Property}: its choices are neither members of one enum (global::Namespace.Type.Member) nor string literals.");
    }

    // What the entry cannot say is refused here, naming the setting, rather than generating code that would not compile.
    private static void Check(Setting setting)
    {
        bool text = TextKinds.Contains(setting.Kind) || (setting.Kind == SettingKind.OneOf && EnumOf(setting) is null);
        if (setting.RecordDefault is not null && !text)
        {
            throw new InvalidOperationException($"{setting.Property}: {nameof(Setting.RecordDefault)} is for text-valued settings; a {setting.Kind} setting's record default is its DefaultText.");
        }

        if (setting.UnsetIsNull && (!TextKinds.Contains(setting.Kind) || setting.RecordDefaultText.Length > 0))
        {
            throw new InvalidOperationException($"{setting.Property}: {nameof(Setting.UnsetIsNull)} is for text-valued settings without a default.");
        }

        if (setting.Kind is SettingKind.Sources or SettingKind.Tags && setting.DefaultText.Length > 0)
        {
            throw new InvalidOperationException($"{setting.Property}: a {setting.Kind} setting's record default is empty; its DefaultText must be too.");
        }

        // A default that does not parse would throw each time a record is made; fail here instead.
        switch (setting.Kind)
        {
            case SettingKind.Integer:
                _ = setting.IntegerDefault;
                break;
            case SettingKind.Number:
                _ = setting.NumberDefault;
                break;
            case SettingKind.Boolean:
                _ = setting.BooleanDefault;
                break;
        }
    }

    private static string Xml(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
