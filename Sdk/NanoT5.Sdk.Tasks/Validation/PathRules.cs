// Files and folders an experiment reads must exist at build time (paths are relative to the project folder).
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Validation;

internal static class PathRules
{
    public static IEnumerable<Finding> Check(ExperimentSettings settings, string projectDirectory)
    {
        foreach (Setting setting in SettingTable.All.Where(s => s.MissingPathCode is not null && settings.IsSet(s)))
        {
            DiagnosticDescriptor missing = DiagnosticCodes.All.Single(d => d.Code == setting.MissingPathCode);
            IEnumerable<string> paths = settings[setting].Value switch
            {
                string one => [one],
                IReadOnlyList<string> many => many,
                _ => [],
            };

            foreach (string path in paths.Where(p => SettingParser.IsPath(p) && p.IndexOfAny(['*', '?']) < 0))
            {
                string full = Resolve(projectDirectory, path);
                if (File.Exists(full) || Directory.Exists(full))
                {
                    continue;
                }

                yield return missing == DiagnosticCodes.InitFromMissing
                    ? new Finding(missing, $"{setting.Property}: '{full}' does not exist yet; the run fails unless an earlier run creates it.", setting.Property)
                    : new Finding(missing, $"{setting.Property}: '{full}' does not exist (relative paths are relative to the project folder).", setting.Property);
            }
        }
    }

    /// <summary>An absolute path; relative ones are taken from the project folder.</summary>
    public static string Resolve(string projectDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(projectDirectory, path));
}
