// Reads and writes the safetensors format (HuggingFace's model.safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, raw data.
// Hand-written rather than TorchSharp.PyBridge's: HF's from_pretrained wants __metadata__.format = "pt",
// writes must be atomic, and errors must name the file and the tensor.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoT5.IO;
using static TorchSharp.torch;

namespace NanoT5.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed record SafeTensorEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>safetensors reader and writer.</summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>The header of <paramref name="path"/>: entries in file order and the metadata.</summary>
    public static (IReadOnlyList<SafeTensorEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Loads every tensor of <paramref name="path"/> onto the CPU, in file order.</summary>
    public static IReadOnlyList<(string Name, Tensor Tensor)> Load(string path, Func<string, bool>? keep = null)
    {
        using var stream = OpenRead(path);
        var (entries, _, dataStart) = ReadHeader(stream, path);
        var tensors = new List<(string, Tensor)>(entries.Count);
        try
        {
            foreach (SafeTensorEntry entry in entries)
            {
                if (keep is not null && !keep(entry.Name))
                {
                    continue;
                }

                Tensor tensor = empty(entry.Shape, dtype: ToScalarType(entry.DType, path, entry.Name));
                tensors.Add((entry.Name, tensor));
                if (entry.End > entry.Begin)
                {
                    stream.Position = dataStart + entry.Begin;
                    tensor.ReadBytesFromStream(stream, 1 << 20);
                }
            }
        }
        catch (EndOfStreamException)
        {
            foreach (var (_, tensor) in tensors)
            {
                tensor.Dispose();
            }

            throw new InvalidDataException($"{path}: the file is truncated (a tensor's data runs past its end).");
        }

        return tensors;
    }

    /// <summary>Writes tensors (any device, any dtype listed in the format) atomically.</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        var meta = new JsonObject { ["format"] = "pt" };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                meta[key] = value;
            }
        }

        header["__metadata__"] = meta;
        long offset = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in list)
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException($"{path}: tensor '{name}' is listed twice.");
            }

            long length = tensor.NumberOfElements * tensor.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = ToSafeTensorsDType(tensor.dtype, path, name),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format recommends padding the header with spaces to an 8-byte boundary.
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)padded));
            stream.Write(json);
            for (int i = json.Length; i < padded; i++)
            {
                stream.WriteByte((byte)' ');
            }

            foreach (var (_, tensor) in list)
            {
                using var scope = NewDisposeScope();
                Tensor cpuTensor = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor : tensor.cpu();
                cpuTensor = cpuTensor.is_contiguous() ? cpuTensor : cpuTensor.contiguous();
                cpuTensor.WriteBytesToStream(stream, 1 << 20);
            }
        });
    }

    private static FileStream OpenRead(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such safetensors file.", path);
        }

        Native.FileKind.ThrowIfNotRegularFile(path, "safetensors file");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
    }

    private static (IReadOnlyList<SafeTensorEntry>, IReadOnlyDictionary<string, string>, long) ReadHeader(Stream stream, string path)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
        {
            throw new InvalidDataException($"{path}: not a safetensors file (shorter than its 8-byte header length).");
        }

        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderBytes || (long)headerLength > stream.Length - 8)
        {
            throw new InvalidDataException($"{path}: not a safetensors file (header length {headerLength} does not fit the file).");
        }

        byte[] json = new byte[headerLength];
        stream.ReadExactly(json);
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid UTF-8 (a tensor name or value holds bytes no text has).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: the safetensors header is not a JSON object.");
            }

            long dataStart = 8 + (long)headerLength;
            long dataLength = stream.Length - dataStart;
            var entries = new List<SafeTensorEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new InvalidDataException($"{path}: tensor '{property.Name}' is listed twice in the safetensors header.");
                }

                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty entry in property.Value.EnumerateObject())
                        {
                            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                        }
                    }

                    continue;
                }

                entries.Add(ParseEntry(property.Name, property.Value, path, dataLength));
            }

            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            RefuseOverlaps(entries, path);
            return (entries, metadata, dataStart);
        }
    }

    // Two tensors sharing bytes would load silently with wrong (aliased) weights.
    private static void RefuseOverlaps(List<SafeTensorEntry> sorted, string path)
    {
        SafeTensorEntry? previous = null;
        foreach (SafeTensorEntry entry in sorted.Where(e => e.End > e.Begin))
        {
            if (previous is not null && entry.Begin < previous.End)
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{entry.Name}' (bytes {entry.Begin}..{entry.End}) overlaps tensor '{previous.Name}' (bytes {previous.Begin}..{previous.End}); each tensor needs its own bytes.");
            }

            previous = entry;
        }
    }

    private static SafeTensorEntry ParseEntry(string name, JsonElement node, string path, long dataLength)
    {
        if (node.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("dtype", out JsonElement dtypeNode) || dtypeNode.ValueKind != JsonValueKind.String
            || !node.TryGetProperty("shape", out JsonElement shapeNode) || shapeNode.ValueKind != JsonValueKind.Array
            || !node.TryGetProperty("data_offsets", out JsonElement offsetsNode) || offsetsNode.ValueKind != JsonValueKind.Array
            || !shapeNode.EnumerateArray().All(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out _))
            || !offsetsNode.EnumerateArray().All(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out _)))
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has a malformed header entry (needs a dtype string, a shape of integers and two integer data_offsets).");
        }

        string dtype = dtypeNode.GetString()!;
        long[] shape = shapeNode.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        long[] offsets = offsetsNode.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        string shapeText = $"[{string.Join(", ", shape)}]";
        if (shape.Any(d => d < 0))
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has a negative dimension in its shape {shapeText}.");
        }

        if (shape.Any(d => d > int.MaxValue))
        {
            // No model tensor has a dimension past 2^31 - 1; an empty tensor ([huge, 0]) with one would still reach LibTorch.
            throw new InvalidDataException($"{path}: tensor '{name}' has a dimension over {int.MaxValue} in its shape {shapeText}.");
        }

        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has data offsets [{string.Join(", ", offsets)}] outside the file's {dataLength} data bytes (truncated file?).");
        }

        long elementSize = ElementSize(dtype, path, name);
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => a * b) * elementSize);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has the shape {shapeText}, too large for any file.");
        }

        if (offsets[1] - offsets[0] != expected)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' ({dtype} {shapeText}) needs {expected} bytes but its offsets span {offsets[1] - offsets[0]}.");
        }

        return new SafeTensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long ElementSize(string dtype, string path, string name) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new InvalidDataException($"{path}: tensor '{name}' has unsupported dtype '{dtype}'."),
    };

    private static ScalarType ToScalarType(string dtype, string path, string name) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor '{name}' has dtype '{dtype}', which TorchSharp cannot hold."),
    };

    private static string ToSafeTensorsDType(ScalarType dtype, string path, string name) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"{path}: tensor '{name}' has dtype {dtype}, which safetensors cannot store."),
    };
}
