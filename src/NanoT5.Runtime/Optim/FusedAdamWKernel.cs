// One pass over memory for the AdamW(Scale) update on CPU: LibTorch has no fused or foreach optimizer
// kernels reachable from TorchSharp, and the per-tensor op sequence (mul_, add_, mul_, addcmul_, sqrt,
// add_, addcdiv_) reads and writes every state buffer seven times. This kernel reads p, g, m, v once and
// writes p, m, v once, in SIMD, over chunks spread across all cores. The arithmetic follows the op
// sequence of nanoT5's AdamWScale element by element (FMA where ATen's vectorised kernels use one).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NanoT5.Optim;

/// <summary>Fused AdamW update over raw fp32 buffers.</summary>
internal static unsafe class FusedAdamWKernel
{
    private const int ChunkElements = 1 << 16;

    /// <summary>Per-tensor inputs of one update.</summary>
    public readonly record struct Tensors(nint Param, nint Grad, nint ExpAvg, nint ExpAvgSq, long Count, float StepSize, float DecayAlpha);

    /// <summary>Sum of squares of each buffer (fp64 accumulation), computed in parallel chunks.</summary>
    public static double[] SumOfSquares(IReadOnlyList<(nint Data, long Count)> buffers)
    {
        var chunks = Chunks(buffers.Select(b => b.Count).ToList());
        var partial = new double[chunks.Count];
        Parallel.For(0, chunks.Count, c =>
        {
            var (tensor, start, length) = chunks[c];
            partial[c] = SumOfSquares((float*)buffers[tensor].Data + start, length);
        });
        var sums = new double[buffers.Count];
        for (int c = 0; c < chunks.Count; c++)
        {
            sums[chunks[c].Tensor] += partial[c];
        }

        return sums;
    }

    /// <summary>
    /// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g g; p -= step m / (sqrt(v) + eps); then p += decayAlpha p.
    /// Gradients are multiplied by <paramref name="gradScale"/> on the fly (clipping without a pass).
    /// </summary>
    public static void Update(IReadOnlyList<Tensors> tensors, float beta1, float beta2, float eps, float gradScale)
    {
        var chunks = Chunks(tensors.Select(t => t.Count).ToList());
        Parallel.For(0, chunks.Count, c =>
        {
            var (tensor, start, length) = chunks[c];
            Tensors t = tensors[tensor];
            UpdateRange(
                (float*)t.Param + start, (float*)t.Grad + start, (float*)t.ExpAvg + start, (float*)t.ExpAvgSq + start, length,
                beta1, beta2, eps, gradScale, t.StepSize, t.DecayAlpha);
        });
    }

    private static void UpdateRange(float* p, float* g, float* m, float* v, long n, float beta1, float beta2, float eps, float gradScale, float stepSize, float decayAlpha)
    {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        float negativeStep = -stepSize;
        bool scaleGrad = gradScale != 1f;
        bool applyDecay = decayAlpha != 0f;
        long i = 0;
        int width = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var vBeta1 = new Vector<float>(beta1);
            var vBeta2 = new Vector<float>(beta2);
            var vOneMinusBeta1 = new Vector<float>(oneMinusBeta1);
            var vOneMinusBeta2 = new Vector<float>(oneMinusBeta2);
            var vEps = new Vector<float>(eps);
            var vNegativeStep = new Vector<float>(negativeStep);
            var vScale = new Vector<float>(gradScale);
            var vDecayAlpha = new Vector<float>(decayAlpha);
            for (; i <= n - width; i += width)
            {
                var grad = Vector.Load(g + i);
                if (scaleGrad)
                {
                    grad *= vScale;
                }

                var mNew = Vector.FusedMultiplyAdd(grad, vOneMinusBeta1, Vector.Load(m + i) * vBeta1);
                var vNew = (Vector.Load(v + i) * vBeta2) + (vOneMinusBeta2 * grad * grad);
                var denom = Vector.SquareRoot(vNew) + vEps;
                var pNew = Vector.Load(p + i) + (vNegativeStep * mNew / denom);
                if (applyDecay)
                {
                    pNew = Vector.FusedMultiplyAdd(pNew, vDecayAlpha, pNew);
                }

                mNew.Store(m + i);
                vNew.Store(v + i);
                pNew.Store(p + i);
            }
        }

        for (; i < n; i++)
        {
            float grad = scaleGrad ? g[i] * gradScale : g[i];
            float mNew = MathF.FusedMultiplyAdd(grad, oneMinusBeta1, m[i] * beta1);
            float vNew = (v[i] * beta2) + (oneMinusBeta2 * grad * grad);
            float pNew = p[i] + (negativeStep * mNew / (MathF.Sqrt(vNew) + eps));
            if (applyDecay)
            {
                pNew = MathF.FusedMultiplyAdd(pNew, decayAlpha, pNew);
            }

            m[i] = mNew;
            v[i] = vNew;
            p[i] = pNew;
        }
    }

    private static double SumOfSquares(float* data, long n)
    {
        double sum = 0;
        long i = 0;
        int width = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            // fp32 partial sums over short blocks, accumulated in fp64.
            for (; i <= n - (width * 64); i += width * 64)
            {
                var acc = Vector<float>.Zero;
                for (int k = 0; k < 64; k++)
                {
                    var x = Vector.Load(data + i + (k * width));
                    acc = Vector.FusedMultiplyAdd(x, x, acc);
                }

                sum += Vector.Sum(acc);
            }
        }

        for (; i < n; i++)
        {
            sum += (double)data[i] * data[i];
        }

        return sum;
    }

    private static List<(int Tensor, long Start, long Length)> Chunks(IReadOnlyList<long> counts)
    {
        var chunks = new List<(int, long, long)>();
        for (int t = 0; t < counts.Count; t++)
        {
            for (long start = 0; start < counts[t]; start += ChunkElements)
            {
                chunks.Add((t, start, Math.Min(ChunkElements, counts[t] - start)));
            }
        }

        return chunks;
    }

    /// <summary>Address of a contiguous CPU tensor's data.</summary>
    public static nint Address(TorchSharp.torch.Tensor tensor) =>
        (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
}
