// `settings [--write]`: the files generated from the settings table (Sdk/NanoT5.Settings.targets, the README's and
// the docs' tables, the typed records' setting properties) checked against it, or rewritten from it.
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>The settings verb.</summary>
public static class SettingsCommand
{
    public static Command Create()
    {
        var write = new Option<bool>("--write") { Description = "Rewrite the generated files instead of only checking them." };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Repository root (default: the nearest folder above the current one holding NanoT5.sln)." };
        var command = new Command("settings", "Check (or with --write rewrite) the SDK's and the docs' setting lists and the config records' setting properties generated from the runtime's settings table.") { write, root };
        command.SetAction(parse => Run(parse.GetValue(root)?.FullName ?? FindRoot(), parse.GetValue(write)));
        return command;
    }

    private static int Run(string root, bool write)
    {
        IReadOnlyList<(string Path, string Generated)> stale = SettingDocs.Stale(root);
        foreach ((string path, string generated) in stale)
        {
            if (write)
            {
                string file = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, generated);
            }

            Console.WriteLine(write ? $"wrote {path}" : $"stale: {path} (run `{SettingDocs.WriteCommand}`)");
        }

        Console.WriteLine($"{SettingDocs.Files.Count - stale.Count} of {SettingDocs.Files.Count} generated files up to date");
        return write || stale.Count == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NanoT5.sln")))
            {
                return folder.FullName;
            }
        }

        throw new ArgumentException("settings: no NanoT5.sln in the current folder or above it; pass --root.");
    }
}
