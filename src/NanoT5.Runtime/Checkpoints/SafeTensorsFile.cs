// Reads and writes the safetensors format (HuggingFace's model.safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, raw data.
// Hand-written rather than TorchSharp.PyBridge's: HF's from_pretrained wants __metadata__.format = "pt",
// writes must be atomic, and errors must name the file and the tensor.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject header)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not a JSON object.");
        }

        long dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;
        var entries = new List<SafeTensorEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject metaObject)
                {
                    foreach (var (key, value) in metaObject)
                    {
                        metadata[key] = value?.ToString() ?? string.Empty;
                    }
                }

                continue;
            }

            entries.Add(ParseEntry(name, node, path, dataLength));
        }

        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        return (entries, metadata, dataStart);
    }

    private static SafeTensorEntry ParseEntry(string name, JsonNode? node, string path, long dataLength)
    {
        try
        {
            string dtype = node!["dtype"]!.GetValue<string>();
            long[] shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            long[] offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has data offsets [{string.Join(", ", offsets)}] outside the file's {dataLength} data bytes (truncated file?).");
            }

            long elements = shape.Aggregate(1L, (a, b) => a * b);
            long expected = elements * ElementSize(dtype, path, name);
            if (offsets[1] - offsets[0] != expected)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {expected} bytes but its offsets span {offsets[1] - offsets[0]}.");
            }

            return new SafeTensorEntry(name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has a malformed header entry (needs dtype, shape and data_offsets).", e);
        }
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
