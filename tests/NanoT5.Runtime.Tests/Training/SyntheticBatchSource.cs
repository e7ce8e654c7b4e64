using NanoT5.Data;
using static TorchSharp.torch;

namespace NanoT5.Tests.Training;

/// <summary>Seeded random batches whose position is the number of batches handed out (replayable).</summary>
internal sealed class SyntheticBatchSource : ITrainingBatchSource
{
    private readonly int seed;
    private readonly int vocab;
    private readonly int rows;
    private long produced;

    public SyntheticBatchSource(int seed, int vocab, int rows, byte[]? state = null)
    {
        this.seed = seed;
        this.vocab = vocab;
        this.rows = rows;
        produced = state is null ? 0 : BitConverter.ToInt64(state);
    }

    public byte[] SaveState() => BitConverter.GetBytes(produced);

    public int Epoch => 0;

    public TrainingBatch? Next()
    {
        var generator = new TorchSharp.torch.Generator((ulong)(seed * 1_000_003L + produced));
        produced++;
        Tensor input = randint(2, vocab, [rows, 12], generator: generator).DetachFromDisposeScope();
        Tensor labels = randint(2, vocab, [rows, 5], generator: generator).DetachFromDisposeScope();
        return new TrainingBatch(input, ones_like(input).DetachFromDisposeScope(), labels);
    }

    public void Dispose()
    {
    }
}
