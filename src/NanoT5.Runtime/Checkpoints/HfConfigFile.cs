// Reads and writes HuggingFace's T5 config.json. Missing fields take HuggingFace's T5Config defaults
// (so a T5 v1.0 config is recognised as such and rejected with a reason), unknown fields are ignored.
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoT5.IO;
using NanoT5.Model;

namespace NanoT5.Checkpoints;

/// <summary>config.json of a HuggingFace T5 checkpoint.</summary>
public static class HfConfigFile
{
    /// <summary>Reads and validates <paramref name="path"/>; errors name the file and the field.</summary>
    public static T5Config Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such config file.", path);
        }

        JsonNode? root = StrictJson.ReadNode(path, "model config");

        if (root is not JsonObject json)
        {
            throw new InvalidDataException($"{path}: a config must be a JSON object.");
        }

        string? modelType = json["model_type"] is JsonValue mt && mt.TryGetValue(out string? s) ? s : null;
        if (modelType is not null && modelType != "t5" && modelType != "mt5")
        {
            throw new InvalidDataException($"{path}: field 'model_type' is \"{modelType}\"; only T5 (\"t5\", \"mt5\") checkpoints can be loaded.");
        }

        var reader = new FieldReader(json, path);
        int numLayers = reader.Int("num_layers", 6);
        var config = new T5Config
        {
            VocabSize = reader.Int("vocab_size", 32128),
            DModel = reader.Int("d_model", 512),
            DKv = reader.Int("d_kv", 64),
            DFf = reader.Int("d_ff", 2048),
            NumLayers = numLayers,
            NumDecoderLayers = reader.Int("num_decoder_layers", numLayers),
            NumHeads = reader.Int("num_heads", 8),
            RelativeAttentionNumBuckets = reader.Int("relative_attention_num_buckets", 32),
            RelativeAttentionMaxDistance = reader.Int("relative_attention_max_distance", 128),
            DropoutRate = reader.Double("dropout_rate", 0.1),
            LayerNormEpsilon = reader.Double("layer_norm_epsilon", 1e-6),
            InitializerFactor = reader.Double("initializer_factor", 1.0),
            FeedForwardProj = reader.String("feed_forward_proj", "relu"),
            TieWordEmbeddings = reader.Bool("tie_word_embeddings", true),
            PadTokenId = reader.Int("pad_token_id", 0),
            EosTokenId = reader.Int("eos_token_id", 1),
            DecoderStartTokenId = reader.Int("decoder_start_token_id", reader.Int("pad_token_id", 0)),
        };
        T5ConfigValidation.ThrowIfInvalid(config, path);
        return config;
    }

    /// <summary>The JSON HuggingFace's T5Config.from_pretrained reads for <paramref name="config"/>.</summary>
    public static string ToJson(T5Config config, string torchDtype = "float32")
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
            ["d_ff"] = config.DFf,
            ["d_kv"] = config.DKv,
            ["d_model"] = config.DModel,
            ["decoder_start_token_id"] = config.DecoderStartTokenId,
            ["dense_act_fn"] = "gelu_new",
            ["dropout_rate"] = config.DropoutRate,
            ["eos_token_id"] = config.EosTokenId,
            ["feed_forward_proj"] = config.FeedForwardProj,
            ["initializer_factor"] = config.InitializerFactor,
            ["is_encoder_decoder"] = true,
            ["is_gated_act"] = true,
            ["layer_norm_epsilon"] = config.LayerNormEpsilon,
            ["model_type"] = "t5",
            ["num_decoder_layers"] = config.DecoderLayers,
            ["num_heads"] = config.NumHeads,
            ["num_layers"] = config.NumLayers,
            ["pad_token_id"] = config.PadTokenId,
            ["relative_attention_max_distance"] = config.RelativeAttentionMaxDistance,
            ["relative_attention_num_buckets"] = config.RelativeAttentionNumBuckets,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["torch_dtype"] = torchDtype,
            ["use_cache"] = true,
            ["vocab_size"] = config.VocabSize,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes config.json atomically.</summary>
    public static void Save(T5Config config, string path, string torchDtype = "float32") =>
        AtomicFile.WriteAllText(path, ToJson(config, torchDtype));

    private sealed class FieldReader(JsonObject json, string path)
    {
        public int Int(string field, int fallback)
        {
            JsonNode? node = json[field];
            if (node is null)
            {
                return fallback;
            }

            if (node is JsonValue value && value.TryGetValue(out long l) && l is >= int.MinValue and <= int.MaxValue)
            {
                return (int)l;
            }

            if (node is JsonValue d && d.TryGetValue(out double x) && x == Math.Floor(x) && Math.Abs(x) < int.MaxValue)
            {
                return (int)x;
            }

            throw new InvalidDataException($"{path}: field '{field}' must be an integer (got {node.ToJsonString()}).");
        }

        public double Double(string field, double fallback)
        {
            JsonNode? node = json[field];
            if (node is null)
            {
                return fallback;
            }

            return node is JsonValue value && value.TryGetValue(out double d)
                ? d
                : throw new InvalidDataException($"{path}: field '{field}' must be a number (got {node.ToJsonString()}).");
        }

        public string String(string field, string fallback)
        {
            JsonNode? node = json[field];
            if (node is null)
            {
                return fallback;
            }

            return node is JsonValue value && value.TryGetValue(out string? s)
                ? s
                : throw new InvalidDataException($"{path}: field '{field}' must be a string (got {node.ToJsonString()}).");
        }

        public bool Bool(string field, bool fallback)
        {
            JsonNode? node = json[field];
            if (node is null)
            {
                return fallback;
            }

            return node is JsonValue value && value.TryGetValue(out bool b)
                ? b
                : throw new InvalidDataException($"{path}: field '{field}' must be true or false (got {node.ToJsonString()}).");
        }
    }
}
