// The names of the exported files and of their inputs and outputs: optimum's, so tools that read optimum's T5
// exports find them.
namespace NanoT5.Export;

/// <summary>File, input and output names of an exported model.</summary>
public static class OnnxNames
{
    public const string EncoderFile = "encoder.onnx";
    public const string DecoderFile = "decoder.onnx";
    public const string DecoderWithPastFile = "decoder_with_past.onnx";
    public const string ManifestFile = "nanot5_onnx.json";

    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string LastHiddenState = "last_hidden_state";
    public const string EncoderAttentionMask = "encoder_attention_mask";
    public const string EncoderHiddenStates = "encoder_hidden_states";
    public const string Logits = "logits";

    /// <summary>A cache input: past_key_values.{layer}.{decoder|encoder}.{key|value}.</summary>
    public static string Past(int layer, string attention, string part) => $"past_key_values.{layer}.{attention}.{part}";

    /// <summary>A cache output: present.{layer}.{decoder|encoder}.{key|value}.</summary>
    public static string Present(int layer, string attention, string part) => $"present.{layer}.{attention}.{part}";
}
