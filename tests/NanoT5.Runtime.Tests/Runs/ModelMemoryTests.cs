using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data.Tokenizers;
using NanoT5.Model;
using NanoT5.Runs;
using static TorchSharp.torch;

namespace NanoT5.Tests.Runs;

[Collection(TorchCollection.Name)]
public sealed class ModelMemoryTests
{
    [Theory]
    [InlineData(2147483647, 512)]
    [InlineData(32128, 1000000000)]
    public void Create_AModelThatCannotFitInMemory_IsAClearErrorBeforeAnyAllocation(int vocabSize, int dModel)
    {
        using var folder = TestPaths.NewTempFolder();
        string configPath = folder.File("config.json");
        HfConfigFile.Save(T5Presets.Get("t5-v1_1-small") with { VocabSize = vocabSize, DModel = dModel }, configPath);
        var config = new ExperimentConfig
        {
            RunDirectory = folder.File("run"),
            Model = new ModelSettings { ConfigPath = configPath },
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = TestPaths.Tokenizer("t5-unigram-1k.model") },
        };
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);

        var error = Assert.Throws<InvalidDataException>(() => ModelFactory.Create(config, tokenizer, CPU));

        Assert.StartsWith($"{configPath}: the model has ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"vocab_size {vocabSize}, d_model {dModel}", error.Message, StringComparison.Ordinal);
        Assert.Contains("of memory available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_CountsWhatTheModelAllocates()
    {
        var tiny = new T5Config { VocabSize = 300, DModel = 24, DKv = 8, DFf = 40, NumLayers = 2, NumDecoderLayers = 3, NumHeads = 3 };
        using var model = new T5ForConditionalGeneration(tiny);

        Assert.Equal(model.parameters().Sum(p => p.NumberOfElements), ModelMemory.Parameters(tiny));
        Assert.Equal(76_961_152, ModelMemory.Parameters(T5Presets.Get("t5-v1_1-small"))); // HF's count for google/t5-v1_1-small
    }

    [Fact]
    public async Task InitFolder_AFifo_IsRefusedInsteadOfBlockingForever()
    {
        using var folder = TestPaths.NewTempFolder();
        string fifo = folder.File("weights.safetensors");
        TestFifo.Make(fifo);

        Exception? error = await Task.Run(() => Record.Exception(() => ModelFactory.InitFolder(fifo))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsType<InvalidDataException>(error);
        Assert.Contains($"{fifo}: model.init_from is not a regular file", error.Message, StringComparison.Ordinal);
    }
}
