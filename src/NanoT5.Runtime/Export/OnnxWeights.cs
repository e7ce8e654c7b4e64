// ONNX's weights precision: fp32, or fp16 storage computed in fp32 (half the file, ONNX Runtime's CPU provider runs it).
namespace NanoT5.Export;

/// <summary>How the exported weights are stored.</summary>
public enum OnnxWeights
{
    /// <summary>fp32 weights, fp32 compute: TorchSharp's fp32 logits within 1e-4.</summary>
    Fp32,

    /// <summary>fp16 weights cast to fp32 in the graph (each weight rounds to fp16 once; compute stays fp32).</summary>
    Fp16,
}
