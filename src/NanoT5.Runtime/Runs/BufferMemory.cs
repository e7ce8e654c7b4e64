// The model is not all a run holds: the data pipeline keeps a shuffle buffer of rows, chunks of documents in flight
// per worker, and the batch tensors; the CPU runs an OpenMP thread per `threads`. Set to 2^31-1, each of these used
// to end in an OverflowException, an out-of-memory abort, or libgomp reserving hundreds of GB. Their sizes follow
// from the settings, so they are checked, like the model (ModelMemory), against what this machine can hold before
// anything is allocated; the message names the settings and what each needs.
using System.Globalization;
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.Data.SpanCorruption;

namespace NanoT5.Runs;

/// <summary>Memory of a run's data buffers and threads, checked against the machine.</summary>
public static class BufferMemory
{
    /// <summary>The least a document costs while its chunk waits: its string, the reference to it and one token id.</summary>
    public const int MinimumBytesPerDocument = 64;

    /// <summary>A buffered row: an int array (ids) with its object header.</summary>
    private const int RowOverheadBytes = 32;

    /// <summary>The int64 tensors of a batch per token: input ids, attention mask, labels, decoder input ids.</summary>
    private const int BatchBytesPerToken = 4 * sizeof(long);

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming the settings when the buffers <paramref name="config"/> asks
    /// for need more memory than is available, or when threads or data workers exceed the threads this machine allows.
    /// </summary>
    public static void EnsureFits(ExperimentConfig config)
    {
        long threadLimit = ThreadLimit();
        foreach ((Setting setting, int value) in new[] { (SettingTable.Threads, config.Threads), (SettingTable.DataWorkers, config.Data.Workers) })
        {
            if (value > threadLimit)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{Key(setting)} is {value:N0}, more than the {threadLimit:N0} threads this machine allows (/proc/sys/kernel/threads-max); " +
                    $"use at most the number of cores ({Environment.ProcessorCount}), or 0 for one per core."));
            }
        }

        IReadOnlyList<(string What, double Bytes)> parts = Parts(config);
        double total = parts.Sum(p => p.Bytes);
        long available = ModelMemory.AvailableBytes();
        if (total > available)
        {
            string each = string.Join("; ", parts.OrderByDescending(p => p.Bytes).Select(p => $"{p.What} ({Size(p.Bytes)})"));
            throw new InvalidDataException($"the data buffers need about {Size(total)}, more than the {Size(available)} of memory available: {each}. Lower the largest.");
        }
    }

    /// <summary>What each buffer of <paramref name="config"/> holds at least, in words and bytes (doubles: 2^31-1 overflows any integer).</summary>
    public static IReadOnlyList<(string What, double Bytes)> Parts(ExperimentConfig config)
    {
        var parts = new List<(string What, double Bytes)>();
        double rowTokens, batchTokens;
        if (config.UsesFinetuneData())
        {
            rowTokens = (double)config.Finetune.MaxSourceLength + config.Finetune.MaxTargetLength;
            batchTokens = rowTokens;
        }
        else
        {
            SpanCorruptionLengths lengths = SpanCorruptor.LengthsOf(config.Data);
            rowTokens = lengths.TokensLength;
            batchTokens = (double)config.Data.InputLength + lengths.TargetLength;
            double workers = config.Data.Workers > 0 ? config.Data.Workers : Environment.ProcessorCount;
            double chunks = (3 * workers) + 1; // two queued per worker, one being prepared per worker, one being cut into rows
            parts.Add(($"{Key(SettingTable.DocumentsPerChunk)} {config.Data.DocumentsPerChunk:N0} documents in each of {chunks:N0} chunks in flight ({Key(SettingTable.DataWorkers)} {workers:N0})",
                (double)config.Data.DocumentsPerChunk * MinimumBytesPerDocument * chunks));
            if (config.Mode == RunMode.Pretrain)
            {
                parts.Add(($"{Key(SettingTable.ShuffleBuffer)} {config.Data.ShuffleBuffer:N0} rows of {rowTokens:N0} tokens",
                    config.Data.ShuffleBuffer * ((rowTokens * sizeof(int)) + RowOverheadBytes)));
            }
        }

        parts.Add(($"{Key(SettingTable.BatchSize)} {config.Optim.BatchSize:N0} rows of {batchTokens:N0} tokens",
            (double)config.Optim.BatchSize * batchTokens * BatchBytesPerToken));
        return parts;
    }

    /// <summary>The threads this machine allows (kernel.threads-max), or int.MaxValue where that cannot be read.</summary>
    public static long ThreadLimit()
    {
        try
        {
            return long.TryParse(File.ReadAllText("/proc/sys/kernel/threads-max").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long limit) && limit > 0
                ? limit
                : int.MaxValue;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return int.MaxValue;
        }
    }

    private static string Key(Setting setting) => ConfigSettingValues.Key(setting);

    private static string Size(double bytes) => bytes >= 1L << 40
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 40):N1} TiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):N1} GiB");
}
