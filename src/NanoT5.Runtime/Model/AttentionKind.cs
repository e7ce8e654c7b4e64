// How attention weights are computed: the same function either way, a different kernel.
namespace NanoT5.Model;

/// <summary>The attention implementation (not part of HuggingFace's config: checkpoints do not depend on it).</summary>
public enum AttentionKind
{
    /// <summary>Explicit scores, fp32 softmax and a second matmul, as HF's T5Attention and nanoT5's MyT5.</summary>
    Eager,

    /// <summary>
    /// One <c>scaled_dot_product_attention</c> call with the position bias and mask as its float mask. On CUDA
    /// it runs the memory-efficient kernel when the bias needs a gradient (docs/gpu.md); on CPU, LibTorch's own choice.
    /// </summary>
    Sdpa,
}
