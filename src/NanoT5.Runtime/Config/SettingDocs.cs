// The files that list the settings, generated from SettingTable so they cannot drift: Sdk/NanoT5.Settings.targets
// and the typed records' setting properties under src/NanoT5.Runtime/Config/Generated/ (SettingCode) whole, and
// between markers Sdk/README.md's property tables and the settings tables of docs/data.md, docs/finetuning.md,
// docs/tracking.md and docs/onnx.md. `settings --write` rewrites them; a test regenerates them in memory and compares
// them with the committed files.
using System.Text;
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Generates the setting lists of the SDK and the docs from <see cref="SettingTable"/>.</summary>
public static class SettingDocs
{
    /// <summary>What to run after changing the table.</summary>
    public const string WriteCommand = "dotnet run --project src/NanoT5.Runtime -c Release -- settings --write";

    /// <summary>The note in every generated file (XML and HTML comments cannot hold "--", so not the command itself).</summary>
    public const string Generated = "generated from src/NanoT5.Runtime/Config/Settings/SettingTable.cs by the runtime's settings verb; do not edit";

    /// <summary>Every generated file (path relative to the repository root) and how its text is made from the committed one.</summary>
    public static IReadOnlyList<(string Path, Func<string, string> Regenerate)> Files { get; } =
    [
        ("Sdk/NanoT5.Settings.targets", _ => Targets()),
        ("Sdk/README.md", text => Between(text, "Sdk/README.md", "properties", ReadmeTables())),
        ("docs/data.md", text => Between(text, "docs/data.md", "data", ConfigTable("Data"))),
        ("docs/finetuning.md", text => Between(Between(text, "docs/finetuning.md", "finetune", ConfigTable("Finetune")), "docs/finetuning.md", "finetune-defaults", FinetuneDefaults())),
        ("docs/tracking.md", text => Between(text, "docs/tracking.md", "tracker", ConfigTable("Tracker"))),
        ("docs/onnx.md", text => Between(text, "docs/onnx.md", "export", ConfigTable("Export"))),
        .. SettingCode.Files(SettingTable.Entries).Select(f => (f.Path, (Func<string, string>)(_ => f.Text))),
    ];

    /// <summary>The files under <paramref name="repositoryRoot"/> whose committed text differs from the generated one, with the generated text.</summary>
    public static IReadOnlyList<(string Path, string Generated)> Stale(string repositoryRoot) =>
        Files.Select(f => (f.Path, Text: Committed(System.IO.Path.Combine(repositoryRoot, f.Path))))
            .Select(f => (f.Path, Committed: f.Text, Generated: Regenerate(f.Path, f.Text)))
            .Where(f => f.Committed != f.Generated)
            .Select(f => (f.Path, f.Generated))
            .ToList();

    /// <summary>The generated text of the file at <paramref name="path"/> whose current text is <paramref name="committed"/>.</summary>
    public static string Regenerate(string path, string committed) => Files.Single(f => f.Path == path).Regenerate(committed);

    /// <summary>Sdk/NanoT5.Settings.targets: every property handed to the SDK's tasks as an item.</summary>
    public static string Targets()
    {
        var text = new StringBuilder()
            .Append("<Project>\n")
            .Append($"  <!-- Every NanoT5 property, handed to the tasks as items; {Generated}. -->\n")
            .Append("  <Target Name=\"_NanoT5CollectSettings\">\n")
            .Append("    <ItemGroup>\n")
            .Append("      <_NanoT5Setting Remove=\"@(_NanoT5Setting)\" />\n");
        foreach (Setting setting in SettingTable.All)
        {
            text.Append($"      <_NanoT5Setting Include=\"{setting.Property}\" Value=\"$({setting.Property})\" />\n");
        }

        return text.Append("    </ItemGroup>\n").Append("  </Target>\n").Append("</Project>\n").ToString();
    }

    /// <summary>Sdk/README.md's tables: one per section, every property with its default, meaning and config path.</summary>
    public static string ReadmeTables()
    {
        var text = new StringBuilder();
        foreach ((string? group, string title, _) in SettingSection.All)
        {
            text.Append($"### {title}\n\n| Property | Default | Meaning | ExperimentConfig |\n| --- | --- | --- | --- |\n");
            foreach (Setting s in SettingTable.All.Where(s => Group(s) == group))
            {
                string fallback = s.DefaultText.Length == 0 ? "(unset)" : $"`{s.DefaultText}`";
                text.Append($"| `{s.Property}` | {fallback} | {s.Meaning}{Finetune(s)} | {(s.ConfigPath is null ? "—" : $"`{s.ConfigPath}`")} |\n");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A docs table of one config section (data, finetune, tracker), named as the JSON config names them.</summary>
    public static string ConfigTable(string group)
    {
        var text = new StringBuilder("| setting | default | meaning | property |\n| --- | --- | --- | --- |\n");
        foreach (Setting s in SettingTable.All.Where(s => Group(s) == group))
        {
            string key = ConfigSettingValues.Key(s);
            string fallback = s.DefaultText.Length == 0 ? "—" : $"`{s.DefaultText}`";
            text.Append($"| `{key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..]}` | {fallback} | {s.Meaning}{Finetune(s)} | `{s.Property}` |\n");
        }

        return text.ToString();
    }

    /// <summary>docs/finetuning.md: the settings whose default differs when a run uses fine-tuning data.</summary>
    public static string FinetuneDefaults()
    {
        var text = new StringBuilder("| setting | pretraining | fine-tuning (nanoT5's task/ft.yaml) | property |\n| --- | --- | --- | --- |\n");
        foreach (Setting s in SettingTable.All.Where(s => s.FinetuneDefault is not null))
        {
            text.Append($"| `{ConfigSettingValues.Key(s)}` | `{s.DefaultText}` | `{s.FinetuneDefault}` | `{s.Property}` |\n");
        }

        return text.ToString();
    }

    // Replaces what lies between <!-- settings:NAME --> and <!-- /settings:NAME --> (each on a line of its own).
    private static string Between(string text, string path, string name, string body)
    {
        string begin = $"<!-- settings:{name}: {Generated} -->\n";
        string end = $"<!-- /settings:{name} -->\n";
        int start = text.IndexOf(begin, StringComparison.Ordinal);
        int stop = start < 0 ? -1 : text.IndexOf(end, start, StringComparison.Ordinal);
        if (start < 0 || stop < 0)
        {
            throw new InvalidDataException($"{path}: the markers of the generated table '{name}' are missing; put the lines{Environment.NewLine}{begin}{end}where the table goes.");
        }

        return text[..(start + begin.Length)] + body + text[stop..];
    }

    private static string? Group(Setting s) => SettingSection.GroupOf(s);

    // A generated file not written yet (a new section's record) is stale, and --write creates it.
    private static string Committed(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static string Finetune(Setting s) => s.FinetuneDefault is null ? string.Empty : $" (fine-tuning: `{s.FinetuneDefault}`)";
}
