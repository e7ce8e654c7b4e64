// The data-parallel step, exact by construction. Every rank holds the same model (same seed, or the same
// checkpoint) and reads the same deterministic batch stream; of each micro-batch, rank r takes a contiguous
// share of the rows. A rank's loss is its rows' mean token loss; weighting it by the rank's share of the
// micro-batch's label tokens makes the sum over ranks the loss of the whole micro-batch, so the summed
// gradients are the one-process gradients (up to fp32 summation order). Gradients (and the weighted loss)
// are summed in fixed-size buckets, one all-reduce per bucket: one per step for models up to BucketElements.
using NanoT5.Data;
using NanoT5.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Distributed;

/// <summary>Splits micro-batches across ranks and sums gradients over them.</summary>
public sealed class DataParallel : IDisposable
{
    /// <summary>Elements per all-reduce (256 MB of float32): memory for the bucket stays bounded for any model.</summary>
    public const long BucketElements = 64L << 20;

    private readonly IBufferReducer reducer;
    private Tensor? bucket;

    internal DataParallel(IProcessGroup group, IBufferReducer reducer)
    {
        Group = group;
        this.reducer = reducer;
    }

    public IProcessGroup Group { get; }

    /// <summary>How gradients are summed ("MPI_Allreduce", "ncclAllReduce").</summary>
    public string Reduction => reducer.Name;

    /// <summary>Rank <paramref name="rank"/>'s rows of a batch of <paramref name="rows"/> among <paramref name="size"/> ranks: contiguous, sizes differing by at most one.</summary>
    public static (long Start, long Count) Share(long rows, int rank, int size)
    {
        long share = rows / size, extra = rows % size;
        return ((rank * share) + Math.Min(rank, extra), share + (rank < extra ? 1 : 0));
    }

    /// <summary>This rank's rows of <paramref name="batch"/>.</summary>
    public TrainingBatch Slice(TrainingBatch batch)
    {
        (long start, long count) = Share(batch.Rows, Group.Rank, Group.Size);
        return new TrainingBatch(batch.InputIds.narrow(0, start, count), batch.AttentionMask.narrow(0, start, count), batch.Labels.narrow(0, start, count));
    }

    /// <summary>The share of <paramref name="whole"/>'s label tokens (labels other than -100) that <paramref name="part"/> holds.</summary>
    public static double TokenWeight(TrainingBatch whole, TrainingBatch part)
    {
        using var scope = NewDisposeScope();
        long all = whole.Labels.ne(T5ForConditionalGeneration.IgnoreIndex).sum().item<long>();
        long mine = part.Labels.ne(T5ForConditionalGeneration.IgnoreIndex).sum().item<long>();
        return all == 0 ? 0 : (double)mine / all;
    }

    /// <summary>
    /// Sums every parameter's gradient over all ranks in place (a missing gradient counts as zeros) together
    /// with <paramref name="localLoss"/>; returns the summed loss.
    /// </summary>
    public double SumGradients(IReadOnlyList<Parameter> parameters, double localLoss)
    {
        using var scope = NewDisposeScope();
        Device device = parameters[0].device;
        long total = parameters.Sum(p => p.NumberOfElements) + 1;
        if (bucket is null)
        {
            bucket = empty(Math.Min(total, BucketElements), ScalarType.Float32, device).DetachFromDisposeScope();
        }

        var segments = new List<(Tensor Target, long Offset, long BucketOffset, long Length)>();
        long filled = 0;
        Tensor loss = full(1, localLoss, ScalarType.Float32, device);
        IEnumerable<Tensor> flats = parameters.Select(p => GradientOf(p).view(-1)).Append(loss);
        foreach (Tensor flat in flats)
        {
            for (long offset = 0; offset < flat.NumberOfElements;)
            {
                long take = Math.Min(flat.NumberOfElements - offset, bucket.NumberOfElements - filled);
                bucket.narrow(0, filled, take).copy_(flat.narrow(0, offset, take));
                segments.Add((flat, offset, filled, take));
                (filled, offset) = (filled + take, offset + take);
                if (filled == bucket.NumberOfElements)
                {
                    Flush(segments, filled);
                    filled = 0;
                }
            }
        }

        if (filled > 0)
        {
            Flush(segments, filled);
        }

        return loss.item<float>();
    }

    public void Dispose()
    {
        bucket?.Dispose();
        reducer.Dispose();
    }

    // A parameter this rank's rows did not reach (no label tokens here) has no gradient yet: zeros join the sum.
    private static Tensor GradientOf(Parameter parameter)
    {
        if (parameter.grad is Tensor grad)
        {
            return grad;
        }

        using (no_grad())
        {
            parameter.grad = zeros_like(parameter);
        }

        return parameter.grad!;
    }

    private void Flush(List<(Tensor Target, long Offset, long BucketOffset, long Length)> segments, long filled)
    {
        using (Tensor used = bucket!.narrow(0, 0, filled))
        {
            reducer.SumInPlace(used);
        }

        using var noGrad = no_grad();
        foreach (var (target, offset, bucketOffset, length) in segments)
        {
            target.narrow(0, offset, length).copy_(bucket.narrow(0, bucketOffset, length));
        }

        segments.Clear();
    }
}
