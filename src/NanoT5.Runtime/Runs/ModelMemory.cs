// A model is sized before any tensor exists: a config.json with vocab_size 2147483647 or d_model 1e9 would
// otherwise abort the process inside LibTorch's allocator. The parameter count is T5 v1.1's, exactly (the
// t5-v1_1-small key list test pins the tensors it counts); training adds gradients and two optimizer moments.
using System.Globalization;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>Parameter count and memory check of a T5 v1.1 architecture.</summary>
public static class ModelMemory
{
    /// <summary>Weights, gradients and AdamW's two moments: what training keeps per parameter, in fp32 copies.</summary>
    public const int TrainingCopies = 4;

    /// <summary>Parameters of <paramref name="config"/> (a double: absurd configs overflow any integer).</summary>
    public static double Parameters(T5Config config)
    {
        double d = config.DModel, inner = (double)config.NumHeads * config.DKv, ff = 3.0 * d * config.DFf;
        double attention = 4 * d * inner, bias = (double)config.RelativeAttentionNumBuckets * config.NumHeads;
        double encoder = config.NumLayers * (attention + ff + 2 * d) + bias + d;
        double decoder = config.DecoderLayers * (2 * attention + ff + 3 * d) + bias + d;
        return 2.0 * config.VocabSize * d + encoder + decoder; // shared embedding and the untied lm_head
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when the model (times
    /// <paramref name="copies"/> for training on the CPU) needs more memory than the machine has available.
    /// </summary>
    public static void EnsureFits(T5Config config, string source, int copies)
    {
        double bytes = Parameters(config) * sizeof(float) * copies;
        long available = AvailableBytes();
        if (bytes > available)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: the model has {Parameters(config):N0} parameters (vocab_size {config.VocabSize}, d_model {config.DModel}, d_ff {config.DFf}, " +
                $"{config.NumLayers}+{config.DecoderLayers} layers) and needs about {bytes / (1L << 30):N1} GiB{(copies > 1 ? $" to train ({copies} fp32 copies)" : string.Empty)}, " +
                $"more than the {available / (double)(1L << 30):N1} GiB of memory available. Check the config's sizes."));
        }
    }

    /// <summary>Memory this process can still get: the smaller of MemAvailable and the container's limit.</summary>
    public static long AvailableBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
            {
                return Math.Min(limit, kb * 1024);
            }
        }
        catch (IOException)
        {
            // No /proc (not Linux): the runtime's own view of the machine's memory.
        }

        return limit;
    }

    /// <summary>Copies held on the CPU: all of training's on a CPU run, the weights alone otherwise (they move to the GPU).</summary>
    public static int CopiesOnCpu(Config.RunMode mode, Device device) =>
        device.type == TorchSharp.DeviceType.CPU && mode is Config.RunMode.Pretrain or Config.RunMode.Finetune ? TrainingCopies : 1;
}
