// A small builder of ONNX graphs over the protobuf types generated from Export/Onnx/onnx-ir.proto: named inputs and
// outputs with symbolic dimensions, initializers, and nodes whose outputs get unique names. Nothing T5-specific.
using Google.Protobuf;
using NanoT5.Export.Onnx;

namespace NanoT5.Export;

/// <summary>Builds one ONNX graph; <see cref="ToModel"/> wraps it in a model of the default domain's opset.</summary>
internal sealed class OnnxGraphBuilder(string name)
{
    /// <summary>The ai.onnx opset the graphs use (ONNX Runtime 1.16 and later run it).</summary>
    public const int Opset = 17;

    /// <summary>IR version 8 is the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    private readonly GraphProto graph = new() { Name = name };
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    private int counter;

    /// <summary>A graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public string Input(string inputName, TensorProto.Types.DataType type, params object[] dims)
    {
        graph.Input.Add(ValueInfo(inputName, type, dims));
        return inputName;
    }

    /// <summary>Names <paramref name="value"/> as the graph output <paramref name="outputName"/>.</summary>
    public void Output(string value, string outputName, TensorProto.Types.DataType type, params object[] dims)
    {
        if (value != outputName)
        {
            Node("Identity", [value], [outputName]);
        }

        graph.Output.Add(ValueInfo(outputName, type, dims));
    }

    /// <summary>A float initializer of <paramref name="dims"/>, stored as fp32 or (with <paramref name="asFloat16"/>) fp16 and cast to fp32 in the graph.</summary>
    public string Weight(string weightName, float[] values, long[] dims, bool asFloat16)
    {
        var tensor = new TensorProto { Name = asFloat16 ? weightName + ".fp16" : weightName, DataType = (int)(asFloat16 ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float) };
        tensor.Dims.AddRange(dims);
        tensor.RawData = asFloat16 ? Float16Bytes(values) : FloatBytes(values);
        graph.Initializer.Add(tensor);
        if (!asFloat16)
        {
            return weightName;
        }

        // ONNX Runtime's CPU provider has no fp16 MatMul/Gather for every op used here: the weights are stored in
        // fp16 and computed in fp32.
        Node("Cast", [tensor.Name], [weightName], Attr.Int("to", (long)TensorProto.Types.DataType.Float));
        return weightName;
    }

    /// <summary>An int64 initializer (lookup tables, shapes).</summary>
    public string Int64s(string tensorName, long[] values, long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensorName;
    }

    /// <summary>A shared constant 1-D int64 tensor (axes, shapes, scalars with <paramref name="scalar"/>).</summary>
    public string Constant(long[] values, bool scalar = false)
    {
        string key = "i64:" + (scalar ? "s:" : "v:") + string.Join(",", values);
        if (!constants.TryGetValue(key, out string? existing))
        {
            existing = Int64s($"const_i64_{constants.Count}", values, scalar ? [] : [values.Length]);
            constants[key] = existing;
        }

        return existing;
    }

    /// <summary>A shared scalar float constant.</summary>
    public string Constant(float value)
    {
        string key = "f32:" + BitConverter.SingleToInt32Bits(value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!constants.TryGetValue(key, out string? existing))
        {
            var tensor = new TensorProto { Name = $"const_f32_{constants.Count}", DataType = (int)TensorProto.Types.DataType.Float };
            tensor.FloatData.Add(value);
            graph.Initializer.Add(tensor);
            existing = tensor.Name;
            constants[key] = existing;
        }

        return existing;
    }

    /// <summary>One node with one new output; returns the output's name.</summary>
    public string Op(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, [Fresh(opType)], attributes)[0];

    /// <summary>One node with the given outputs.</summary>
    public IReadOnlyList<string> Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{counter++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A new, unused value name.</summary>
    public string Fresh(string hint) => $"{hint}_{counter++}";

    /// <summary>The model: this graph, opset <see cref="Opset"/>, producer and metadata.</summary>
    public ModelProto ToModel(string docString, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "NanoT5",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach (KeyValuePair<string, string> entry in metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = entry.Key, Value = entry.Value });
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"A dimension is a size or a symbol, not {dim.GetType().Name}.", nameof(dims)),
            });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static ByteString FloatBytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return BitConverter.IsLittleEndian ? ByteString.CopyFrom(bytes) : throw new PlatformNotSupportedException("ONNX's raw_data is little-endian.");
    }

    private static ByteString Float16Bytes(float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), BitConverter.HalfToUInt16Bits((Half)values[i]));
        }

        return ByteString.CopyFrom(bytes);
    }

    /// <summary>Attribute constructors.</summary>
    public static class Attr
    {
        public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

        public static AttributeProto Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.AddRange(values);
            return attribute;
        }
    }
}
