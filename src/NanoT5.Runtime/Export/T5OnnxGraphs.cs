// The T5 v1.1 forward pass as ONNX graphs, op for op what Model/ computes in fp32 eval mode: RMSNorm (variance in
// fp32), unscaled attention with the shared relative position bias, gated-GELU (tanh) feed-forward, untied lm_head.
// Three graphs in optimum's split: the encoder, a decoder that starts (no cache in, the whole cache out) and a
// decoder that continues from the cache. The position bias is computed in the graph from the sequence lengths: the
// bucket of every relative position in [-max_distance, max_distance] is a lookup table made by
// Model/RelativePositionBuckets itself (so buckets equal TorchSharp's bit for bit), and a relative position beyond
// max_distance is clipped to it (T5's bucketing puts all of those in the last bucket), so any length works.
using NanoT5.Export.Onnx;
using NanoT5.Model;
using static NanoT5.Export.OnnxGraphBuilder;
using DataType = NanoT5.Export.Onnx.TensorProto.Types.DataType;

namespace NanoT5.Export;

/// <summary>Builds encoder.onnx, decoder.onnx and decoder_with_past.onnx of one T5 model's weights.</summary>
internal sealed class T5OnnxGraphs
{
    /// <summary>Symbolic dimension names (optimum's).</summary>
    public const string Batch = "batch_size", EncoderLength = "encoder_sequence_length", DecoderLength = "decoder_sequence_length",
        PastLength = "past_decoder_sequence_length", TotalLength = "past_decoder_sequence_length + decoder_sequence_length";

    private readonly T5Config config;
    private readonly IReadOnlyDictionary<string, ExportedTensor> weights;
    private readonly bool float16;

    public T5OnnxGraphs(T5Config config, IReadOnlyDictionary<string, ExportedTensor> weights, bool float16)
    {
        this.config = config;
        this.weights = weights;
        this.float16 = float16;
    }

    /// <summary>input_ids, attention_mask (B, S) int64 -> last_hidden_state (B, S, D).</summary>
    public ModelProto Encoder()
    {
        var b = new OnnxGraphBuilder("encoder");
        string ids = b.Input(OnnxNames.InputIds, DataType.Int64, Batch, EncoderLength);
        string mask = b.Input(OnnxNames.AttentionMask, DataType.Int64, Batch, EncoderLength);
        string length = Dim(b, ids, 1);
        string bias = b.Op("Add", [PositionBias(b, "encoder", bidirectional: true, length, length, b.Constant([0], scalar: true)), PaddingMask(b, mask)]); // (B, H, S, S)
        string hidden = b.Op("Gather", [Weight(b, "shared.weight"), ids]);
        for (int i = 0; i < config.NumLayers; i++)
        {
            string prefix = $"encoder.block.{i}.layer";
            (string attended, _, _) = Attention(b, $"{prefix}.0.SelfAttention", Norm(b, hidden, $"{prefix}.0.layer_norm.weight"), null, bias, null);
            hidden = b.Op("Add", [hidden, attended]);
            hidden = b.Op("Add", [hidden, FeedForward(b, Norm(b, hidden, $"{prefix}.1.layer_norm.weight"), $"{prefix}.1.DenseReluDense")]);
        }

        b.Output(Norm(b, hidden, "encoder.final_layer_norm.weight"), OnnxNames.LastHiddenState, DataType.Float, Batch, EncoderLength, config.DModel);
        return b.ToModel("T5 encoder: input_ids, attention_mask -> last_hidden_state", Metadata("encoder"));
    }

    /// <summary>
    /// The first decoding step(s): input_ids (B, T), encoder_attention_mask (B, S), encoder_hidden_states (B, S, D) ->
    /// logits (B, T, V) and every layer's present self- and cross-attention keys and values.
    /// </summary>
    public ModelProto Decoder() => DecoderGraph(withPast: false);

    /// <summary>
    /// Later steps: input_ids (B, T), encoder_attention_mask and the cache -> logits and the grown self-attention cache
    /// (the cross-attention keys and values never change, so they are read, not returned).
    /// </summary>
    public ModelProto DecoderWithPast() => DecoderGraph(withPast: true);

    private ModelProto DecoderGraph(bool withPast)
    {
        var b = new OnnxGraphBuilder(withPast ? "decoder_with_past" : "decoder");
        int heads = config.NumHeads, dKv = config.DKv;
        string ids = b.Input(OnnxNames.InputIds, DataType.Int64, Batch, DecoderLength);
        string encoderMask = b.Input(OnnxNames.EncoderAttentionMask, DataType.Int64, Batch, EncoderLength);
        string? encoderHidden = withPast ? null : b.Input(OnnxNames.EncoderHiddenStates, DataType.Float, Batch, EncoderLength, config.DModel);
        var past = new List<(string SelfKey, string SelfValue, string CrossKey, string CrossValue)>();
        for (int i = 0; withPast && i < config.DecoderLayers; i++)
        {
            past.Add((
                b.Input(OnnxNames.Past(i, "decoder", "key"), DataType.Float, Batch, heads, PastLength, dKv),
                b.Input(OnnxNames.Past(i, "decoder", "value"), DataType.Float, Batch, heads, PastLength, dKv),
                b.Input(OnnxNames.Past(i, "encoder", "key"), DataType.Float, Batch, heads, EncoderLength, dKv),
                b.Input(OnnxNames.Past(i, "encoder", "value"), DataType.Float, Batch, heads, EncoderLength, dKv)));
        }

        string length = Dim(b, ids, 1);
        string offset = withPast ? Dim(b, past[0].SelfKey, 2) : b.Constant([0], scalar: true);
        string total = b.Op("Add", [offset, length]);
        // Query at offset + i sees keys 0..offset + i: the causal mask over the cache and the new tokens.
        string selfBias = b.Op("Add", [PositionBias(b, "decoder", bidirectional: false, length, total, offset), CausalMask(b, length, total, offset)]); // (1, H, T, P+T)
        string crossBias = PaddingMask(b, encoderMask); // (B, 1, 1, S)
        string hidden = b.Op("Gather", [Weight(b, "shared.weight"), ids]);
        string totalDim = withPast ? TotalLength : DecoderLength;
        for (int i = 0; i < config.DecoderLayers; i++)
        {
            string prefix = $"decoder.block.{i}.layer";
            (string attended, string key, string value) = Attention(b, $"{prefix}.0.SelfAttention", Norm(b, hidden, $"{prefix}.0.layer_norm.weight"), null, selfBias,
                withPast ? (past[i].SelfKey, past[i].SelfValue) : null);
            hidden = b.Op("Add", [hidden, attended]);
            b.Output(key, OnnxNames.Present(i, "decoder", "key"), DataType.Float, Batch, heads, totalDim, dKv);
            b.Output(value, OnnxNames.Present(i, "decoder", "value"), DataType.Float, Batch, heads, totalDim, dKv);

            (string crossAttended, string crossKey, string crossValue) = Attention(b, $"{prefix}.1.EncDecAttention", Norm(b, hidden, $"{prefix}.1.layer_norm.weight"), encoderHidden, crossBias,
                withPast ? (past[i].CrossKey, past[i].CrossValue) : null);
            hidden = b.Op("Add", [hidden, crossAttended]);
            if (!withPast)
            {
                b.Output(crossKey, OnnxNames.Present(i, "encoder", "key"), DataType.Float, Batch, heads, EncoderLength, dKv);
                b.Output(crossValue, OnnxNames.Present(i, "encoder", "value"), DataType.Float, Batch, heads, EncoderLength, dKv);
            }

            hidden = b.Op("Add", [hidden, FeedForward(b, Norm(b, hidden, $"{prefix}.2.layer_norm.weight"), $"{prefix}.2.DenseReluDense")]);
        }

        string logits = b.Op("MatMul", [Norm(b, hidden, "decoder.final_layer_norm.weight"), Transposed(b, "lm_head.weight")]);
        b.Output(logits, OnnxNames.Logits, DataType.Float, Batch, DecoderLength, config.VocabSize);
        // Outputs in optimum's order: logits first.
        var outputs = b.ToModel(withPast ? "T5 decoder step with key/value cache" : "T5 decoder, first step", Metadata(withPast ? "decoder_with_past" : "decoder"));
        var ordered = outputs.Graph.Output.OrderBy(o => o.Name == OnnxNames.Logits ? 0 : 1).ToList();
        outputs.Graph.Output.Clear();
        outputs.Graph.Output.AddRange(ordered);
        return outputs;
    }

    // Self-attention when keyValueSource is null (keys from the normed hidden, appended to the cache when one is
    // given), cross-attention otherwise (keys from the encoder output, or the cached ones). Returns the output and
    // the keys and values (B, H, Tk, dk) the layer used.
    private (string Output, string Key, string Value) Attention(OnnxGraphBuilder b, string prefix, string normed, string? keyValueSource, string bias, (string Key, string Value)? cache)
    {
        bool cross = prefix.EndsWith("EncDecAttention", StringComparison.Ordinal);
        string query = Heads(b, b.Op("MatMul", [normed, Transposed(b, $"{prefix}.q.weight")]));
        string key, value;
        if (cross && cache is { } cached)
        {
            (key, value) = cached;
        }
        else
        {
            string source = keyValueSource ?? normed;
            key = Heads(b, b.Op("MatMul", [source, Transposed(b, $"{prefix}.k.weight")]));
            value = Heads(b, b.Op("MatMul", [source, Transposed(b, $"{prefix}.v.weight")]));
            if (!cross && cache is { } grown)
            {
                key = b.Op("Concat", [grown.Key, key], Attr.Int("axis", 2));
                value = b.Op("Concat", [grown.Value, value], Attr.Int("axis", 2));
            }
        }

        string scores = b.Op("MatMul", [query, b.Op("Transpose", [key], Attr.Ints("perm", 0, 1, 3, 2))]); // (B, H, Tq, Tk), no 1/sqrt(dk)
        string weightsOf = b.Op("Softmax", [b.Op("Add", [scores, bias])], Attr.Int("axis", -1));
        string attended = b.Op("MatMul", [weightsOf, value]); // (B, H, Tq, dk)
        attended = b.Op("Reshape", [b.Op("Transpose", [attended], Attr.Ints("perm", 0, 2, 1, 3)), b.Constant([0, 0, config.InnerDim])]); // (B, Tq, H*dk)
        return (b.Op("MatMul", [attended, Transposed(b, $"{prefix}.o.weight")]), key, value);
    }

    // (B, T, H*dk) -> (B, H, T, dk)
    private string Heads(OnnxGraphBuilder b, string projected) =>
        b.Op("Transpose", [b.Op("Reshape", [projected, b.Constant([0, 0, config.NumHeads, config.DKv])])], Attr.Ints("perm", 0, 2, 1, 3));

    // T5LayerNorm: weight * x / sqrt(mean(x^2) + eps), no mean subtraction, no bias.
    private string Norm(OnnxGraphBuilder b, string x, string weight)
    {
        string variance = b.Op("ReduceMean", [b.Op("Mul", [x, x])], Attr.Ints("axes", -1), Attr.Int("keepdims", 1)); // (..., 1)
        string normed = b.Op("Mul", [x, b.Op("Reciprocal", [b.Op("Sqrt", [b.Op("Add", [variance, b.Constant((float)config.LayerNormEpsilon)])])])]);
        return b.Op("Mul", [Weight(b, weight), normed]);
    }

    // wo(gelu_tanh(x wi_0) * x wi_1); gelu_new(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    private string FeedForward(OnnxGraphBuilder b, string normed, string prefix)
    {
        string gate = b.Op("MatMul", [normed, Transposed(b, $"{prefix}.wi_0.weight")]);
        string linear = b.Op("MatMul", [normed, Transposed(b, $"{prefix}.wi_1.weight")]);
        string cube = b.Op("Mul", [b.Op("Mul", [gate, gate]), gate]);
        string inner = b.Op("Mul", [b.Op("Add", [gate, b.Op("Mul", [cube, b.Constant(0.044715f)])]), b.Constant((float)Math.Sqrt(2.0 / Math.PI))]);
        string gelu = b.Op("Mul", [b.Op("Mul", [gate, b.Constant(0.5f)]), b.Op("Add", [b.Op("Tanh", [inner]), b.Constant(1f)])]);
        return b.Op("MatMul", [b.Op("Mul", [gelu, linear]), Transposed(b, $"{prefix}.wo.weight")]);
    }

    // Layer 0's learned bias for queries [offset, offset + Tq) over keys [0, Tk): (1, H, Tq, Tk).
    private string PositionBias(OnnxGraphBuilder b, string stack, bool bidirectional, string queryLength, string keyLength, string offset)
    {
        int maxDistance = config.RelativeAttentionMaxDistance;
        (string queries, string keys) = Positions(b, queryLength, keyLength, offset);
        string relative = b.Op("Sub", [keys, queries]);
        string clipped = b.Op("Max", [b.Op("Min", [relative, b.Constant([maxDistance], scalar: true)]), b.Constant([-maxDistance], scalar: true)]);
        string buckets = b.Op("Gather", [BucketTable(b, stack, bidirectional), b.Op("Add", [clipped, b.Constant([maxDistance], scalar: true)])]); // (Tq, Tk)
        string values = b.Op("Gather", [Weight(b, $"{stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight"), buckets]); // (Tq, Tk, H)
        return b.Op("Unsqueeze", [b.Op("Transpose", [values], Attr.Ints("perm", 2, 0, 1)), b.Constant([0])]);
    }

    private string BucketTable(OnnxGraphBuilder b, string stack, bool bidirectional)
    {
        int maxDistance = config.RelativeAttentionMaxDistance;
        using var scope = TorchSharp.torch.NewDisposeScope();
        // Queries at max_distance over keys 0..2 max_distance: relative positions -max_distance..max_distance.
        long[] table = RelativePositionBuckets.Compute(1, (2 * maxDistance) + 1, bidirectional, config.RelativeAttentionNumBuckets, maxDistance, TorchSharp.torch.CPU, queryOffset: maxDistance)
            .data<long>().ToArray();
        return b.Int64s($"{stack}.relative_position_bucket_table", table, [table.Length]);
    }

    // HF's extended mask: (1 - mask) * float32 min, (B, 1, 1, S).
    private static string PaddingMask(OnnxGraphBuilder b, string mask)
    {
        string blocked = b.Op("Sub", [b.Constant(1f), b.Op("Cast", [mask], Attr.Int("to", (long)DataType.Float))]);
        return b.Op("Unsqueeze", [b.Op("Mul", [blocked, b.Constant(float.MinValue)]), b.Constant([1, 2])]);
    }

    // float32 min where key > offset + query, (Tq, Tk).
    private static string CausalMask(OnnxGraphBuilder b, string queryLength, string keyLength, string offset)
    {
        (string queries, string keys) = Positions(b, queryLength, keyLength, offset);
        string future = b.Op("Cast", [b.Op("Greater", [keys, queries])], Attr.Int("to", (long)DataType.Float));
        return b.Op("Mul", [future, b.Constant(float.MinValue)]);
    }

    // Query positions offset..offset + Tq - 1 as (Tq, 1) and key positions 0..Tk - 1 as (1, Tk), int64.
    private static (string Queries, string Keys) Positions(OnnxGraphBuilder b, string queryLength, string keyLength, string offset)
    {
        string one = b.Constant([1], scalar: true);
        string queries = b.Op("Unsqueeze", [b.Op("Range", [offset, b.Op("Add", [offset, queryLength]), one]), b.Constant([1])]);
        string keys = b.Op("Unsqueeze", [b.Op("Range", [b.Constant([0], scalar: true), keyLength, one]), b.Constant([0])]);
        return (queries, keys);
    }

    // A dimension of a value as an int64 scalar.
    private static string Dim(OnnxGraphBuilder b, string value, long axis) =>
        b.Op("Gather", [b.Op("Shape", [value]), b.Constant([axis], scalar: true)]);

    private string Weight(OnnxGraphBuilder b, string name)
    {
        ExportedTensor tensor = Find(name);
        return b.Weight(name, tensor.Values, tensor.Shape, float16);
    }

    // A Linear weight (out, in) stored as (in, out), the operand MatMul takes.
    private string Transposed(OnnxGraphBuilder b, string name)
    {
        ExportedTensor tensor = Find(name);
        long rows = tensor.Shape[0], columns = tensor.Shape[1];
        var transposed = new float[tensor.Values.Length];
        for (long r = 0; r < rows; r++)
        {
            for (long c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = tensor.Values[(r * columns) + c];
            }
        }

        return b.Weight(name + ".T", transposed, [columns, rows], float16);
    }

    private ExportedTensor Find(string name) =>
        weights.TryGetValue(name, out ExportedTensor? tensor) ? tensor : throw new InvalidDataException($"The model has no parameter '{name}' (the state dict does not match its config).");

    private Dictionary<string, string> Metadata(string part) => new(StringComparer.Ordinal)
    {
        ["nanot5.part"] = part,
        ["nanot5.weights"] = float16 ? "fp16" : "fp32",
    };
}

/// <summary>A parameter's values (fp32, row-major) and shape.</summary>
internal sealed record ExportedTensor(float[] Values, long[] Shape);
