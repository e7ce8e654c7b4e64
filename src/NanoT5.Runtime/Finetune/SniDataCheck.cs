// `finetune --check-data`: reads both task lists of a natural-instructions checkout exactly as a run would (same
// seed, caps, strictness and tokenizer), builds every prompt and tokenizes every reference, and says what a run
// would see: counts, the tasks and instances it could not use and why, and how many prompts and references are
// longer than finetune.max_source_length / max_target_length. Nothing is trained; no model is loaded.
using System.Collections.Concurrent;
using NanoT5.Config;
using NanoT5.Data;

namespace NanoT5.Finetune;

/// <summary>Checks a natural-instructions folder against an experiment's fine-tuning settings.</summary>
public static class SniDataCheck
{
    /// <summary>Lines of a list shown before "and N more".</summary>
    public const int ShownLines = 20;

    /// <summary>
    /// Reads split <see cref="FinetuneSettings.Split"/> of <paramref name="root"/> as a run with <paramref name="seed"/>
    /// would, leaving out (and recording) task files that a run would stop at, and measures every prompt and reference
    /// with <paramref name="tokenizer"/> (the one the collator uses).
    /// </summary>
    public static SniDataCheckReport Run(string root, FinetuneSettings settings, int seed, ITextTokenizer tokenizer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(time);
        long started = time.GetTimestamp();
        var skippedTasks = new List<SniSkippedTask>();
        SniData data = SniReader.Read(root, settings.Split, settings.MaxInstancesPerTask, seed, settings.StrictData, skippedTasks);
        TimeSpan reading = time.GetElapsedTime(started);
        var builder = new SniPromptBuilder(tokenizer, settings);
        SniItem[] items = [.. data.Train.Items, .. data.Test.Items];
        var prompts = new int[items.Length];
        var targets = new (int Longest, int Over, int Count)[items.Length];
        // Tokenizing ~90,000 prompts of the official split is the whole cost: spread it over the cores.
        Parallel.ForEach(Partitioner.Create(0, items.Length), range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                prompts[i] = builder.Build(items[i]).Tokens;
                int[] lengths = items[i].Instance.Outputs.Select(o => tokenizer.Encode(o).Count + 1).ToArray();
                targets[i] = (lengths.Max(), lengths.Count(l => l > settings.MaxTargetLength), lengths.Length);
            }
        });

        int longestPrompt = IndexOfMax(prompts);
        int longestTarget = IndexOfMax(targets.Select(t => t.Longest).ToArray());
        return new SniDataCheckReport(
            data,
            settings,
            skippedTasks,
            new SniLengths(items.Length, longestPrompt < 0 ? 0 : prompts[longestPrompt], longestPrompt < 0 ? null : items[longestPrompt], prompts.Count(p => p > settings.MaxSourceLength)),
            new SniLengths(targets.Sum(t => t.Count), longestTarget < 0 ? 0 : targets[longestTarget].Longest, longestTarget < 0 ? null : items[longestTarget], targets.Sum(t => t.Over)),
            reading,
            time.GetElapsedTime(started));
    }

    // The first index of the largest value (-1 for none), so ties name the earliest instance.
    private static int IndexOfMax(int[] values)
    {
        int best = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (best < 0 || values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
