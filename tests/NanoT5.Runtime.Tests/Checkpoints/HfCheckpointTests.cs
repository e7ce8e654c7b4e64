using System.Collections;
using NanoT5.Checkpoints;
using NanoT5.Model;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NanoT5.Tests.Checkpoints;

[Collection(TorchCollection.Name)]
public sealed class HfCheckpointTests
{
    private static readonly T5Config Small = new()
    {
        VocabSize = 96, DModel = 32, DKv = 8, DFf = 40, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4,
    };

    [Fact]
    public void Save_ThenLoadModel_ReproducesConfigAndEveryParameter()
    {
        using var folder = TestPaths.NewTempFolder();
        torch.manual_seed(11);
        using var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();

        HfCheckpoint.Save(model, folder.Path);
        using var loaded = HfCheckpoint.LoadModel(folder.Path);

        Assert.Equal(Small with { NumDecoderLayers = 2 }, loaded.Config);
        var expected = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.named_parameters())
        {
            Assert.True(parameter.Equals(expected[name]), name);
        }
    }

    [Fact]
    public void Save_WritesOnlyHuggingFacesUniqueKeys_NoTiedAliases()
    {
        using var folder = TestPaths.NewTempFolder();
        using var model = new T5ForConditionalGeneration(Small);

        HfCheckpoint.Save(model, folder.Path);
        var (entries, metadata, _) = SafeTensorsFile.ReadHeader(Path.Combine(folder.Path, "model.safetensors"));

        Assert.Equal(model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal), entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(entries, e => e.Name.Contains("embed_tokens", StringComparison.Ordinal));
        Assert.Equal("pt", metadata["format"]);
    }

    [Fact]
    public void LoadWeights_AcceptsEmbedTokensAliasesThatEqualShared()
    {
        using var folder = TestPaths.NewTempFolder();
        torch.manual_seed(12);
        using var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        var tensors = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        Tensor shared = tensors.Single(t => t.name == "shared.weight").Item2;
        tensors.Add(("encoder.embed_tokens.weight", shared));
        tensors.Add(("decoder.embed_tokens.weight", shared));
        SafeTensorsFile.Save(folder.File("model.safetensors"), tensors);

        using var target = new T5ForConditionalGeneration(Small);
        HfCheckpoint.LoadWeights(target, folder.File("model.safetensors"));

        Assert.True(target.Shared.weight!.Equals(shared));
    }

    [Fact]
    public void LoadWeights_WithAMissingTensor_NamesTheFileAndTheTensor()
    {
        using var folder = TestPaths.NewTempFolder();
        using var model = new T5ForConditionalGeneration(Small);
        var tensors = model.named_parameters().Where(p => p.name != "decoder.block.1.layer.2.DenseReluDense.wo.weight").Select(p => (p.name, (Tensor)p.parameter));
        SafeTensorsFile.Save(folder.File("model.safetensors"), tensors);

        var error = Assert.Throws<InvalidDataException>(() => HfCheckpoint.LoadWeights(model, folder.File("model.safetensors")));

        Assert.Contains(folder.File("model.safetensors"), error.Message, StringComparison.Ordinal);
        Assert.Contains("missing (1): decoder.block.1.layer.2.DenseReluDense.wo.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWeights_WithAnUnknownTensor_NamesIt()
    {
        using var folder = TestPaths.NewTempFolder();
        using var model = new T5ForConditionalGeneration(Small);
        using var extra = ones(3);
        var tensors = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Append(("encoder.block.0.layer.0.SelfAttention.q.bias", extra));
        SafeTensorsFile.Save(folder.File("model.safetensors"), tensors);

        var error = Assert.Throws<InvalidDataException>(() => HfCheckpoint.LoadWeights(model, folder.File("model.safetensors")));

        Assert.Contains("unexpected (1): encoder.block.0.layer.0.SelfAttention.q.bias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWeights_WithAMisShapedTensor_NamesTheTensorAndBothShapes()
    {
        using var folder = TestPaths.NewTempFolder();
        using var model = new T5ForConditionalGeneration(Small);
        using var wrong = ones(7, 32);
        var tensors = model.named_parameters().Select(p => p.name == "lm_head.weight" ? (p.name, wrong) : (p.name, (Tensor)p.parameter));
        SafeTensorsFile.Save(folder.File("model.safetensors"), tensors);

        var error = Assert.Throws<InvalidDataException>(() => HfCheckpoint.LoadWeights(model, folder.File("model.safetensors")));

        Assert.Contains("'lm_head.weight' has shape [7, 32] but the model expects [96, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWeights_FromAPyTorchStateDictBin_LoadsEveryParameter()
    {
        using var folder = TestPaths.NewTempFolder();
        torch.manual_seed(13);
        using var source = new T5ForConditionalGeneration(Small);
        source.InitializeWeights();
        var table = new Hashtable();
        foreach (var (name, parameter) in source.named_parameters())
        {
            table[name] = parameter.detach();
        }

        PyTorchPickler.PickleStateDict(folder.File("pytorch_model.bin"), table);
        HfConfigFile.Save(Small, folder.File("config.json"));

        using var loaded = HfCheckpoint.LoadModel(folder.Path);

        Assert.True(loaded.LmHead.weight.Equals(source.LmHead.weight));
        Assert.True(loaded.Shared.weight!.Equals(source.Shared.weight!));
    }

    [Fact]
    public void LoadModel_FromAFolderWithoutWeights_SaysWhatIsMissing()
    {
        using var folder = TestPaths.NewTempFolder();
        HfConfigFile.Save(Small, folder.File("config.json"));

        var error = Assert.Throws<FileNotFoundException>(() => HfCheckpoint.LoadModel(folder.Path));

        Assert.Contains("no model.safetensors, pytorch_model.bin or sharded index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadModel_FromTheReferenceFixture_GivesTheReferenceLoss()
    {
        using var model = HfCheckpoint.LoadModel(TestPaths.ParityFixture);
        var fixture = NanoT5.Verification.ParityFixture.Load(TestPaths.ParityFixture);
        using var scope = NewDisposeScope();

        using var noGrad = no_grad();
        Tensor loss = model.forward(fixture.InputTensor("input_ids"), fixture.InputTensor("attention_mask"), fixture.InputTensor("labels")).Loss;

        Assert.Equal(fixture.ExpectedScalar("loss"), loss.item<float>(), 4);
        fixture.Dispose();
    }

    [Fact]
    public void LoadModel_FromARealTorchSaveFile_MatchesTheSafetensorsWeights()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch-bin");

        using var fromBin = HfCheckpoint.LoadModel(folder);
        using var fromSafetensors = HfCheckpoint.LoadModel(TestPaths.ParityFixture);

        foreach (var ((name, a), (_, b)) in fromBin.named_parameters().Zip(fromSafetensors.named_parameters()))
        {
            Assert.True(a.Equals(b), name);
        }
    }

    [Fact]
    public void LoadModel_FromShardedSafetensorsWithAnIndex_LoadsEveryParameter()
    {
        using var folder = TestPaths.NewTempFolder();
        torch.manual_seed(14);
        using var source = new T5ForConditionalGeneration(Small);
        source.InitializeWeights();
        var parameters = source.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        int half = parameters.Count / 2;
        SafeTensorsFile.Save(folder.File("model-00001-of-00002.safetensors"), parameters.Take(half));
        SafeTensorsFile.Save(folder.File("model-00002-of-00002.safetensors"), parameters.Skip(half));
        var weightMap = new System.Text.Json.Nodes.JsonObject();
        for (int i = 0; i < parameters.Count; i++)
        {
            weightMap[parameters[i].name] = i < half ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        }

        File.WriteAllText(folder.File("model.safetensors.index.json"), new System.Text.Json.Nodes.JsonObject { ["weight_map"] = weightMap }.ToJsonString());
        HfConfigFile.Save(Small, folder.File("config.json"));

        using var loaded = HfCheckpoint.LoadModel(folder.Path);

        foreach (var ((name, a), (_, b)) in loaded.named_parameters().Zip(source.named_parameters()))
        {
            Assert.True(a.Equals(b), name);
        }
    }
}
