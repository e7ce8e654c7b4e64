// When the weights to start from are missing, the usual cause is that the experiment which writes them has not run
// yet: init_from points into another experiment's run folder (<experiment>/runs/<name>[/model]). This names that
// experiment and the command that makes the weights. Compiled into the SDK's tasks as well (netstandard2.0), so the
// launch check and the runtime say the same thing.

namespace NanoT5.Runs;

/// <summary>Which experiment makes a missing init_from, in a sentence.</summary>
internal static class InitFromHint
{
    /// <summary>
    /// " It is written by experiment ../default (default.t5proj): run `dotnet build ../default -t:Pretrain` first.",
    /// or a general sentence when the path is not inside an experiment's runs/ folder.
    /// </summary>
    public static string For(string fullPath)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(fullPath).TrimEnd('/', '\\'));
        string child = Path.GetFileName(Path.GetFullPath(fullPath).TrimEnd('/', '\\'));
        while (folder is not null)
        {
            if (string.Equals(Path.GetFileName(folder), "runs", System.StringComparison.Ordinal))
            {
                string experiment = Path.GetDirectoryName(folder)!;
                string? project = Directory.Exists(experiment) ? Directory.GetFiles(experiment, "*.t5proj").OrderBy(p => p, System.StringComparer.Ordinal).FirstOrDefault() : null;
                if (project is not null)
                {
                    string target = File.ReadAllText(project).Contains("<NanoT5Mode>finetune</NanoT5Mode>") ? "Finetune" : "Pretrain";
                    return $" It is the run '{child}' of experiment {experiment} ({Path.GetFileName(project)}), which has not finished yet: " +
                           $"run `dotnet build {experiment} -t:{target}` first.";
                }
            }

            child = Path.GetFileName(folder);
            folder = Path.GetDirectoryName(folder);
        }

        return " Train or download those weights first, or fix the path (relative paths are relative to the project folder).";
    }
}
