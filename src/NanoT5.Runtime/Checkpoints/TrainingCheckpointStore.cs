// Crash-safe training checkpoints: each is written into a temporary folder (model, optimizer state,
// run state, then a manifest with SHA-256 hashes), flushed, renamed into place, and only then named
// "latest". A half-written checkpoint is never taken for a complete one; resume verifies the hashes
// and falls back to the previous complete checkpoint. The last K are kept. Re-saving a step that exists
// moves the old folder aside before the new one is renamed in, so at every moment a complete copy exists
// under the step's name or beside it; RecoverInterrupted puts it back after a kill between the renames.
// Pruning renames a step out of the step-* names before deleting it, so a kill during the deletion never
// leaves a half-deleted folder under a checkpoint's name.
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoT5.IO;
using NanoT5.Model;
using NanoT5.Optim;
using static TorchSharp.torch;

namespace NanoT5.Checkpoints;

/// <summary>A checkpoint found on disk.</summary>
public sealed record StoredCheckpoint(string Directory, long Step, TrainingState State)
{
    /// <summary>The data source's saved position.</summary>
    public byte[] ReadDataState() => File.ReadAllBytes(Path.Combine(Directory, TrainingCheckpointStore.DataStateName));
}

/// <summary>The checkpoints of one run folder (RunDirectory/checkpoints).</summary>
public sealed class TrainingCheckpointStore(string runDirectory, int keepLast)
{
    /// <summary>The format tag written into every manifest.</summary>
    public const string Format = "nanot5-checkpoint/1";

    private const string ManifestName = "manifest.json";
    private const string TemporarySuffix = ".tmp";
    private const string ReplacedSuffix = ".old";
    private const string PrunedSuffix = ".pruned";
    private const string StateName = "state.json";
    private const string OptimizerName = "optimizer.safetensors";

    /// <summary>The data source's position file inside a checkpoint.</summary>
    public const string DataStateName = "data_state.bin";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>RunDirectory/checkpoints.</summary>
    public string Root { get; } = Path.Combine(runDirectory, RunFolderLayout.CheckpointsDirectory);

    private string LatestPointer => Path.Combine(Root, RunFolderLayout.LatestCheckpointFile);

    /// <summary>Writes a checkpoint for <paramref name="state"/>.Step with the data position <paramref name="dataState"/>; returns its folder.</summary>
    public string Save(T5ForConditionalGeneration model, IOptimizer optimizer, TrainingState state, byte[] dataState)
    {
        string name = StepName(state.Step);
        string final = Path.Combine(Root, name);
        string temporary = Path.Combine(Root, $".{name}.{Guid.NewGuid():N}{TemporarySuffix}");
        string? previous = null;
        try
        {
            RunFolderRecord.BeforeWrite(temporary);
            Directory.CreateDirectory(temporary);
            HfCheckpoint.Save(model, temporary);
            SafeTensorsFile.Save(Path.Combine(temporary, OptimizerName), optimizer.StateTensors(), new Dictionary<string, string>
            {
                ["step_count"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
                ["optimizer"] = optimizer.GetType().Name,
            });
            AtomicFile.WriteAllText(Path.Combine(temporary, StateName), JsonSerializer.Serialize(state, Json));
            AtomicFile.Write(Path.Combine(temporary, DataStateName), stream => stream.Write(dataState));
            WriteManifest(temporary, state.Step);
            if (Directory.Exists(final))
            {
                // A directory cannot be renamed over a non-empty one: the old copy steps aside first.
                previous = Path.Combine(Root, $".{name}.{Guid.NewGuid():N}{ReplacedSuffix}");
                Directory.Move(final, previous);
            }

            // Named in the run's record under their final names before they have them (starting over deletes them).
            foreach (string file in Directory.GetFiles(temporary))
            {
                RunFolderRecord.Record(Path.Combine(final, Path.GetFileName(file)));
            }

            Directory.Move(temporary, final);
            AtomicFile.WriteAllText(LatestPointer, name + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (previous is not null && !Directory.Exists(final))
            {
                Directory.Move(previous, final);
            }

            TryDelete(temporary);
            throw new IOException(
                $"Could not write checkpoint {final}: {e.Message} (disk full or folder not writable?). The previous checkpoint is intact.", e);
        }

        if (previous is not null)
        {
            TryDelete(previous);
        }

        Prune();
        return final;
    }

    /// <summary>
    /// After a kill while a step was being re-saved: renames a complete temporary or set-aside copy back to its step's
    /// name when that name holds no complete checkpoint, and removes every other leftover. Only the run folder's
    /// owner (<see cref="Runs.RunFolderClaim"/>) calls this.
    /// </summary>
    public void RecoverInterrupted(Action<string>? note = null)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        // The new copy (.tmp) before the set-aside old one (.old): both are complete when they verify.
        foreach (string leftover in Directory.GetDirectories(Root, ".step-*").OrderBy(d => d.EndsWith(TemporarySuffix, StringComparison.Ordinal) ? 0 : 1).ThenBy(d => d, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(leftover)[1..];
            name = name[..Math.Max(0, name.IndexOf('.', StringComparison.Ordinal))];
            string final = Path.Combine(Root, name);
            bool replacement = leftover.EndsWith(TemporarySuffix, StringComparison.Ordinal) || leftover.EndsWith(ReplacedSuffix, StringComparison.Ordinal);
            if (replacement && name.StartsWith("step-", StringComparison.Ordinal) && Verify(leftover) is null && (!Directory.Exists(final) || Verify(final) is not null))
            {
                TryDelete(final);
                Directory.Move(leftover, final);
                note?.Invoke($"recovered the complete checkpoint {final} from {Path.GetFileName(leftover)} (a process was stopped while replacing it)");
            }
            else
            {
                TryDelete(leftover);
            }
        }
    }

    /// <summary>
    /// The newest complete checkpoint whose hashes verify, or null when there is none. Damaged ones are
    /// reported through <paramref name="warn"/> and skipped.
    /// </summary>
    public StoredCheckpoint? FindLatest(Action<string>? warn = null)
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }

        foreach (string directory in Complete().OrderByDescending(d => d.Step).Select(d => d.Directory))
        {
            string? problem = Verify(directory);
            if (problem is null)
            {
                var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(Path.Combine(directory, StateName)), Json)!;
                return new StoredCheckpoint(directory, state.Step, state);
            }

            warn?.Invoke($"checkpoint {directory} is damaged ({problem}); trying an older one");
        }

        return null;
    }

    /// <summary>Loads weights and optimizer state of <paramref name="checkpoint"/> into the given objects.</summary>
    public static void Restore(StoredCheckpoint checkpoint, T5ForConditionalGeneration model, IOptimizer optimizer)
    {
        HfCheckpoint.LoadWeights(model, checkpoint.Directory);
        string optimizerFile = Path.Combine(checkpoint.Directory, OptimizerName);
        var (_, metadata, _) = SafeTensorsFile.ReadHeader(optimizerFile);
        var tensors = SafeTensorsFile.Load(optimizerFile).ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        try
        {
            long stepCount = long.Parse(metadata["step_count"], CultureInfo.InvariantCulture);
            optimizer.LoadState(tensors, stepCount, optimizerFile);
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The problem with a checkpoint folder, or null when every file matches its manifest.</summary>
    public static string? Verify(string directory)
    {
        string manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath))
        {
            return "no manifest: it was never completed";
        }

        // A FIFO planted in a checkpoint (an init_from run folder is anyone's) would block the read forever.
        if (!Native.FileKind.IsRegularFile(manifestPath))
        {
            return $"{ManifestName} is not a regular file";
        }

        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return $"unreadable manifest: {e.Message}";
        }

        if (manifest["format"]?.GetValue<string>() != Format || manifest["files"] is not JsonObject files)
        {
            return "manifest of an unknown format";
        }

        foreach (var (file, entry) in files)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                return $"{file} is missing";
            }

            if (!Native.FileKind.IsRegularFile(path))
            {
                return $"{file} is not a regular file";
            }

            if (new FileInfo(path).Length != entry!["bytes"]!.GetValue<long>())
            {
                return $"{file} has the wrong size";
            }

            if (Sha256(path) != entry["sha256"]!.GetValue<string>())
            {
                return $"{file} does not match its SHA-256";
            }
        }

        return null;
    }

    private static void WriteManifest(string directory, long step)
    {
        var files = new JsonObject();
        foreach (string path in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            files[Path.GetFileName(path)] = new JsonObject { ["bytes"] = new FileInfo(path).Length, ["sha256"] = Sha256(path) };
        }

        var manifest = new JsonObject { ["format"] = Format, ["step"] = step, ["files"] = files };
        AtomicFile.WriteAllText(Path.Combine(directory, ManifestName), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private IEnumerable<(string Directory, long Step)> Complete() =>
        Directory.GetDirectories(Root, "step-*")
            .Select(d => (Directory: d, Step: long.TryParse(Path.GetFileName(d)["step-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : -1))
            .Where(d => d.Step >= 0);

    private void Prune()
    {
        foreach (var (directory, _) in Complete().OrderByDescending(d => d.Step).Skip(Math.Max(1, keepLast)))
        {
            // Out of the step-* names first (one rename), then deleted: a kill mid-delete leaves only a leftover.
            string pruned = Path.Combine(Root, $".{Path.GetFileName(directory)}.{Guid.NewGuid():N}{PrunedSuffix}");
            try
            {
                Directory.Move(directory, pruned);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            TryDelete(pruned);
        }

        foreach (string stale in Directory.GetDirectories(Root, ".step-*"))
        {
            TryDelete(stale);
        }
    }

    private static string StepName(long step) => $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}";

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next prune; a temporary or old folder is never mistaken for the latest checkpoint.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
