using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Tests.Data;

public sealed class HfTokenizerExportTests
{
    [Fact]
    public void SentencePiece_WritesTheModelUnchangedAndT5TokenizerConfig()
    {
        using var folder = TestPaths.NewTempFolder();
        SentencePieceT5Tokenizer tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));

        IReadOnlyList<string> files = HfTokenizerExport.Write(tokenizer, folder.Path, modelMaxLength: 512);

        Assert.Equal(["spiece.model", "special_tokens_map.json", "tokenizer_config.json"], files);
        Assert.Equal(File.ReadAllBytes(TestPaths.Tokenizer("t5-unigram-1k.model")), File.ReadAllBytes(folder.File("spiece.model")));
        JsonNode config = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer_config.json")))!;
        Assert.Equal("T5Tokenizer", (string?)config["tokenizer_class"]);
        Assert.Equal(100, (int?)config["extra_ids"]);
        Assert.Equal(("</s>", "<pad>", "<unk>"), ((string?)config["eos_token"], (string?)config["pad_token"], (string?)config["unk_token"]));
        JsonArray sentinels = JsonNode.Parse(File.ReadAllText(folder.File("special_tokens_map.json")))!["additional_special_tokens"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"<extra_id_{i}>"), sentinels.Select(s => (string?)s));
    }

    [Fact]
    public void Gpt2_VocabAndMerges_ReproduceTheTokenizersIdsInAnIndependentBpe()
    {
        using var folder = TestPaths.NewTempFolder();
        var tokenizer = new Gpt2T5Tokenizer();

        HfTokenizerExport.Write(tokenizer, folder.Path, modelMaxLength: 512);

        // Microsoft.ML.Tokenizers' CodeGen tokenizer reads HF's vocab.json + merges.txt (GPT-2's byte-level BPE);
        // it adds tokens of its own for runs of spaces, so the texts keep single spaces.
        using Stream vocab = File.OpenRead(folder.File("vocab.json"));
        using Stream merges = File.OpenRead(folder.File("merges.txt"));
        CodeGenTokenizer fromFiles = CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
        foreach (string line in File.ReadAllLines(TestPaths.Tokenizer("sample.txt")).Concat(DataFiles.Documents(20, seed: 41)))
        {
            string text = string.Join(' ', line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(tokenizer.Encode(text), fromFiles.EncodeToIds(text));
        }
    }

    [Fact]
    public void Gpt2_TokenizerJson_HasShiftedBpeT5SpecialsAndAnEosTemplate()
    {
        using var folder = TestPaths.NewTempFolder();
        var tokenizer = new Gpt2T5Tokenizer();

        HfTokenizerExport.Write(tokenizer, folder.Path, modelMaxLength: 512);

        JsonNode json = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer.json")))!;
        JsonNode model = json["model"]!;
        Assert.Equal("BPE", (string?)model["type"]);
        Assert.Equal(50_257, model["vocab"]!.AsObject().Count);
        Assert.Equal(50_000, model["merges"]!.AsArray().Count);
        Assert.Equal(15496 + 3, (int?)model["vocab"]!["Hello"]);
        Dictionary<int, string?> added = json["added_tokens"]!.AsArray().ToDictionary(t => (int)t!["id"]!, t => (string?)t!["content"]);
        Assert.Equal("<pad>", added[0]);
        Assert.Equal("</s>", added[1]);
        Assert.Equal("<unk>", added[2]);
        Assert.Equal("<|endoftext|>", added[50_259]);
        Assert.Equal("<extra_id_0>", added[50_359]);
        Assert.Equal("<extra_id_99>", added[50_260]);
        Assert.Equal("TemplateProcessing", (string?)json["post_processor"]!["type"]);
    }
}
