// Moves T5 weights between this model and HuggingFace's checkpoint layout: a folder with config.json
// and model.safetensors (or pytorch_model.bin, or either sharded with an index). Loading is strict:
// every parameter must be present with its exact shape, and no unknown tensor is accepted.
using System.Collections;
using System.Text.Json.Nodes;
using NanoT5.IO;
using NanoT5.Model;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NanoT5.Checkpoints;

/// <summary>HuggingFace-format T5 checkpoints.</summary>
public static class HfCheckpoint
{
    /// <summary>The weights file name HuggingFace's save_pretrained writes.</summary>
    public const string SafeTensorsName = "model.safetensors";

    /// <summary>The config file name.</summary>
    public const string ConfigName = "config.json";

    // save_pretrained drops these: they are the same tensor as shared.weight in a v1.1 model.
    private static readonly string[] SharedAliases = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"];

    /// <summary>Builds a model from a checkpoint folder (config.json + weights), computing attention the <paramref name="attention"/> way.</summary>
    public static T5ForConditionalGeneration LoadModel(string folder, Device? device = null, AttentionKind attention = AttentionKind.Eager)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: no such checkpoint folder.");
        }

        T5Config config = HfConfigFile.Load(Path.Combine(folder, ConfigName)) with { Attention = attention };
        var model = new T5ForConditionalGeneration(config);
        LoadWeights(model, folder);
        if (device is not null)
        {
            model.to(device);
        }

        return model;
    }

    /// <summary>Writes config.json and model.safetensors (unique parameters, HF names) into <paramref name="folder"/>.</summary>
    public static void Save(T5ForConditionalGeneration model, string folder)
    {
        Directory.CreateDirectory(folder);
        var parameters = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        ScalarType dtype = model.ComputeDtype;
        SafeTensorsFile.Save(Path.Combine(folder, SafeTensorsName), parameters);
        HfConfigFile.Save(model.Config, Path.Combine(folder, ConfigName), TorchDtypeName(dtype));
    }

    /// <summary>
    /// Loads weights from a folder (model.safetensors, pytorch_model.bin or a sharded index) or a single
    /// .safetensors / .bin file into <paramref name="model"/>, converting dtype where needed.
    /// </summary>
    public static void LoadWeights(T5ForConditionalGeneration model, string path)
    {
        var (tensors, source) = ReadStateDict(path);
        try
        {
            Assign(model, tensors, source);
        }
        finally
        {
            foreach (Tensor tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Reads all tensors of a checkpoint, with a description of where they came from for errors.</summary>
    public static (Dictionary<string, Tensor> Tensors, string Source) ReadStateDict(string path)
    {
        if (File.Exists(path))
        {
            return (ReadFile(path), path);
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such checkpoint file or folder.", path);
        }

        foreach (string name in new[] { SafeTensorsName, "pytorch_model.bin" })
        {
            string file = Path.Combine(path, name);
            if (File.Exists(file))
            {
                return (ReadFile(file), file);
            }
        }

        foreach (string indexName in new[] { "model.safetensors.index.json", "pytorch_model.bin.index.json" })
        {
            string index = Path.Combine(path, indexName);
            if (File.Exists(index))
            {
                return (ReadSharded(path, index), index);
            }
        }

        throw new FileNotFoundException($"{path}: no model.safetensors, pytorch_model.bin or sharded index in this folder.");
    }

    private static Dictionary<string, Tensor> ReadFile(string file)
    {
        Native.FileKind.ThrowIfNotRegularFile(file, "checkpoint file");
        if (file.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            return SafeTensorsFile.Load(file).ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        }

        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{file}: not a readable PyTorch state dict ({e.GetType().Name}: {e.Message}).", e);
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                result[key] = tensor;
            }
        }

        return result;
    }

    private static Dictionary<string, Tensor> ReadSharded(string folder, string index)
    {
        JsonObject weightMap = (StrictJson.ReadNode(index, "sharded checkpoint index") as JsonObject)?["weight_map"] as JsonObject
            ?? throw new InvalidDataException($"{index}: no weight_map object.");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string shard in weightMap.Select(kv => ShardName(index, kv.Key, kv.Value)).Distinct(StringComparer.Ordinal))
        {
            foreach (var (name, tensor) in ReadFile(Path.Combine(folder, shard)))
            {
                result[name] = tensor;
            }
        }

        return result;
    }

    // weight_map: tensor name -> the file name of its shard, next to the index (no folders, so no way out of it).
    private static string ShardName(string index, string tensor, JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } shard && shard == Path.GetFileName(shard)
            ? shard
            : throw new InvalidDataException($"{index}: weight_map['{tensor}'] must be the file name of a shard next to the index (got {value?.ToJsonString() ?? "null"}).");

    private static void Assign(T5ForConditionalGeneration model, Dictionary<string, Tensor> tensors, string source)
    {
        const string sharedName = "shared.weight";
        foreach (string alias in SharedAliases)
        {
            if (!tensors.TryGetValue(alias, out Tensor? aliased))
            {
                continue;
            }

            if (!tensors.TryGetValue(sharedName, out Tensor? shared))
            {
                tensors[sharedName] = aliased;
            }
            else if (!ReferenceEquals(shared, aliased) && !shared.Equals(aliased))
            {
                throw new InvalidDataException($"{source}: tensor '{alias}' differs from '{sharedName}'; T5 v1.1 shares one token embedding between both stacks.");
            }

            tensors.Remove(alias);
        }

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var missing = parameters.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !parameters.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var lines = new List<string> { $"{source}: the checkpoint does not match the model's parameters." };
            if (missing.Count > 0)
            {
                lines.Add($"  missing ({missing.Count}): {Abbreviate(missing)}");
            }

            if (unexpected.Count > 0)
            {
                lines.Add($"  unexpected ({unexpected.Count}): {Abbreviate(unexpected)}");
            }

            lines.Add("  (Check that config.json describes the same architecture as the weights.)");
            throw new InvalidDataException(string.Join(Environment.NewLine, lines));
        }

        foreach (var (name, parameter) in parameters)
        {
            Tensor value = tensors[name];
            if (!value.shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException(
                    $"{source}: tensor '{name}' has shape [{string.Join(", ", value.shape)}] but the model expects [{string.Join(", ", parameter.shape)}].");
            }

            if (!value.is_floating_point())
            {
                throw new InvalidDataException($"{source}: tensor '{name}' has dtype {value.dtype}; weights must be floating point.");
            }
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            parameter.copy_(tensors[name]);
        }
    }

    private static string Abbreviate(IReadOnlyList<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : string.Join(", ", names.Take(8)) + $", ... and {names.Count - 8} more";

    private static string TorchDtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => "float32",
    };
}
