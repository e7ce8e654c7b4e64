// Tokenizer files for an exported HuggingFace model folder. SentencePiece: spiece.model unchanged plus
// the two JSON files of google/t5-v1_1-* (T5Tokenizer / T5TokenizerFast read them and count sentinels down
// from the piece count, as we do). GPT-2 in T5's layout: a tokenizers-library tokenizer.json (byte-level
// BPE with the shifted ids, pad/eos/unk and sentinels as special tokens, eos appended like T5 tokenizers)
// for PreTrainedTokenizerFast, plus vocab.json and merges.txt with the same ids.
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoT5.IO;

namespace NanoT5.Data.Tokenizers;

/// <summary>Writes tokenizer files HF transformers can load.</summary>
public static class HfTokenizerExport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the files into <paramref name="folder"/>; returns their names.</summary>
    public static IReadOnlyList<string> Write(ITextTokenizer tokenizer, string folder, int modelMaxLength)
    {
        Directory.CreateDirectory(folder);
        return tokenizer switch
        {
            SentencePieceT5Tokenizer sentencePiece => WriteSentencePiece(sentencePiece, folder, modelMaxLength),
            Gpt2T5Tokenizer gpt2 => WriteGpt2(gpt2, folder, modelMaxLength),
            _ => throw new ArgumentException($"no HF export for tokenizer type {tokenizer.GetType().Name}", nameof(tokenizer)),
        };
    }

    private static string[] WriteSentencePiece(SentencePieceT5Tokenizer tokenizer, string folder, int modelMaxLength)
    {
        AtomicFile.Write(Path.Combine(folder, "spiece.model"), stream => stream.Write(tokenizer.Model.Bytes));
        JsonObject config = SpecialTokens(tokenizer);
        config["extra_ids"] = tokenizer.SentinelCount;
        config["model_max_length"] = modelMaxLength;
        config["legacy"] = true;
        config["tokenizer_class"] = "T5Tokenizer";
        WriteJson(folder, "special_tokens_map.json", SpecialTokens(tokenizer));
        WriteJson(folder, "tokenizer_config.json", config);
        return ["spiece.model", "special_tokens_map.json", "tokenizer_config.json"];
    }

    private static string[] WriteGpt2(Gpt2T5Tokenizer tokenizer, string folder, int modelMaxLength)
    {
        Gpt2Vocabulary gpt2 = Gpt2Vocabulary.Instance;
        var vocab = new JsonObject();
        for (int rank = 0; rank < gpt2.Tokens.Count; rank++)
        {
            vocab[Gpt2Vocabulary.ByteLevel(gpt2.Tokens[rank])] = rank + Gpt2T5Tokenizer.Shift;
        }

        vocab[Gpt2Vocabulary.EndOfText] = gpt2.Tokens.Count + Gpt2T5Tokenizer.Shift;

        var merges = new JsonArray([.. gpt2.Merges().Select(m => JsonValue.Create($"{m.Left} {m.Right}"))]);
        var added = new JsonArray();
        foreach ((int id, string content) in SpecialIds(tokenizer))
        {
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }

        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizerJson = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = EosTemplate(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = string.Empty, ["end_of_word_suffix"] = string.Empty,
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab.DeepClone(), ["merges"] = merges,
            },
        };
        WriteJson(folder, "tokenizer.json", tokenizerJson);
        WriteJson(folder, "vocab.json", vocab);
        AtomicFile.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Concat(gpt2.Merges().Select(m => $"{m.Left} {m.Right}\n")));
        JsonObject config = SpecialTokens(tokenizer);
        config["model_max_length"] = modelMaxLength;
        config["tokenizer_class"] = "PreTrainedTokenizerFast";
        WriteJson(folder, "special_tokens_map.json", SpecialTokens(tokenizer));
        WriteJson(folder, "tokenizer_config.json", config);
        return ["tokenizer.json", "vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json"];
    }

    private static IEnumerable<(int Id, string Content)> SpecialIds(Gpt2T5Tokenizer tokenizer) =>
    [
        (T5Layout.PadId, "<pad>"), (T5Layout.EosId, "</s>"), (T5Layout.UnkId, "<unk>"),
        (Gpt2T5Tokenizer.Gpt2Count - 1 + Gpt2T5Tokenizer.Shift, Gpt2Vocabulary.EndOfText),
        .. Enumerable.Range(0, tokenizer.SentinelCount).Select(i => (tokenizer.SentinelId(i), T5Layout.SentinelText(i))),
    ];

    // T5 tokenizers append eos to every encoded text; "$A </s>" (and "$A </s> $B </s>" for pairs).
    private static JsonObject EosTemplate()
    {
        static JsonObject Sequence(string id) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
        static JsonObject Eos() => new() { ["SpecialToken"] = new JsonObject { ["id"] = "</s>", ["type_id"] = 0 } };
        return new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(Sequence("A"), Eos()),
            ["pair"] = new JsonArray(Sequence("A"), Eos(), Sequence("B"), Eos()),
            ["special_tokens"] = new JsonObject { ["</s>"] = new JsonObject { ["id"] = "</s>", ["ids"] = new JsonArray(T5Layout.EosId), ["tokens"] = new JsonArray("</s>") } },
        };
    }

    private static JsonObject SpecialTokens(ITextTokenizer tokenizer) => new()
    {
        ["eos_token"] = "</s>",
        ["unk_token"] = "<unk>",
        ["pad_token"] = "<pad>",
        ["additional_special_tokens"] = new JsonArray([.. Enumerable.Range(0, tokenizer.SentinelCount).Select(i => JsonValue.Create(T5Layout.SentinelText(i)))]),
    };

    private static void WriteJson(string folder, string name, JsonNode node) =>
        AtomicFile.WriteAllText(Path.Combine(folder, name), node.ToJsonString(Indented) + "\n");
}
