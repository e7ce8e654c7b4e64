// A run folder is one experiment: resuming it with other hyperparameters would mix two runs (AdamWScale state
// loaded into AdamW, a batch plan of another size). The folder's config.resolved.json (written at every start)
// is compared with the config now, setting by setting; only what does not change the trained model may differ.
// The tokenizer file and the training data are compared too (RunInputs): same names, other bytes is another run.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.IO;

namespace NanoT5.Runs;

/// <summary>Which settings a resumed run may change, and the refusal when others changed.</summary>
public static class RunIdentity
{
    /// <summary>
    /// JSON paths of config.resolved.json that may differ when a run resumes: where it runs and what it writes
    /// (device, threads, logging, evaluation, checkpoints, tracker), where files live (the data fingerprint
    /// guards the pretraining stream itself), and the run's name. Everything else is the experiment.
    /// </summary>
    public static readonly IReadOnlyList<string> MayChangeOnResume =
    [
        "name", "run_directory", "device", "threads",
        "data.train_sources", "data.validation_sources", "data.workers", "data.max_bad_data_fraction", "data.http_retries",
        "finetune.data_directory", "finetune.strict_data",
        "eval", "logging", "checkpoint", "tracker", "export",
    ];

    /// <summary>May only grow on resume (extending a run); lowering them would end a run before its checkpoints.</summary>
    public static readonly IReadOnlyList<string> MayGrowOnResume = ["optim.total_steps", "optim.epochs"];

    /// <summary>The file a refusal writes the complete list of differences into.</summary>
    public const string RefusalFile = RunFolderLayout.ResumeRefusalFile;

    private const int ShownChanges = 4;
    private const int ShownValueLength = 32;

    /// <summary>Settings of <paramref name="now"/> that differ from <paramref name="saved"/> and may not, as "path: old -> new".</summary>
    public static IReadOnlyList<SettingChange> Compare(ExperimentConfig saved, ExperimentConfig now)
    {
        var before = Flatten(JsonNode.Parse(ExperimentConfigJson.Serialize(saved))!);
        var after = Flatten(JsonNode.Parse(ExperimentConfigJson.Serialize(now))!);
        var changes = new List<SettingChange>();
        foreach (string path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            string old = before.GetValueOrDefault(path, "(unset)");
            string @new = after.GetValueOrDefault(path, "(unset)");
            if (old == @new || MayChange(path) || (MayGrowOnResume.Contains(path) && Grows(old, @new)))
            {
                continue;
            }

            changes.Add(new SettingChange(path, old, @new));
        }

        return changes;
    }

    /// <summary>
    /// Throws when the run folder of <paramref name="config"/> holds a run (<paramref name="latest"/>) started with
    /// settings that may not change, or with another tokenizer or training data (<see cref="RunInputs"/>). What a
    /// folder does not hold (config.resolved.json, inputs.json of older runs) is not checked.
    /// </summary>
    public static void EnsureResumable(ExperimentConfig config, StoredCheckpoint latest)
    {
        string runDirectory = Path.GetFullPath(config.RunDirectory);
        string savedFile = Path.Combine(runDirectory, RunFolderLayout.ConfigFile);
        var changes = new List<SettingChange>();
        if (File.Exists(savedFile))
        {
            changes.AddRange(Compare(ExperimentConfigJson.Load(savedFile), config));
        }

        if (RunInputs.Load(runDirectory) is IReadOnlyList<InputFile> inputs)
        {
            changes.AddRange(RunInputs.Compare(inputs, RunInputs.Of(config)));
        }

        if (changes.Count == 0)
        {
            return;
        }

        string listFile = Path.Combine(runDirectory, RefusalFile);
        AtomicFile.WriteAllText(listFile, string.Concat(changes.Select(c => $"{c.Path}: {c.Old} -> {c.New}\n")));
        throw new InvalidDataException(Refusal(config, latest.Step, changes, listFile));
    }

    /// <summary>
    /// Throws when the run folder of <paramref name="config"/> holds an earlier start (config.resolved.json) without a
    /// checkpoint whose model settings (model.init_from, model.config_path, ...) differ: nothing would resume, but the
    /// run's record (summary.json's starts, metrics.jsonl, the tracker's run) would go on with another model.
    /// </summary>
    public static void EnsureSameModel(ExperimentConfig config)
    {
        string runDirectory = Path.GetFullPath(config.RunDirectory);
        string savedFile = Path.Combine(runDirectory, RunFolderLayout.ConfigFile);
        if (!File.Exists(savedFile))
        {
            return;
        }

        SettingChange[] changes = [.. Compare(ExperimentConfigJson.Load(savedFile), config).Where(c => c.Path.StartsWith("model.", StringComparison.Ordinal))];
        if (changes.Length == 0)
        {
            return;
        }

        string listFile = Path.Combine(runDirectory, RefusalFile);
        AtomicFile.WriteAllText(listFile, string.Concat(changes.Select(c => $"{c.Path}: {c.Old} -> {c.New}\n")));
        throw new InvalidDataException(Refusal(config, null, changes, listFile));
    }

    /// <summary>Keeps the fingerprints of the inputs this run starts with (the next resume compares them).</summary>
    public static void SaveInputs(ExperimentConfig config) => RunInputs.Save(config);

    /// <summary>The short refusal (<paramref name="step"/>: the checkpoint's, null when there is none): the changed settings (a few, values cut), then the two ways on.</summary>
    public static string Refusal(ExperimentConfig config, long? step, IReadOnlyList<SettingChange> changes, string listFile)
    {
        var text = new StringBuilder();
        text.Append(step is long at
            ? string.Create(CultureInfo.InvariantCulture, $"{config.RunDirectory} holds run '{config.Name}' (checkpoint at step {at}) trained with other settings or inputs: ")
            : $"{config.RunDirectory} holds run '{config.Name}' (started before, no checkpoint yet) with another model: ");
        text.Append(string.Join(", ", changes.Take(ShownChanges).Select(c => $"{c.Path} {Cut(c.Old)} -> {Cut(c.New)}")));
        if (changes.Count > ShownChanges)
        {
            text.Append(CultureInfo.InvariantCulture, $" and {changes.Count - ShownChanges} more");
        }

        text.Append(CultureInfo.InvariantCulture, $" (all in {listFile}). Resuming would mix two experiments. ");
        text.Append("Either give this one its own run (another NanoT5Name, e.g. -p:NanoT5Name=" + config.Name + "-2) ");
        text.Append("or start this run over (NanoT5Resume=false: its checkpoints, metrics and model are deleted).");
        return text.ToString();
    }

    private static bool MayChange(string path) =>
        MayChangeOnResume.Any(p => path == p || path.StartsWith(p + ".", StringComparison.Ordinal) || path.StartsWith(p + "[", StringComparison.Ordinal));

    private static bool Grows(string old, string @new) =>
        double.TryParse(old, NumberStyles.Float, CultureInfo.InvariantCulture, out double a) &&
        double.TryParse(@new, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b >= a;

    private static string Cut(string value) => value.Length <= ShownValueLength ? value : value[..(ShownValueLength - 1)] + "…";

    // Leaves of the JSON tree by dotted path; arrays are one value (their JSON text).
    private static Dictionary<string, string> Flatten(JsonNode node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? value, string path)
        {
            if (value is JsonObject obj)
            {
                foreach ((string key, JsonNode? child) in obj)
                {
                    Walk(child, path.Length == 0 ? key : path + "." + key);
                }

                if (obj.Count == 0)
                {
                    leaves[path] = "{}";
                }
            }
            else
            {
                leaves[path] = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "null";
            }
        }

        Walk(node, string.Empty);
        return leaves;
    }
}

/// <summary>A setting of a run that differs between the run folder's config and the config now.</summary>
public sealed record SettingChange(string Path, string Old, string New);
