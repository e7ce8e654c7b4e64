// A run folder is one experiment: resuming it with other hyperparameters would mix two runs (AdamWScale state
// loaded into AdamW, a batch plan of another size). The folder's config.resolved.json (written at every start)
// is compared with the config now, setting by setting; only what does not change the trained model may differ: each
// setting's OnResume in the settings table says which (fixed, may change, may grow), nothing here lists them.
// The tokenizer file and the training data are compared too (RunInputs): same names, other bytes is another run.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.IO;

namespace NanoT5.Runs;

/// <summary>Whether a resumed run changed settings it may not (their OnResume), and the refusal when it did.</summary>
public static class RunIdentity
{
    /// <summary>The file a refusal writes the complete list of differences into.</summary>
    public const string RefusalFile = RunFolderLayout.ResumeRefusalFile;

    private const int ShownChanges = 4;
    private const int ShownValueLength = 32;

    /// <summary>Settings of <paramref name="now"/> that differ from <paramref name="saved"/> and may not, as "path: old -> new".</summary>
    public static IReadOnlyList<SettingChange> Compare(ExperimentConfig saved, ExperimentConfig now) =>
        Compare(JsonNode.Parse(ExperimentConfigJson.Serialize(saved))!, JsonNode.Parse(ExperimentConfigJson.Serialize(now))!, SettingTable.All);

    /// <summary>
    /// The JSON leaves of <paramref name="now"/> that differ from <paramref name="saved"/> and may not: each leaf is
    /// treated as the OnResume of the setting of <paramref name="settings"/> it belongs to (its JSON path, or a path
    /// under it: a tag, a list entry); a leaf that belongs to no setting may not change.
    /// </summary>
    public static IReadOnlyList<SettingChange> Compare(JsonNode saved, JsonNode now, IReadOnlyList<Setting> settings)
    {
        var before = Flatten(saved);
        var after = Flatten(now);
        var policies = settings.Where(s => s.ConfigPath is not null).ToDictionary(ConfigSettingValues.Key, s => s.OnResume, StringComparer.Ordinal);
        var changes = new List<SettingChange>();
        foreach (string path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            string old = before.GetValueOrDefault(path, "(unset)");
            string @new = after.GetValueOrDefault(path, "(unset)");
            ResumePolicy policy = PolicyOf(path, policies);
            if (old == @new || policy == ResumePolicy.MayChange || (policy == ResumePolicy.MayGrow && Grows(old, @new)))
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

    // The policy of the setting a JSON leaf belongs to: its own path, or the longest setting path above it (tracker.tags.team).
    private static ResumePolicy PolicyOf(string path, Dictionary<string, ResumePolicy> policies)
    {
        for (string at = path; ; at = at[..at.LastIndexOfAny(['.', '['])])
        {
            if (policies.TryGetValue(at, out ResumePolicy policy))
            {
                return policy;
            }

            if (at.LastIndexOfAny(['.', '[']) <= 0)
            {
                return ResumePolicy.Fixed;
            }
        }
    }

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
