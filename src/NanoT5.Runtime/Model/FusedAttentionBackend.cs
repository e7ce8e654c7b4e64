// Which CUDA kernel runs the fused attention, and why not cuDNN's. T5's position bias is a learned parameter, so
// scaled_dot_product_attention's float mask needs a gradient. PyTorch's CUDA backends (sdp_utils.cpp, 2.10):
//   flash         refuses any attn_mask (check_for_attn_mask);
//   cuDNN         takes the mask, but its backward op returns dq, dk, dv only: no mask gradient; and on sm90/sm100
//                 with cuDNN > 9.15 PyTorch tries it first (check_prefer_cudnn_attention);
//   mem-efficient takes a float mask of q's dtype and returns its gradient (attn_bias in grad_input_mask;
//                 pytorch#148476 is the one known bug, when only the mask needs a gradient, not our case);
//   math          the explicit composite, always correct, no memory saving.
// So the runtime switches cuDNN's off before the first fused call on CUDA: the dispatcher then picks the
// memory-efficient kernel, or math where that cannot run.
using NanoT5.Native;

namespace NanoT5.Model;

/// <summary>Keeps scaled_dot_product_attention on a CUDA kernel that returns the bias gradient.</summary>
internal static class FusedAttentionBackend
{
    private static readonly Lazy<bool> CuDnnOff = new(() => TorchNative.SetCuDnnAttention(false));

    /// <summary>Switches PyTorch's cuDNN attention off once per process; true when the switch exists.</summary>
    public static bool EnsureBiasGradients() => CuDnnOff.Value;
}
