// The model predict generates with: the TorchSharp model of the run's checkpoint, or its ONNX export on ONNX Runtime.
// Both generate greedily with the same stopping rules and token limit (finetune.max_target_length and the HF quirk).
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Export;
using NanoT5.Finetune;

namespace NanoT5.Runs;

/// <summary>A loaded model of either engine, its source and training step, and its greedy generator.</summary>
internal sealed class PredictModel : IDisposable
{
    private readonly IDisposable model;

    private PredictModel(IDisposable model, string source, long step, Func<SniBatch, IReadOnlyList<IReadOnlyList<int>>> generate)
    {
        this.model = model;
        Source = source;
        Step = step;
        Generate = generate;
    }

    public string Source { get; }

    public long Step { get; }

    public Func<SniBatch, IReadOnlyList<IReadOnlyList<int>>> Generate { get; }

    public static PredictModel Load(ExperimentConfig config, PredictEngine engine, ITextTokenizer tokenizer, RunEnvironment environment)
    {
        int maxNewTokens = config.Finetune.MaxNewTokens();
        if (engine == PredictEngine.TorchSharp)
        {
            TrainedModel trained = TrainedModel.Load(config, tokenizer, environment.Device, "predict");
            return new PredictModel(trained, trained.Source, trained.Step, batch => SniPredictor.Generate(trained.Model, batch, maxNewTokens, environment.AutocastDtype));
        }

        OnnxT5Model onnx = OnnxT5Model.Load(config.Export.ResolveDirectory(config.RunDirectory), config.Threads);
        return new PredictModel(onnx, $"{onnx.Folder} (ONNX Runtime)", onnx.Manifest.Step, batch =>
            Rows(OnnxGreedyGenerator.Generate(onnx, batch.InputIds.data<long>().ToArray(), batch.AttentionMask.data<long>().ToArray(), batch.Count, maxNewTokens)));
    }

    public void Dispose() => model.Dispose();

    private static IReadOnlyList<IReadOnlyList<int>> Rows(long[][] ids) => ids.Select(row => (IReadOnlyList<int>)row.Select(id => (int)id).ToArray()).ToArray();
}
