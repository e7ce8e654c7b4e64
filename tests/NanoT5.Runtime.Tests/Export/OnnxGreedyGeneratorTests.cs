// OnnxGreedyGenerator against Model/GreedyGenerator on the same weights: the same ids, row for row, with rows that end
// at eos (pad after it) and rows that reach the token limit in one batch.
using NanoT5.Checkpoints;
using NanoT5.Export;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class OnnxGreedyGeneratorTests
{
    [Theory]
    [InlineData(6, 30, 20)]
    [InlineData(1, 7, 1)]
    [InlineData(3, 200, 40)]
    public void Generate_GivesTheTorchSharpGeneratorsIds(int batch, int sourceLength, int maxNewTokens)
    {
        using var model = HfCheckpoint.LoadModel(TestPaths.ParityFixture);
        EndingModel.MakeEosCompete(model, vocabularyForInputs: model.Config.VocabSize);
        using var folder = TestPaths.NewTempFolder();
        T5OnnxExporter.Export(model, null, folder.Path, new OnnxExportOptions());
        using var onnx = OnnxT5Model.Load(folder.Path);
        (long[] ids, long[] mask) = OnnxParityTests.Inputs(batch, sourceLength, model.Config.VocabSize, seed: sourceLength);

        long[][] actual = OnnxGreedyGenerator.Generate(onnx, ids, mask, batch, maxNewTokens);
        long[][] expected = Torch(model, ids, mask, batch, maxNewTokens);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Generate_EndsRowsAtEosAndPadsThem_OthersRunToTheLimit()
    {
        using var model = HfCheckpoint.LoadModel(TestPaths.ParityFixture);
        EndingModel.MakeEosCompete(model, vocabularyForInputs: model.Config.VocabSize);
        using var folder = TestPaths.NewTempFolder();
        T5OnnxExporter.Export(model, null, folder.Path, new OnnxExportOptions());
        using var onnx = OnnxT5Model.Load(folder.Path);
        (long[] ids, long[] mask) = OnnxParityTests.Inputs(8, 30, model.Config.VocabSize, seed: 5);

        long[][] rows = OnnxGreedyGenerator.Generate(onnx, ids, mask, 8, 20);

        int eos = model.Config.EosTokenId, pad = model.Config.PadTokenId;
        Assert.All(rows, r => Assert.Equal(model.Config.DecoderStartTokenId, r[0]));
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        Assert.Contains(rows, r => Array.IndexOf(r, eos) is > 0 and int at && at < r.Length - 1 && r[(at + 1)..].All(t => t == pad));
        Assert.Contains(rows, r => Array.IndexOf(r, eos) < 0);
        Assert.Equal(21, rows[0].Length); // some row ran to the limit: start token + 20
    }

    private static long[][] Torch(T5ForConditionalGeneration model, long[] ids, long[] mask, int batch, int maxNewTokens)
    {
        using var scope = NewDisposeScope();
        Tensor generated = GreedyGenerator.Generate(model, tensor(ids).view(batch, -1), tensor(mask).view(batch, -1), maxNewTokens);
        int columns = (int)generated.shape[1];
        long[] flat = generated.data<long>().ToArray();
        return Enumerable.Range(0, batch).Select(r => flat.Skip(r * columns).Take(columns).ToArray()).ToArray();
    }
}
