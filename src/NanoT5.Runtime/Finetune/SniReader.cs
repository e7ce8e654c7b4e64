// Reads the natural-instructions layout as nanoT5's ni_dataset.py does: <root>/splits/<split>/{train,test}_tasks.txt
// name the tasks, <root>/tasks/<task>.json hold them. Train tasks: all instances, shuffled, the first N kept.
// Test tasks: the first 100 instances (the repository puts 100 label-balanced ones first), shuffled, the first N kept.
// Every folder and file is checked before any task is parsed, so a bad path fails before training.
using NanoT5.Config;
using NanoT5.Finetune.Demo;

namespace NanoT5.Finetune;

/// <summary>Loads the train and test splits of a Super-Natural Instructions folder.</summary>
public static class SniReader
{
    /// <summary><see cref="FinetuneSettings.DataDirectory"/> value that selects the generated demo task set.</summary>
    public const string BuiltinDemo = "builtin:demo";

    /// <summary>Instances of a test task the reference evaluates at most (natural-instructions puts them first).</summary>
    public const int TestInstancesPerTask = 100;

    /// <summary>
    /// Loads the data <paramref name="settings"/> name. <c>builtin:demo</c> is generated on first use under
    /// <paramref name="runDirectory"/>/data/sni-demo. <paramref name="seed"/> drives the instance selection.
    /// </summary>
    public static SniData Load(FinetuneSettings settings, int seed, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Read(ResolveRoot(settings, runDirectory), settings.Split, settings.MaxInstancesPerTask, seed, settings.StrictData);
    }

    /// <summary>The natural-instructions root <paramref name="settings"/> name, generating the demo set if that is the one.</summary>
    public static string ResolveRoot(FinetuneSettings settings, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? directory = settings.DataDirectory;
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException("finetune.data_directory is not set: name a natural-instructions folder (with splits/ and tasks/) or builtin:demo.");
        }

        if (string.Equals(directory, BuiltinDemo, StringComparison.OrdinalIgnoreCase))
        {
            return SniDemoData.Ensure(Path.Combine(runDirectory, "data", "sni-demo"));
        }

        if (directory.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"finetune.data_directory: unknown built-in data set '{directory}' (known: {BuiltinDemo}).");
        }

        return Path.GetFullPath(directory);
    }

    /// <summary>Reads split <paramref name="split"/> of the folder <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The root, its splits/&lt;split&gt; or its tasks folder is missing.</exception>
    /// <exception cref="FileNotFoundException">A split list or a task file it names is missing.</exception>
    /// <exception cref="InvalidDataException">A task file is malformed (the message names the file and field).</exception>
    public static SniData Read(string root, string split, int maxInstancesPerTask, int seed, bool strict) =>
        Read(root, split, maxInstancesPerTask, seed, strict, skippedTasks: null);

    /// <summary>
    /// Reads split <paramref name="split"/> of the folder <paramref name="root"/>. With <paramref name="skippedTasks"/>
    /// a missing or malformed task file is left out and recorded there (the other tasks draw their instances as if it
    /// were not listed) instead of stopping the read: what a check of the whole split wants.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The root, its splits/&lt;split&gt; or its tasks folder is missing.</exception>
    /// <exception cref="FileNotFoundException">A split list is missing, or (without <paramref name="skippedTasks"/>) a task file it names.</exception>
    /// <exception cref="InvalidDataException">A task file is malformed and <paramref name="skippedTasks"/> is null.</exception>
    public static SniData Read(string root, string split, int maxInstancesPerTask, int seed, bool strict, ICollection<SniSkippedTask>? skippedTasks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInstancesPerTask);
        string splitFolder = Path.Combine(root, "splits", split);
        string tasksFolder = Path.Combine(root, "tasks");
        RequireFolder(root, "the natural-instructions folder (finetune.data_directory)");
        RequireFolder(splitFolder, $"split '{split}' (finetune.split)");
        RequireFolder(tasksFolder, "the tasks folder");
        IReadOnlyList<string> trainNames = ReadTaskList(Path.Combine(splitFolder, "train_tasks.txt"));
        IReadOnlyList<string> testNames = ReadTaskList(Path.Combine(splitFolder, "test_tasks.txt"));
        if (skippedTasks is null)
        {
            RequireTaskFiles(tasksFolder, trainNames.Concat(testNames));
        }

        var log = new ReadLog(strict, skippedTasks);
        SniSplit train = ReadSplit("train", tasksFolder, trainNames, null, maxInstancesPerTask, new Random(seed), log);
        SniSplit test = ReadSplit("test", tasksFolder, testNames, TestInstancesPerTask, maxInstancesPerTask, new Random(unchecked(seed + 1)), log);
        List<string> warnings = [.. log.Problems, .. log.FileWarnings];
        warnings.AddRange(train.Tasks.Concat(test.Tasks).Where(t => t.Instances.Count == 0)
            .Select(t => $"{Path.Combine(tasksFolder, t.Name + ".json")}: the task has no usable instance."));
        return new SniData(root, train, test, log.Problems.Count, warnings);
    }

    private static SniSplit ReadSplit(
        string name, string tasksFolder, IReadOnlyList<string> taskNames, int? firstInstances, int maxInstances, Random random, ReadLog log)
    {
        var tasks = new List<SniTask>();
        var items = new List<SniItem>();
        // Files are parsed a batch at a time on all cores; the shuffles then run in list order on the one seeded
        // generator, so the instances drawn are those of a file-by-file read, and at most a batch is held whole.
        foreach (string[] batch in Batches(tasksFolder, taskNames))
        {
            var outcomes = new TaskOutcome[batch.Length];
            Parallel.For(0, batch.Length, i => outcomes[i] = Parse(name, Path.Combine(tasksFolder, batch[i] + ".json"), batch[i], firstInstances, log.Strict));
            foreach (TaskOutcome outcome in outcomes)
            {
                if (outcome.Error is not null)
                {
                    if (log.SkippedTasks is null || outcome.Error is not (InvalidDataException or IOException or UnauthorizedAccessException))
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(outcome.Error).Throw();
                    }

                    log.SkippedTasks.Add(new SniSkippedTask(name, outcome.Name, outcome.Error.Message));
                    continue;
                }

                log.Problems.AddRange(outcome.Problems);
                log.FileWarnings.AddRange(outcome.Warnings);
                SniInstance[] instances = [.. outcome.Task!.Instances];
                Shuffle(instances, random);
                SniTask task = outcome.Task with { Instances = instances.Take(maxInstances).ToArray() };
                tasks.Add(task);
                items.AddRange(task.Instances.Select(instance => new SniItem(task, instance)));
            }
        }

        return new SniSplit(name, tasks, items);
    }

    // Up to one task per core and about a gigabyte of task files at a time (the largest SNI files are hundreds of MB).
    private static IEnumerable<string[]> Batches(string tasksFolder, IReadOnlyList<string> taskNames)
    {
        const long MaxBatchBytes = 1L << 30;
        var batch = new List<string>();
        long bytes = 0;
        foreach (string taskName in taskNames)
        {
            var file = new FileInfo(Path.Combine(tasksFolder, taskName + ".json"));
            long size = file.Exists ? file.Length : 0;
            if (batch.Count > 0 && (batch.Count == Environment.ProcessorCount || bytes + size > MaxBatchBytes))
            {
                yield return [.. batch];
                batch.Clear();
                bytes = 0;
            }

            batch.Add(taskName);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    // A failed file leaves no half-read instance problems behind: its lists are kept only when it was read.
    private static TaskOutcome Parse(string split, string path, string taskName, int? firstInstances, bool strict)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        try
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path}: the task file named by the {split} split list does not exist.", path);
            }

            return new TaskOutcome(taskName, SniTaskFile.Read(path, taskName, firstInstances, strict, problems, warnings), problems, warnings, null);
        }
        catch (Exception e)
        {
            return new TaskOutcome(taskName, null, problems, warnings, e);
        }
    }

    /// <summary>Fisher-Yates from the back, as Python's random.shuffle runs it.</summary>
    internal static void Shuffle<T>(IList<T> list, Random random)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static IReadOnlyList<string> ReadTaskList(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: split list not found (expected one task name per line).", path);
        }

        // ni_dataset.py strips each line; blank lines name no task.
        string[] names = File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        return names.Length > 0 ? names : throw new InvalidDataException($"{path}: the split lists no task.");
    }

    private static void RequireFolder(string path, string what)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{path}: {what} does not exist.");
        }
    }

    private static void RequireTaskFiles(string tasksFolder, IEnumerable<string> names)
    {
        string[] missing = names.Distinct(StringComparer.Ordinal)
            .Select(name => Path.Combine(tasksFolder, name + ".json"))
            .Where(path => !File.Exists(path))
            .ToArray();
        if (missing.Length > 0)
        {
            string shown = string.Join(", ", missing.Take(5)) + (missing.Length > 5 ? $" and {missing.Length - 5} more" : string.Empty);
            throw new FileNotFoundException($"{missing.Length} task file(s) named by the split lists are missing: {shown}.", missing[0]);
        }
    }

    private sealed record TaskOutcome(string Name, SniTask? Task, List<string> Problems, List<string> Warnings, Exception? Error);

    // What a read collects besides the tasks: skipped instances, per-file warnings and (for a check) skipped tasks.
    private sealed record ReadLog(bool Strict, ICollection<SniSkippedTask>? SkippedTasks)
    {
        public List<string> Problems { get; } = [];

        public List<string> FileWarnings { get; } = [];
    }
}
