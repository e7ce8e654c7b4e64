// Before the first step every rank must be about to run the same experiment from the same checkpoint:
// rank 0's SHA-256 of the resolved config and its resume step are broadcast, each rank compares, and the
// count of mismatching ranks is summed so that all ranks stop together with the same message.
using System.Security.Cryptography;
using System.Text;
using NanoT5.Config;

namespace NanoT5.Distributed;

/// <summary>Checks that all ranks agree on the config and the checkpoint they start from.</summary>
public static class StartupAgreement
{
    /// <summary>Throws <see cref="InvalidDataException"/> on every rank when any rank differs from rank 0.</summary>
    public static void Check(IProcessGroup group, ExperimentConfig config, long resumeStep)
    {
        if (group.Size == 1)
        {
            return;
        }

        byte[] mine = Fingerprint(config, resumeStep);
        byte[] root = (byte[])mine.Clone();
        group.BroadcastFromRoot(root);
        bool configDiffers = !mine.AsSpan(0, 32).SequenceEqual(root.AsSpan(0, 32));
        bool stepDiffers = !mine.AsSpan(32).SequenceEqual(root.AsSpan(32));
        Span<double> counts = [configDiffers ? 1 : 0, stepDiffers ? 1 : 0];
        group.AllReduceSum(counts);
        if (counts[0] > 0)
        {
            throw new InvalidDataException(
                $"{counts[0]} rank(s) run a different experiment config than rank 0 (SHA-256 of the resolved config differs{(configDiffers ? ", this rank among them" : string.Empty)}): " +
                "start every rank with the same --config file and the same program build.");
        }

        if (counts[1] > 0)
        {
            throw new InvalidDataException(
                $"{counts[1]} rank(s) would resume from another checkpoint than rank 0 (this rank: {Describe(resumeStep)}): " +
                $"every rank must see the same run folder ({Path.GetFullPath(config.RunDirectory)}), e.g. on a shared file system.");
        }
    }

    /// <summary>SHA-256 of the config JSON (32 bytes) then the resume step (8 bytes; -1 = from scratch).</summary>
    internal static byte[] Fingerprint(ExperimentConfig config, long resumeStep)
    {
        byte[] bytes = new byte[40];
        SHA256.HashData(Encoding.UTF8.GetBytes(ExperimentConfigJson.Serialize(config)), bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(32), resumeStep);
        return bytes;
    }

    private static string Describe(long step) => step < 0 ? "from scratch" : $"step {step}";
}
